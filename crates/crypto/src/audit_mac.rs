//! The audit trail's MAC key: derived from each encryption key with its own label, so the
//! trail's MACs and the field encryption never share a key, and a key file without that key
//! cannot forge an event.

use crate::{KeyRing, derive, hmac_sha256};

const LABEL_AUDIT_MAC: &[u8] = b"stegvis audit mac v1";

impl KeyRing {
    /// The key new audit events are signed with: the newest in the ring. A process that has
    /// seen a rotation's new key signs with it at once, so that no event signed after a
    /// rotation depends on the old key that `keys retire` then removes.
    pub fn audit_key_id(&self) -> u8 {
        self.keys.iter().map(|k| k.id).max().unwrap_or(self.current)
    }

    /// HMAC-SHA-256 of `bytes` under the audit key derived from key `key_id`, or `None` when
    /// the key file does not hold that key.
    pub fn audit_mac(&self, key_id: u8, bytes: &[u8]) -> Option<[u8; 32]> {
        let mac_key = derive(self.master(key_id)?, LABEL_AUDIT_MAC);
        Some(hmac_sha256(&mac_key, bytes))
    }
}

#[cfg(test)]
mod tests {
    use crate::KeyRing;

    #[test]
    fn the_audit_mac_depends_on_key_and_bytes() {
        let a = KeyRing::from_bytes([1; 32]);
        let b = KeyRing::from_bytes([2; 32]);
        let id = a.audit_key_id();
        assert_eq!(a.audit_mac(id, b"x"), a.audit_mac(id, b"x"));
        assert_ne!(a.audit_mac(id, b"x"), a.audit_mac(id, b"y"));
        assert_ne!(a.audit_mac(id, b"x"), b.audit_mac(id, b"x"));
        assert_eq!(a.audit_mac(9, b"x"), None);
    }
}
