# Signing in with an e-legitimation (pages/oidc.rs)
signin-not-found-title = Vi hittade dig inte
signin-not-found = Du är inte inskriven hos oss med det personnumret. Kontakta din coach, så hjälper hen dig.
