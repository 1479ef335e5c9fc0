# Projektet deltagaren är inskriven i nu, och projektets första aktivitet
PROJECT=$(curl -sS -H "Authorization: Bearer $TOKEN" "$STEGVIS_URL/api/v1/participants/$PARTICIPANT" \
  | jq -r '[.enrolments[] | select(.exited_on == null)][0].project_id')
ACTIVITY=$(curl -sS -H "Authorization: Bearer $TOKEN" "$STEGVIS_URL/api/v1/projects/$PROJECT/activities" \
  | jq -r '.[0].id')

# 2,5 timmar i går, för hela gruppen på en gång (här en deltagare)
jq -n --arg date "$(date -d yesterday +%F)" --arg participant "$PARTICIPANT" \
  '{date: $date, entries: [{participant_id: $participant, hours: "2,5"}]}' \
  | curl -sS -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' --data @- \
      "$STEGVIS_URL/api/v1/activities/$ACTIVITY/attendance" \
  | jq .
