# Signing in with an e-legitimation (pages/oidc.rs)
signin-not-found-title = لم نجدك
signin-not-found = أنت غير مسجل لدينا بهذا الرقم الشخصي. تواصل مع مرشدك، وسيساعدك.
