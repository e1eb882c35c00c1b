//! The names a certificate covers: the domain first, then the extra names, checked,
//! lowercased and without duplicates, so "is this existing certificate the one asked
//! for" is a set comparison and the request's idempotency token is stable across runs.

use awsops_core::dns_name::DomainName;
use awsops_core::{Error, Result};
use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertNames {
    /// The certificate's domain (its common name).
    pub domain: DomainName,
    /// The domain and every extra name, sorted, each once.
    pub all: BTreeSet<DomainName>,
}

impl CertNames {
    pub fn parse(domain: &str, extra: &[String]) -> Result<CertNames> {
        let domain = DomainName::parse(domain)?;
        let mut all = BTreeSet::from([domain.clone()]);
        for name in extra {
            all.insert(DomainName::parse(name)?);
        }
        // ACM's limits: 10 names per certificate unless the quota was raised; the hard cap is 100.
        if all.len() > 100 {
            return Err(Error::usage(format!("{} names: a certificate covers at most 100", all.len())));
        }
        Ok(CertNames { domain, all })
    }

    /// The extra names, for RequestCertificate's SubjectAlternativeNames (ACM adds the domain itself).
    pub fn alternative_names(&self) -> Vec<String> {
        self.all.iter().filter(|n| **n != self.domain).map(|n| n.as_str().to_owned()).collect()
    }

    pub fn as_strings(&self) -> Vec<String> {
        self.all.iter().map(|n| n.as_str().to_owned()).collect()
    }

    /// Whether a certificate with this domain and these names (ACM lists the domain among
    /// them too) covers exactly the names asked for.
    pub fn same_as(&self, domain: &str, names: &[String]) -> bool {
        let theirs: BTreeSet<String> =
            names.iter().chain(std::iter::once(&domain.to_owned())).map(|n| n.trim_end_matches('.').to_ascii_lowercase()).collect();
        domain.trim_end_matches('.').eq_ignore_ascii_case(self.domain.as_str()) && theirs.iter().eq(self.all.iter().map(DomainName::as_str))
    }

    /// A token that makes RequestCertificate idempotent for an hour: the same names and key
    /// give the same token (ACM allows 32 word characters).
    pub fn idempotency_token(&self, key_algorithm: &str) -> String {
        let text = format!("{key_algorithm}|{}|{}", self.domain, self.as_strings().join(","));
        format!("certattach{:016x}", awsops_core::stable_hash::fnv1a(text.as_bytes()))
    }
}

/// The name whose hosted zone holds a name's validation record: a wildcard is validated
/// at its parent (`*.example.com` by a record under `example.com`).
pub fn validated_at(name: &DomainName) -> Result<DomainName> {
    match name.as_str().strip_prefix("*.") {
        Some(parent) => DomainName::parse(parent),
        None => Ok(name.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn names(domain: &str, extra: &[&str]) -> CertNames {
        CertNames::parse(domain, &extra.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn names_are_normalised_and_deduplicated() {
        let n = names("Example.COM.", &["www.example.com", "example.com", "*.example.com"]);
        assert_eq!(n.domain.as_str(), "example.com");
        assert_eq!(n.as_strings(), ["*.example.com", "example.com", "www.example.com"]);
        assert_eq!(n.alternative_names(), ["*.example.com", "www.example.com"]);
    }

    #[test]
    fn bad_names_are_usage_errors() {
        for (domain, extra) in [("exa mple.com", vec![]), ("example.com", vec!["www..example.com".to_owned()]), ("com", vec![])] {
            assert_eq!(CertNames::parse(domain, &extra).unwrap_err().exit_code(), 2, "{domain} {extra:?}");
        }
        assert_eq!(CertNames::parse("a.*.example.com", &[]).unwrap_err().exit_code(), 2);
    }

    #[test]
    fn matching_is_by_the_whole_set_and_the_domain() {
        let n = names("example.com", &["www.example.com"]);
        let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
        assert!(n.same_as("example.com", &s(&["example.com", "www.example.com"])));
        assert!(n.same_as("EXAMPLE.com", &s(&["WWW.example.com."])));
        assert!(!n.same_as("example.com", &s(&["example.com"])));
        assert!(!n.same_as("example.com", &s(&["example.com", "www.example.com", "api.example.com"])));
        assert!(!n.same_as("www.example.com", &s(&["example.com", "www.example.com"])));
    }

    #[test]
    fn wildcards_are_validated_at_their_parent() {
        let d = |s: &str| DomainName::parse(s).unwrap();
        assert_eq!(validated_at(&d("*.example.com")).unwrap(), d("example.com"));
        assert_eq!(validated_at(&d("www.example.com")).unwrap(), d("www.example.com"));
    }

    proptest! {
        #[test]
        fn the_token_depends_on_the_set_not_the_order(mut extra in proptest::collection::vec("[a-z]{1,8}", 0..6), key in "RSA_2048|EC_prime256v1") {
            let with_domain = |v: &[String]| v.iter().map(|l| format!("{l}.example.com")).collect::<Vec<_>>();
            let a = CertNames::parse("example.com", &with_domain(&extra)).unwrap();
            extra.reverse();
            extra.extend(extra.clone());
            let b = CertNames::parse("example.com", &with_domain(&extra)).unwrap();
            let token = a.idempotency_token(&key);
            prop_assert_eq!(&token, &b.idempotency_token(&key));
            prop_assert!(token.len() <= 32 && token.chars().all(|c| c.is_ascii_alphanumeric()));
            let other = if key == "RSA_2048" { "EC_prime256v1" } else { "RSA_2048" };
            prop_assert_ne!(token, a.idempotency_token(other));
        }
    }
}
