# Signing in with an e-legitimation (pages/oidc.rs)
signin-not-found-title = Vi hittade dig inte
signin-not-found = Du är inte inskriven hos oss med det personnumret. Kontakta din coach, så hjälper hen dig.

# The log-in page in the participant's language (pages/login.rs, portal_login.html)
login-title = Logga in
login-with-eid = Logga in med e-legitimation
login-with-password = Med lösenord
login-email = E-post
login-password = Lösenord
login-submit = Logga in
login-wrong = E-postadressen eller lösenordet stämmer inte.
login-too-many = Du har försökt för många gånger. Vänta en kvart. Försök sedan igen.
login-passwords-off = Du kan inte logga in med lösenord här. Använd e-legitimation.
login-staff = Personal
