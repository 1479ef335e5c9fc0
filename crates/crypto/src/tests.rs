use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use proptest::prelude::*;

use super::*;

fn line(id: u8, key: &[u8]) -> String {
    format!("{id}:{}\n", B64.encode(key))
}

fn bad_key_file(text: &str) -> String {
    match KeyRing::from_key_file(text) {
        Err(CryptoError::BadKeyFile(msg)) => msg,
        other => panic!("expected BadKeyFile, got {other:?}"),
    }
}

#[test]
fn round_trip() {
    let ring = KeyRing::from_bytes([7; 32]);
    let blob = ring.encrypt(b"19121212-1212", b"row-1");
    assert_eq!(blob[0], 1);
    assert_eq!(blob.len(), 1 + 12 + 13 + 16);
    assert_eq!(ring.decrypt(&blob, b"row-1").unwrap(), b"19121212-1212");
    // Random nonces: the same value never encrypts to the same bytes.
    assert_ne!(blob, ring.encrypt(b"19121212-1212", b"row-1"));
}

#[test]
fn tampering_any_byte_fails() {
    let ring = KeyRing::from_bytes([7; 32]);
    let blob = ring.encrypt(b"secret", b"row-1");
    for i in 0..blob.len() {
        let mut bad = blob.clone();
        bad[i] ^= 0x01;
        assert!(ring.decrypt(&bad, b"row-1").is_err(), "byte {i}");
    }
    assert!(matches!(
        ring.decrypt(&blob[..blob.len() - 1], b"row-1"),
        Err(CryptoError::Decrypt)
    ));
    assert!(matches!(
        ring.decrypt(&[], b"row-1"),
        Err(CryptoError::Decrypt)
    ));
}

#[test]
fn wrong_aad_fails() {
    let ring = KeyRing::from_bytes([7; 32]);
    let blob = ring.encrypt(b"secret", b"row-1");
    assert!(matches!(
        ring.decrypt(&blob, b"row-2"),
        Err(CryptoError::Decrypt)
    ));
}

#[test]
fn rotation_keeps_old_values_readable() {
    let old = KeyRing::from_key_file(&line(1, &[1; 32])).unwrap();
    let blob1 = old.encrypt(b"old", b"r");

    let rotated = KeyRing::from_key_file(&(line(1, &[1; 32]) + &line(2, &[2; 32]))).unwrap();
    assert_eq!(rotated.decrypt(&blob1, b"r").unwrap(), b"old");
    let blob2 = rotated.encrypt(b"new", b"r");
    assert_eq!(blob2[0], 2);
    assert_eq!(rotated.decrypt(&blob2, b"r").unwrap(), b"new");
    // The old ring cannot know about key 2.
    assert!(matches!(
        old.decrypt(&blob2, b"r"),
        Err(CryptoError::UnknownKeyId(2))
    ));
}

#[test]
fn blind_index_stable_across_rotation() {
    let old = KeyRing::from_key_file(&line(1, &[1; 32])).unwrap();
    let rotated = KeyRing::from_key_file(&(line(1, &[1; 32]) + &line(2, &[2; 32]))).unwrap();
    assert_eq!(
        old.blind_index(b"191212121212"),
        rotated.blind_index(b"191212121212")
    );
    assert_ne!(
        old.blind_index(b"191212121212"),
        old.blind_index(b"191212121213")
    );
    // A different first key gives a different index.
    let other = KeyRing::from_bytes([9; 32]);
    assert_ne!(old.blind_index(b"x"), other.blind_index(b"x"));
    // Domain separation: the index is not a plain HMAC under the master key.
    assert_ne!(old.blind_index(b"x"), hmac_sha256(&[1; 32], b"x"));
}

#[test]
fn debug_redacts_keys() {
    let (k1, k2) = ([0xAB; 32], [0xCD; 32]);
    let ring = KeyRing::from_key_file(&(line(1, &k1) + &line(2, &k2))).unwrap();
    for out in [format!("{ring:?}"), format!("{ring:#?}")] {
        for key in [k1, k2] {
            assert!(!out.contains(&B64.encode(key)), "{out}");
            assert!(!out.contains(&format!("{:?}", &key[..4])), "{out}");
        }
    }
    assert_eq!(
        format!("{ring:?}"),
        "KeyRing { current: 2, keys: [1, 2], .. }"
    );
}

#[test]
fn key_file_comments_and_blank_lines() {
    let text = format!("# comment\n\n  {}  \n# more\n", line(3, &[3; 32]).trim());
    let ring = KeyRing::from_key_file(&text).unwrap();
    assert_eq!(format!("{ring:?}"), "KeyRing { current: 3, keys: [3], .. }");
}

#[test]
fn generated_key_file_parses() {
    let text = KeyRing::generate_key_file();
    let a = KeyRing::from_key_file(&text).unwrap();
    let b = KeyRing::from_key_file(&KeyRing::generate_key_file()).unwrap();
    assert_ne!(a.blind_index(b"x"), b.blind_index(b"x"));
}

