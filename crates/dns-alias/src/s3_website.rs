//! S3 website endpoints and the Route 53 hosted zone ids their alias records need. AWS
//! publishes these per region (General Reference, "Amazon S3 website endpoints"); no API
//! returns them, so they are a table. Older regions name the endpoint with a dash
//! (`s3-website-us-east-1`), newer ones with a dot (`s3-website.ap-northeast-2`).

/// (region, hosted zone id, endpoint uses a dash)
pub const TABLE: &[(&str, &str, bool)] = &[
    ("us-east-1", "Z3AQBSTGFYJSTF", true),
    ("us-east-2", "Z2O1EMRO9K5GLX", false),
    ("us-west-1", "Z2F56UZL2M1ACD", true),
    ("us-west-2", "Z3BJ6K6RIION7M", true),
    ("us-gov-west-1", "Z31GFT0UA1I2HV", true),
    ("ca-central-1", "Z1QDHH18159H29", false),
    ("sa-east-1", "Z7KQH4QJS55SO", true),
    ("eu-west-1", "Z1BKCTXD74EZPE", true),
    ("eu-west-2", "Z3GKZC51ZF0DB4", false),
    ("eu-west-3", "Z3R1K369G5AVDG", false),
    ("eu-central-1", "Z21DNDUVLTQW6Q", false),
    ("eu-north-1", "Z3BAZG2TWCNX0D", false),
    ("me-south-1", "Z1MPMWCPA7YB62", false),
    ("ap-east-1", "ZNB98KWMFR0R6", false),
    ("ap-south-1", "Z11RGJOFQNVJUP", false),
    ("ap-northeast-1", "Z2M4EHUR26P7ZW", true),
    ("ap-northeast-2", "Z3W03O7B5YMIYP", false),
    ("ap-northeast-3", "Z2YQB5RD63NC85", false),
    ("ap-southeast-1", "Z3O0J2DXBE1FTB", true),
    ("ap-southeast-2", "Z1WCIGYICN2BYD", true),
];

/// The website endpoint host of a region, e.g. `s3-website.ap-northeast-2.amazonaws.com`.
pub fn endpoint(region: &str) -> Option<String> {
    let (_, _, dash) = TABLE.iter().find(|(r, _, _)| *r == region)?;
    Some(if *dash { format!("s3-website-{region}.amazonaws.com") } else { format!("s3-website.{region}.amazonaws.com") })
}

/// The hosted zone id for alias records to a region's website endpoint.
pub fn zone_id(region: &str) -> Option<&'static str> {
    TABLE.iter().find(|(r, _, _)| *r == region).map(|(_, z, _)| *z)
}

/// A bucket's website host, e.g. `mydomain.com.s3-website.ap-northeast-2.amazonaws.com`.
pub fn bucket_host(bucket: &str, region: &str) -> Option<String> {
    endpoint(region).map(|e| format!("{bucket}.{e}"))
}

/// Splits a website host into (bucket, region); either spelling of the endpoint is accepted.
pub fn parse_host(host: &str) -> Option<(String, String)> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let rest = host.strip_suffix(".amazonaws.com")?;
    let (bucket, region) = match rest.rfind(".s3-website-") {
        Some(i) => (&rest[..i], &rest[i + ".s3-website-".len()..]),
        None => {
            let i = rest.rfind(".s3-website.")?;
            (&rest[..i], &rest[i + ".s3-website.".len()..])
        }
    };
    (!bucket.is_empty() && !region.is_empty() && !region.contains('.')).then(|| (bucket.to_owned(), region.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_in_the_table_round_trips() {
        for (region, zone, dash) in TABLE {
            awsops_core::aws_config::validate_region(region).unwrap();
            assert!(zone.starts_with('Z') && zone.len() >= 13 && zone.chars().all(|c| c.is_ascii_alphanumeric()), "{region}: {zone}");
            let host = bucket_host("mydomain.com", region).unwrap();
            assert_eq!(host.contains("s3-website-"), *dash, "{host}");
            assert_eq!(parse_host(&host), Some(("mydomain.com".to_owned(), (*region).to_owned())), "{host}");
            assert_eq!(zone_id(region), Some(*zone));
        }
        let regions: std::collections::BTreeSet<_> = TABLE.iter().map(|(r, _, _)| r).collect();
        assert_eq!(regions.len(), TABLE.len(), "no region twice");
    }

    #[test]
    fn both_spellings_parse_and_others_do_not() {
        assert_eq!(parse_host("www.example.com.s3-website-us-east-1.amazonaws.com."), Some(("www.example.com".into(), "us-east-1".into())));
        assert_eq!(parse_host("b.s3-website.eu-central-1.amazonaws.com"), Some(("b".into(), "eu-central-1".into())));
        assert_eq!(parse_host("b.s3.amazonaws.com"), None);
        assert_eq!(parse_host("example.com"), None);
        assert_eq!(zone_id("mars-north-1"), None);
    }
}
