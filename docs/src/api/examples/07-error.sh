# limit får vara 1–200
curl -sS -H "Authorization: Bearer $TOKEN" -H 'Accept-Language: sv' \
  "$STEGVIS_URL/api/v1/follow-ups?limit=500" | jq .
