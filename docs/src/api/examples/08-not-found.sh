# En deltagare som inte finns, eller som du inte får se: samma svar
curl -sS -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $TOKEN" \
  "$STEGVIS_URL/api/v1/participants/01900000-0000-7000-8000-000000000000"
