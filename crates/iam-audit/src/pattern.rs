//! A wildcard pattern (`*`, `?`) compiled once and matched many times without allocating:
//! policies such as ReadOnlyAccess carry thousands of action patterns, and the shared
//! matcher in core (which lowercases and collects chars on every call) made each match
//! cost four allocations. Semantics are exactly those of `awsops_core::wildcard::matches`
//! (ASCII case folding when asked; `?` is one char), which the property tests pin.

use awsops_core::wildcard::matches as reference;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    /// `*` (or `**`…): everything (but see `matches` for texts holding a `*`).
    Any(Box<[u8]>),
    /// No wildcard at all.
    Exact(Box<[u8]>),
    /// Literal text then one trailing `*` (kept whole, for texts that hold a `*`).
    Prefix(Box<[u8]>),
    /// ASCII with wildcards anywhere.
    Glob(Box<[u8]>),
    /// A pattern with non-ASCII text: rare, so it keeps the reference matcher.
    Unicode(Box<str>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    kind: Kind,
    /// ASCII case-insensitive (IAM actions), else exact (resources).
    fold: bool,
    has_question: bool,
}

impl Pattern {
    pub fn new(pattern: &str, case_insensitive: bool) -> Pattern {
        let has_question = pattern.contains('?');
        let kind = if !pattern.is_ascii() {
            Kind::Unicode(pattern.into())
        } else {
            let bytes: Box<[u8]> =
                if case_insensitive { pattern.to_ascii_lowercase().into_bytes().into() } else { pattern.as_bytes().into() };
            let stars = bytes.iter().filter(|b| **b == b'*').count();
            if !bytes.is_empty() && stars == bytes.len() {
                Kind::Any(bytes)
            } else if stars == 0 && !has_question {
                Kind::Exact(bytes)
            } else if stars == 1 && !has_question && bytes.last() == Some(&b'*') {
                Kind::Prefix(bytes)
            } else {
                Kind::Glob(bytes)
            }
        };
        Pattern { kind, fold: case_insensitive, has_question }
    }

    /// Whether the pattern is only stars (matches every IAM action and resource).
    pub fn is_any(&self) -> bool {
        matches!(self.kind, Kind::Any(_))
    }

    pub fn matches(&self, text: &str) -> bool {
        let t = text.as_bytes();
        match &self.kind {
            Kind::Unicode(p) => reference(p, text, self.fold),
            Kind::Exact(p) => p.len() == t.len() && self.eq_bytes(p, t),
            // `?` is one char: on non-ASCII text a byte is not a char, so defer.
            Kind::Glob(p) if self.has_question && !text.is_ascii() => {
                reference(std::str::from_utf8(p).unwrap_or_default(), text, self.fold)
            }
            // The reference matches a `*` in the text against a `*` of the pattern literally
            // first, without backtracking past it: only such texts need the full glob to agree.
            Kind::Any(p) | Kind::Prefix(p) | Kind::Glob(p) if t.contains(&b'*') => self.glob(p, t),
            Kind::Any(_) => true,
            Kind::Prefix(p) => {
                let literal = &p[..p.len() - 1];
                t.len() >= literal.len() && self.eq_bytes(literal, &t[..literal.len()])
            }
            Kind::Glob(p) => self.glob(p, t),
        }
    }

    fn byte_eq(&self, p: u8, t: u8) -> bool {
        p == if self.fold { t.to_ascii_lowercase() } else { t }
    }

    fn eq_bytes(&self, p: &[u8], t: &[u8]) -> bool {
        p.iter().zip(t).all(|(a, b)| self.byte_eq(*a, *b))
    }

    /// Core's matcher, byte for byte (which also lets a `*` in the text match a `*` in the
    /// pattern literally first).
    fn glob(&self, p: &[u8], t: &[u8]) -> bool {
        awsops_core::wildcard::glob(p, t, b'*', b'?', |a, b| self.byte_eq(a, b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn kinds_and_cases() {
        assert!(Pattern::new("*", true).is_any() && Pattern::new("**", false).is_any());
        assert!(Pattern::new("iam:Create*", true).matches("IAM:createUser"));
        assert!(!Pattern::new("iam:Create*", false).matches("IAM:createUser"));
        assert!(Pattern::new("s3:Get?bject", true).matches("s3:GetObject"));
        assert!(Pattern::new("a*b*c", false).matches("aXbYbZc"));
        assert!(!Pattern::new("a*b", false).matches("acbd"));
        assert!(Pattern::new("", false).matches("") && !Pattern::new("", false).matches("x"));
        assert!(Pattern::new("arn:aws:s3:::é/*", false).matches("arn:aws:s3:::é/x"));
        assert!(Pattern::new("x?", false).matches("xé"), "? is one char, not one byte");
        assert!(!Pattern::new("x??", false).matches("xé"));
    }

    proptest! {
        #[test]
        fn agrees_with_the_reference_matcher(pattern in "[aAbB:*?é]{0,8}", text in "[aAbB:*é]{0,10}", fold in any::<bool>()) {
            prop_assert_eq!(Pattern::new(&pattern, fold).matches(&text), reference(&pattern, &text, fold), "{:?} {:?}", pattern, text);
        }
    }
}
