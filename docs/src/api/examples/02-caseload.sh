curl -sS -H "Authorization: Bearer $TOKEN" "$STEGVIS_URL/api/v1/caseload" \
  | jq '{coach_name, participants: (.entries | length), with_missing_answers,
         first: (.entries[0] | {participant_id, participant_name, project_name,
                  next_step, next_step_due, missing_answers, next_follow_up})}'
