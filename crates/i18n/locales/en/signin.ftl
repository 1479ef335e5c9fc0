# Signing in with an e-legitimation (pages/oidc.rs)
signin-not-found-title = We could not find you
signin-not-found = You are not registered with us under that personal identity number. Contact your coach, who will help you.

# The log-in page in the participant's language (pages/login.rs, portal_login.html)
login-title = Log in
login-with-eid = Log in with e-identification
login-with-password = With a password
login-email = E-mail
login-password = Password
login-submit = Log in
login-wrong = The e-mail address or the password is wrong.
login-too-many = You have tried too many times. Wait fifteen minutes. Then try again.
login-passwords-off = You cannot log in with a password here. Use e-identification.
login-staff = Staff
