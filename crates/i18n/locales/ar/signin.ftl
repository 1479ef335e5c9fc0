# Signing in with an e-legitimation (pages/oidc.rs)
signin-not-found-title = لم نجدك
signin-not-found = أنت غير مسجل لدينا بهذا الرقم الشخصي. تواصل مع مرشدك، وسيساعدك.

# The log-in page in the participant's language (pages/login.rs, portal_login.html)
login-title = تسجيل الدخول
login-with-eid = تسجيل الدخول بالهوية الإلكترونية
login-with-password = بكلمة المرور
login-email = البريد الإلكتروني
login-password = كلمة المرور
login-submit = تسجيل الدخول
login-wrong = البريد الإلكتروني أو كلمة المرور غير صحيحة.
login-too-many = لقد حاولت مرات كثيرة. انتظر ربع ساعة. ثم حاول مرة أخرى.
login-passwords-off = لا يمكنك تسجيل الدخول بكلمة مرور هنا. استخدم الهوية الإلكترونية.
login-staff = الموظفون
