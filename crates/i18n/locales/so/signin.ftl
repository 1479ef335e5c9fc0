# Signing in with an e-legitimation (pages/oidc.rs)
signin-not-found-title = Ma aanu ku helin
signin-not-found = Lagama diiwaan gelin annaga lambarkaas aqoonsiga shakhsiga ah. La xiriir hagahaaga (coach), wuu ku caawin doonaa.

# The log-in page in the participant's language (pages/login.rs, portal_login.html)
login-title = Gal
login-with-eid = Ku gal aqoonsi elektaroonig ah
login-with-password = Furaha sirta ah
login-email = Iimayl
login-password = Furaha sirta ah
login-submit = Gal
login-wrong = Iimaylka ama furaha sirta ah waa khalad.
login-too-many = Isku day badan ayaad samaysay. Sug shan iyo toban daqiiqo. Kadib mar kale isku day.
login-passwords-off = Halkan kuma geli kartid furaha sirta ah. Isticmaal aqoonsi elektaroonig ah.
login-staff = Shaqaalaha
