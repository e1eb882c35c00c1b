//! IAM's credential report (CSV): per user (and `<root_account>`) whether a password and
//! MFA are on, and each access key's state, rotation and last use, so no call per key is
//! needed. Times are ISO 8601; "N/A", "no_information" and "not_supported" mean none.

use awsops_core::{Error, Result};
use std::collections::HashMap;

pub const ROOT: &str = "<root_account>";

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Key {
    pub active: bool,
    pub last_rotated: Option<i64>,
    pub last_used: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Row {
    pub user: String,
    pub arn: String,
    pub created: Option<i64>,
    pub password_enabled: bool,
    pub password_last_used: Option<i64>,
    pub mfa_active: bool,
    pub keys: [Key; 2],
}

/// "2014-09-01T22:28:48+00:00" (or with Z, or fractional seconds) → seconds since the epoch (UTC).
pub fn parse_time(text: &str) -> Option<i64> {
    let t = text.trim();
    if t.len() < 19 {
        return None;
    }
    let num = |r: std::ops::Range<usize>| t.get(r).and_then(|s| s.parse::<i64>().ok());
    let (y, mo, d, h, mi, s) = (num(0..4)?, num(5..7)?, num(8..10)?, num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3600 + mi * 60 + s)
}

fn flag(v: &str) -> bool {
    v.eq_ignore_ascii_case("true")
}

pub fn parse(csv: &str) -> Result<Vec<Row>> {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().ok_or_else(|| Error::failed("the credential report is empty"))?.split(',').collect();
    let col: HashMap<&str, usize> = header.iter().enumerate().map(|(i, h)| (h.trim(), i)).collect();
    for needed in ["user", "arn", "password_enabled", "mfa_active", "access_key_1_active"] {
        if !col.contains_key(needed) {
            return Err(Error::failed(format!("the credential report has no {needed} column")));
        }
    }
    let mut rows = Vec::new();
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split(',').collect();
        let get = |name: &str| col.get(name).and_then(|i| f.get(*i)).copied().unwrap_or_default();
        let key = |n: u8| Key {
            active: flag(get(&format!("access_key_{n}_active"))),
            last_rotated: parse_time(get(&format!("access_key_{n}_last_rotated"))),
            last_used: parse_time(get(&format!("access_key_{n}_last_used_date"))),
        };
        rows.push(Row {
            user: get("user").to_owned(),
            arn: get("arn").to_owned(),
            created: parse_time(get("user_creation_time")),
            password_enabled: flag(get("password_enabled")),
            password_last_used: parse_time(get("password_last_used")),
            mfa_active: flag(get("mfa_active")),
            keys: [key(1), key(2)],
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

    #[test]
    fn times_are_utc_seconds() {
        assert_eq!(parse_time("1970-01-01T00:00:00+00:00"), Some(0));
        assert_eq!(parse_time("2014-09-01T22:28:48+00:00"), Some(1_409_610_528));
        assert_eq!(parse_time("2024-02-29T00:00:00Z"), Some(1_709_164_800));
        assert_eq!(parse_time("N/A"), None);
        assert_eq!(parse_time("no_information"), None);
    }

    #[test]
    fn rows_are_read_by_column_name() {
        let csv = format!(
            "{HEADER}\n<root_account>,arn:aws:iam::1:root,2014-01-01T00:00:00+00:00,not_supported,2024-01-01T00:00:00+00:00,not_supported,not_supported,false,true,2015-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n\
             alice,arn:aws:iam::1:user/alice,2020-01-01T00:00:00+00:00,true,no_information,N/A,N/A,false,true,2020-01-01T00:00:00+00:00,2020-02-01T00:00:00+00:00,us-east-1,s3,true,2021-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,false,N/A\n"
        );
        let rows = parse(&csv).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].user, ROOT);
        assert!(rows[0].keys[0].active && !rows[0].mfa_active);
        assert_eq!(rows[0].password_last_used, parse_time("2024-01-01T00:00:00Z"));
        let alice = &rows[1];
        assert!(alice.password_enabled && alice.password_last_used.is_none());
        assert!(alice.keys[0].active && alice.keys[1].active);
        assert_eq!(alice.keys[0].last_used, parse_time("2020-02-01T00:00:00Z"));
        assert!(parse("user,arn\n").is_err());
    }
}
