curl -sS "$STEGVIS_URL/api/v1/openapi.json" | jq '{openapi, title: .info.title, paths: (.paths | length)}'
