curl -sS -H "Authorization: Bearer $TOKEN" "$STEGVIS_URL/api/v1/projects/$PROJECT/report" \
  | jq '{project_name, indicator_set,
         counted: (.counted | add), not_counted_yet: (.incomplete | add),
         goals: [.goals[] | {name, met, achieved, needed}],
         indicators: [.indicators[:3][] | {code, name_sv, count}]}'
