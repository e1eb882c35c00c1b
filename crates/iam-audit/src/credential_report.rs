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

/// "2014-09-01T22:28:48+00:00" (RFC 3339: Z or any offset, fractional seconds) → seconds
/// since the epoch (UTC). Anything else ("N/A", "no_information", "not_supported") → None.
pub fn parse_time(text: &str) -> Option<i64> {
    use aws_smithy_types::DateTime;
    use aws_smithy_types::date_time::Format;
    DateTime::from_str(text.trim(), Format::DateTimeWithOffset).ok().map(|d| d.secs())
}

fn flag(v: &str) -> bool {
    v.eq_ignore_ascii_case("true")
}

/// Columns are found by name, fields may be quoted (RFC 4180), and a short row reads as empty.
pub fn parse(text: &str) -> Result<Vec<Row>> {
    let bad = |e: csv::Error| Error::failed(format!("the credential report is not CSV: {e}"));
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let header = reader.headers().map_err(bad)?.clone();
    if header.is_empty() || header.iter().all(str::is_empty) {
        return Err(Error::failed("the credential report is empty"));
    }
    let col: HashMap<&str, usize> = header.iter().enumerate().map(|(i, h)| (h, i)).collect();
    for needed in ["user", "arn", "password_enabled", "mfa_active", "access_key_1_active"] {
        if !col.contains_key(needed) {
            return Err(Error::failed(format!("the credential report has no {needed} column")));
        }
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let f = record.map_err(bad)?;
        if f.iter().all(str::is_empty) {
            continue;
        }
        let get = |name: &str| col.get(name).and_then(|i| f.get(*i)).unwrap_or_default();
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
        assert_eq!(parse_time("2014-09-02T07:28:48+09:00"), Some(1_409_610_528), "offsets count");
        assert_eq!(parse_time("2014-09-01T17:28:48.250-05:00"), Some(1_409_610_528));
        assert_eq!(parse_time(" 2014-09-01T22:28:48Z "), Some(1_409_610_528));
        for junk in
            ["", "2014-13-01T00:00:00Z", "2014-09-01T22:28:48+25:00", "2014-09-01", "ééééééééééééééééééééé", "9999999999-01-01T00:00:00Z"]
        {
            assert_eq!(parse_time(junk), None, "{junk:?}");
        }
    }

    #[test]
    fn quoted_fields_short_rows_and_junk() {
        let csv = format!(
            "{HEADER}\n\"o'neil, jr\",\"arn:aws:iam::1:user/a,b\",2020-01-01T09:00:00+09:00,true,N/A,N/A,N/A,\"false\",false\nshort,arn:aws:iam::1:user/short\n\n"
        );
        let rows = parse(&csv).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].user, "o'neil, jr");
        assert_eq!(rows[0].arn, "arn:aws:iam::1:user/a,b");
        assert_eq!(rows[0].created, parse_time("2020-01-01T00:00:00Z"));
        assert!(rows[0].password_enabled && !rows[0].mfa_active);
        assert!(!rows[1].password_enabled && rows[1].created.is_none());
        assert!(parse("").is_err());
        assert!(parse("\"unterminated,\n").is_err());
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
