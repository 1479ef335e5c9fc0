# Signing in with an e-legitimation (pages/oidc.rs)
signin-not-found-title = Ma aanu ku helin
signin-not-found = Lagama diiwaan gelin annaga lambarkaas aqoonsiga shakhsiga ah. La xiriir hagahaaga (coach), wuu ku caawin doonaa.
