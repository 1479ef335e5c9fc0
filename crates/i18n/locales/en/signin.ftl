# Signing in with an e-legitimation (pages/oidc.rs)
signin-not-found-title = We could not find you
signin-not-found = You are not registered with us under that personal identity number. Contact your coach, who will help you.
