//! `*`/`?` wildcard matching as IAM policies and OpenSSH host patterns both use it: `*`
//! matches any run of characters, `?` exactly one, optionally ignoring ASCII case.

/// Whether `text` matches `pattern`.
pub fn matches(pattern: &str, text: &str, case_insensitive: bool) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = if case_insensitive {
        (pattern.to_ascii_lowercase().chars().collect(), text.to_ascii_lowercase().chars().collect())
    } else {
        (pattern.chars().collect(), text.chars().collect())
    };
    glob(&p, &t, '*', '?', |a, b| a == b)
}

/// The matcher itself, over any units (chars here; bytes in iam-audit's compiled patterns):
/// greedy, with one backtrack point at the last `*`. `same(pattern_unit, text_unit)` says
/// whether two units match (where case folding goes).
pub fn glob<T: Copy + PartialEq>(p: &[T], t: &[T], star: T, one: T, same: impl Fn(T, T) -> bool) -> bool {
    let (mut pi, mut ti, mut backtrack, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == one || same(p[pi], t[ti])) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == star {
            backtrack = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = backtrack {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == star)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_questions_and_case() {
        assert!(matches("iam:Create*", "IAM:createuser", true));
        assert!(!matches("iam:Create*", "IAM:createuser", false));
        assert!(matches("s3:Get?bject", "s3:GetObject", false));
        assert!(matches("*.internal", "web.internal", false));
        assert!(!matches("a*b", "acbd", false));
        assert!(matches("*", "", false));
    }
}
