//! Accounts: the one-time links that set a password, and the state an account is in.

crate::code_list!(
    /// What a one-time link is for.
    LinkPurpose, "link purpose" {
        Setup => "setup", "Första start", "First start";
        Invitation => "invitation", "Inbjudan", "Invitation";
        PasswordReset => "password_reset", "Nytt lösenord", "Password reset";
        Activation => "activation", "Aktivering av deltagarkonto", "Participant account activation";
    }
);

crate::code_list!(
    /// Where an account stands: waiting for its holder to set a password, in use, or switched off.
    AccountStatus, "account status" {
        Invited => "invited", "Inbjuden, inget lösenord än", "Invited, no password yet";
        Active => "active", "Aktivt", "Active";
        Deactivated => "deactivated", "Avstängt", "Deactivated";
    }
);

crate::code_list!(
    /// Whether an API token still opens the API.
    TokenStatus, "token status" {
        Live => "live", "Gäller", "Live";
        Expired => "expired", "Har gått ut", "Expired";
        Revoked => "revoked", "Återkallad", "Revoked";
    }
);

impl AccountStatus {
    /// The status of an account with or without a password, switched off or not.
    pub fn of(has_password: bool, disabled: bool) -> Self {
        match (disabled, has_password) {
            (true, _) => AccountStatus::Deactivated,
            (false, true) => AccountStatus::Active,
            (false, false) => AccountStatus::Invited,
        }
    }
}

/// How long a link of each purpose stays valid.
pub fn link_lifetime(purpose: LinkPurpose) -> time::Duration {
    match purpose {
        // Printed at a server's first start: whoever reads the console sets it up at once.
        LinkPurpose::Setup => time::Duration::hours(1),
        // Handed over in person or by the new colleague's manager.
        LinkPurpose::Invitation | LinkPurpose::Activation => time::Duration::days(7),
        LinkPurpose::PasswordReset => time::Duration::hours(24),
    }
}

/// Letters of a link code: Crockford's base 32, which leaves out I, L, O and U so that a code
/// read aloud or copied from paper is not misread.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters in a code: 100 bits, more than enough for a single-use secret that expires.
pub const CODE_LEN: usize = 20;

/// A code from 20 random bytes' worth of choices (`random` gives one byte per character).
pub fn code_from(random: &[u8; CODE_LEN]) -> String {
    random
        .iter()
        .map(|b| ALPHABET[(b & 31) as usize] as char)
        .collect()
}

/// A code as typed: capitals, without spaces and dashes, and the letters people confuse with
/// digits read as those digits. `None` when it cannot be a code.
pub fn normalise_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '\t'))
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect();
    (code.len() == CODE_LEN && code.bytes().all(|b| ALPHABET.contains(&b))).then_some(code)
}

/// A code in groups of five, to read and type: `ABCDE-FGHJK-…`.
pub fn grouped(code: &str) -> String {
    code.as_bytes()
        .chunks(5)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// Why a password is too weak, in Swedish and English, or `None` when it will do. `email` is the
/// account's: a password that holds its name part is easy to guess.
pub fn password_weakness(password: &str, email: &str) -> Option<(&'static str, &'static str)> {
    let chars = password.chars().count();
    if chars < 12 {
        return Some((
            "Lösenordet måste ha minst 12 tecken.",
            "The password must have at least 12 characters.",
        ));
    }
    if chars > 200 {
        return Some((
            "Lösenordet får ha högst 200 tecken.",
            "The password may have at most 200 characters.",
        ));
    }
    let lower = password.to_lowercase();
    let distinct = {
        let mut c: Vec<char> = lower.chars().collect();
        c.sort_unstable();
        c.dedup();
        c.len()
    };
    let local = email.split('@').next().unwrap_or_default().to_lowercase();
    // The demo's public password, and the kind every list of leaked passwords starts with.
    const KNOWN: &[&str] = &[
        "stegvis-demo",
        "stegvis",
        "password",
        "lösenord",
        "losenord",
        "123456789",
        "qwerty",
        "abc123",
    ];
    let known = KNOWN.iter().any(|k| lower.contains(k));
    if distinct < 5 || known || (local.len() >= 4 && lower.contains(&local)) {
        return Some((
            "Lösenordet är för lätt att gissa. Välj en mening eller flera ord som inte hör till dig eller Stegvis.",
            "The password is too easy to guess. Choose a sentence or several words that are not about you or Stegvis.",
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_back_as_typed_on_paper() {
        let code = code_from(&[7; CODE_LEN]);
        assert_eq!(code.len(), CODE_LEN);
        assert_eq!(normalise_code(&code), Some(code.clone()));
        assert_eq!(normalise_code(&grouped(&code).to_lowercase()), Some(code));
        assert_eq!(
            normalise_code("oooo-iiii-llll-0000-1111"),
            Some("00001111111100001111".into())
        );
        assert_eq!(normalise_code("short"), None);
        assert_eq!(
            normalise_code("UUUUUUUUUUUUUUUUUUUU"),
            None,
            "U is not a letter of it"
        );
        assert_eq!(grouped("ABCDEFGHJK"), "ABCDE-FGHJK");
    }

    #[test]
    fn weak_passwords_are_named() {
        assert!(password_weakness("kort", "a@b.se").is_some());
        assert!(password_weakness("stegvis-demo", "a@b.se").is_some());
        assert!(password_weakness("aaaaaaaaaaaaaaaa", "a@b.se").is_some());
        assert!(password_weakness("karin.lund-2026!", "karin.lund@kommun.se").is_some());
        assert!(password_weakness("MittPassword2026", "a@b.se").is_some());
        assert_eq!(
            password_weakness("tre gröna tåg i regn", "karin@kommun.se"),
            None
        );
    }

    #[test]
    fn status_of_an_account() {
        assert_eq!(AccountStatus::of(false, false), AccountStatus::Invited);
        assert_eq!(AccountStatus::of(true, false), AccountStatus::Active);
        assert_eq!(AccountStatus::of(true, true), AccountStatus::Deactivated);
    }
}
