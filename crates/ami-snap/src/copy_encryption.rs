//! How a copy is encrypted, as one value: what `ami-snap copy` asks for, the tag it puts
//! on the copy, and part of its client token, so a copy made with other encryption (or
//! none, or another key) is never taken for "the same copy" and silently reused.

/// The tag on each copy that records how it was asked to be encrypted.
pub const COPY_ENCRYPTION_TAG: &str = "awsops:copy-encryption";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CopyEncryption {
    /// `--no-encrypt`: the copy's volumes keep the source's encryption.
    Unencrypted,
    /// The default: encrypted with the target region's default EBS key.
    DefaultKey,
    /// `--kms-key REGION=KEY`.
    Key(String),
}

impl CopyEncryption {
    pub fn chosen(no_encrypt: bool, key: Option<&String>) -> CopyEncryption {
        match (key, no_encrypt) {
            (Some(key), _) => CopyEncryption::Key(key.clone()),
            (None, true) => CopyEncryption::Unencrypted,
            (None, false) => CopyEncryption::DefaultKey,
        }
    }

    pub fn encrypted(&self) -> bool {
        *self != CopyEncryption::Unencrypted
    }

    pub fn kms_key(&self) -> Option<&str> {
        match self {
            CopyEncryption::Key(key) => Some(key),
            _ => None,
        }
    }

    /// The value of [`COPY_ENCRYPTION_TAG`].
    pub fn tag_value(&self) -> String {
        match self {
            CopyEncryption::Unencrypted => "none".to_owned(),
            CopyEncryption::DefaultKey => "default-key".to_owned(),
            CopyEncryption::Key(key) => format!("kms:{key}"),
        }
    }

    /// What an existing copy was made with: from its tag; a copy from before the tag
    /// existed counts as unencrypted only if none of its volumes is encrypted, else as
    /// unknown (`None`), which matches nothing.
    pub fn of_copy(tag: Option<&str>, any_volume_encrypted: bool) -> Option<CopyEncryption> {
        match tag {
            Some("none") => Some(CopyEncryption::Unencrypted),
            Some("default-key") => Some(CopyEncryption::DefaultKey),
            Some(other) => other.strip_prefix("kms:").map(|k| CopyEncryption::Key(k.to_owned())),
            None if !any_volume_encrypted => Some(CopyEncryption::Unencrypted),
            None => None,
        }
    }

    /// A short, stable part of the CopyImage client token (tokens are at most 64 characters).
    pub fn token_part(&self) -> String {
        match self {
            CopyEncryption::Unencrypted => "plain".to_owned(),
            CopyEncryption::DefaultKey => "enc".to_owned(),
            CopyEncryption::Key(key) => format!("k{:08x}", awsops_core::stable_hash::fnv1a(key.as_bytes()) as u32),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encrypted_unless_asked_not_to() {
        let key = "arn:aws:kms:us-east-1:123456789012:key/1".to_owned();
        assert_eq!(CopyEncryption::chosen(false, None), CopyEncryption::DefaultKey);
        assert_eq!(CopyEncryption::chosen(true, None), CopyEncryption::Unencrypted);
        assert_eq!(CopyEncryption::chosen(false, Some(&key)), CopyEncryption::Key(key.clone()));
        assert!(CopyEncryption::DefaultKey.encrypted() && !CopyEncryption::Unencrypted.encrypted());
    }

    #[test]
    fn tags_round_trip_and_legacy_copies_are_judged_by_their_volumes() {
        for e in [CopyEncryption::Unencrypted, CopyEncryption::DefaultKey, CopyEncryption::Key("alias/backup".into())] {
            assert_eq!(CopyEncryption::of_copy(Some(&e.tag_value()), true), Some(e));
        }
        assert_eq!(CopyEncryption::of_copy(None, false), Some(CopyEncryption::Unencrypted));
        assert_eq!(CopyEncryption::of_copy(None, true), None);
        assert_eq!(CopyEncryption::of_copy(Some("garbage"), false), None);
    }

    #[test]
    fn tokens_differ_by_encryption_and_key() {
        let parts: Vec<String> =
            [CopyEncryption::Unencrypted, CopyEncryption::DefaultKey, CopyEncryption::Key("k1".into()), CopyEncryption::Key("k2".into())]
                .iter()
                .map(CopyEncryption::token_part)
                .collect();
        let mut unique = parts.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 4, "{parts:?}");
        assert!(parts.iter().all(|p| p.len() <= 9));
    }
}
