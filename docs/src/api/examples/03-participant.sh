# Den första deltagaren i listan som fortfarande är inskriven
PARTICIPANT=$(curl -sS -H "Authorization: Bearer $TOKEN" "$STEGVIS_URL/api/v1/caseload" \
  | jq -r '[.entries[] | select(.exited_on == null)][0].participant_id')

curl -sS -H "Authorization: Bearer $TOKEN" "$STEGVIS_URL/api/v1/participants/$PARTICIPANT" \
  | jq '{name: "\(.participant.given_name) \(.participant.family_name)",
         enrolments: [.enrolments[] | {id, project_id, enrolled_on, exited_on}]}'