#[test]
fn key_file_errors() {
    let good = B64.encode([1; 32]);
    let msg = bad_key_file("1:not base64!!\n");
    assert!(msg.contains("line 1") && msg.contains("base64"), "{msg}");
    let msg = bad_key_file(&format!("1:{}\n", B64.encode([1; 16])));
    assert!(msg.contains("32 bytes") && msg.contains("16"), "{msg}");
    let msg = bad_key_file(&format!("0:{good}\n"));
    assert!(msg.contains("id 0"), "{msg}");
    let msg = bad_key_file(&format!("256:{good}\n"));
    assert!(msg.contains("1 to 255"), "{msg}");
    let msg = bad_key_file(&format!("1:{good}\n# c\n1:{good}\n"));
    assert!(
        msg.contains("line 3") && msg.contains("duplicate key id 1"),
        "{msg}"
    );
    let msg = bad_key_file(&format!("{good}\n"));
    assert!(msg.contains("<id>:<base64 key>"), "{msg}");
    for empty in ["", "\n\n", "# only a comment\n"] {
        let msg = bad_key_file(empty);
        assert!(msg.contains("no keys"), "{msg}");
    }
    // Messages never echo key material.
    let msg = bad_key_file(&format!("1:{good}x\n"));
    assert!(!msg.contains(&good), "{msg}");
}

fn temp_dir() -> std::path::PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    std::env::temp_dir().join(format!("stegvis-crypto-{}-{nanos}", std::process::id()))
}

#[test]
fn create_new_then_load_and_never_create_on_load() {
    let dir = temp_dir();
    let path = dir.join("nested").join("keys.txt");

    assert!(matches!(KeyRing::load(&path), Err(CryptoError::Missing(_))));
    assert!(!path.exists(), "load never creates a key file");
    let first = KeyRing::create_new(&path).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(KeyRing::create_new(&path).is_err(), "never overwrites");
    let second = KeyRing::load(&path).unwrap();
    assert_eq!(first.blind_index(b"x"), second.blind_index(b"x"));
    assert_eq!(first.check_value(1), second.check_value(1));
    let blob = first.encrypt(b"v", b"r");
    assert_eq!(second.decrypt(&blob, b"r").unwrap(), b"v");

    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn append_and_remove_keys_in_the_file() {
    let dir = temp_dir();
    let path = dir.join("keys.txt");
    let first = KeyRing::create_new(&path).unwrap();
    let old = first.encrypt(b"old", b"r");
    assert_eq!(KeyRing::append_key(&path).unwrap(), 2);
    let both = KeyRing::load(&path).unwrap();
    assert_eq!(both.key_ids(), vec![1, 2]);
    assert_eq!(both.check_value(1), first.check_value(1));
    assert_ne!(both.check_value(1), both.check_value(2));
    let rotated = both.with_roles(2, 2).unwrap();
    let new = rotated.encrypt(b"new", b"r");
    assert_eq!(new[0], 2);
    assert_eq!(rotated.decrypt(&old, b"r").unwrap(), b"old");
    assert_ne!(rotated.blind_index(b"x"), first.blind_index(b"x"));
    assert_eq!(
        rotated.blind_index_with(1, b"x"),
        Some(first.blind_index(b"x"))
    );
    assert!(matches!(
        both.with_roles(3, 1),
        Err(CryptoError::UnknownKeyId(3))
    ));

    KeyRing::remove_key(&path, 1).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("# Stegvis master keys"), "comments kept");
    let left = KeyRing::load(&path).unwrap();
    assert_eq!(left.key_ids(), vec![2]);
    assert_eq!(left.decrypt(&new, b"r").unwrap(), b"new");
    assert!(KeyRing::remove_key(&path, 2).is_err(), "the last key stays");
    assert!(KeyRing::remove_key(&path, 7).is_err());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the rewritten file stays private");
    }
    let names: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert_eq!(names.len(), 1, "no temporary file left behind");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn check_value_is_not_the_key_or_its_derivations() {
    let ring = KeyRing::from_bytes([5; 32]);
    let check = ring.check_value(1).unwrap();
    assert_ne!(&check[..], &[5; 16][..]);
    assert_ne!(&check[..], &ring.blind_index(b"")[..16]);
    assert_ne!(
        ring.check_value(1),
        KeyRing::from_bytes([6; 32]).check_value(1)
    );
    assert_eq!(ring.check_value(2), None);
    assert_eq!(ring.master(1), Some(&[5; 32]));
}

proptest! {
    #[test]
    fn prop_round_trip(
        plaintext in proptest::collection::vec(any::<u8>(), 0..1024),
        aad in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        let ring = KeyRing::from_bytes([42; 32]);
        let blob = ring.encrypt(&plaintext, &aad);
        prop_assert_eq!(blob.len(), plaintext.len() + HEADER_LEN + TAG_LEN);
        prop_assert_eq!(ring.decrypt(&blob, &aad).unwrap(), plaintext);
    }
}
