//! `*`/`?` wildcard matching as IAM policies and OpenSSH host patterns both use it: `*`
//! matches any run of characters, `?` exactly one, optionally ignoring ASCII case.

/// Whether `text` matches `pattern`.
pub fn matches(pattern: &str, text: &str, case_insensitive: bool) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = if case_insensitive {
        (pattern.to_ascii_lowercase().chars().collect(), text.to_ascii_lowercase().chars().collect())
    } else {
        (pattern.chars().collect(), text.chars().collect())
    };
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
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
