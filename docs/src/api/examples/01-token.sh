# På servern, som tjänstens användare: en nyckel åt jobbcoachen Karin Lund.
TOKEN=$(stegvis token create --email coach@demo.stegvis.se --name "API-guiden")

# Vem är jag?
curl -sS -H "Authorization: Bearer $TOKEN" "$STEGVIS_URL/api/v1/account" \
  | jq '{name, email, role}'
