//! What `create` was asked for, checked before any call: access points (`uid:gid:/path`),
//! lifecycle days EFS accepts, throughput settings, subnets (one VPC, one per AZ), and
//! the file-system policy that refuses clients not using TLS.

use awsops_core::{Error, Result};

/// The IA transition periods EFS offers.
pub const IA_DAYS: [u32; 9] = [1, 7, 14, 30, 60, 90, 180, 270, 365];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessPointSpec {
    pub uid: i64,
    pub gid: i64,
    pub path: String,
}

impl AccessPointSpec {
    pub fn parse(text: &str) -> Result<AccessPointSpec> {
        let bad = |why: &str| Error::usage(format!("--access-point {text:?}: {why} (expected UID:GID:/PATH, e.g. 1000:1000:/uploads)"));
        let mut parts = text.splitn(3, ':');
        let (Some(uid), Some(gid), Some(path)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad("three fields needed"));
        };
        let id = |s: &str| s.parse::<i64>().ok().filter(|n| (0..=4_294_967_295).contains(n));
        let (Some(uid), Some(gid)) = (id(uid), id(gid)) else { return Err(bad("uid and gid are numbers")) };
        if !path.starts_with('/') || path.len() > 100 || path.contains("//") || path.split('/').any(|p| p == ".." || p == ".") {
            return Err(bad("the path is absolute, at most 100 characters, without . or .. parts"));
        }
        Ok(AccessPointSpec { uid, gid, path: path.to_owned() })
    }

    /// Idempotency token for CreateAccessPoint (at most 64 characters, ASCII): the file
    /// system and a hash of the whole spec, so no two specs share one (`/a_b` vs `/a/b`,
    /// long paths) and no cut can fall inside a character.
    pub fn client_token(&self, fs_id: &str) -> String {
        let spec = format!("{}:{}:{}", self.uid, self.gid, self.path);
        let hash = awsops_core::stable_hash::fnv1a(spec.as_bytes());
        let mut token = format!("{fs_id}-ap-{hash:016x}");
        token.truncate(64);
        token
    }
}

/// The subnets' VPC and AZs, checked: known, one VPC, one subnet per AZ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    pub vpc_id: String,
    /// (subnet id, AZ name)
    pub subnets: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct CreateSpec {
    pub name: String,
    pub kms_key: Option<String>,
    pub performance_mode: String,
    pub throughput_mode: String,
    pub provisioned_mibps: Option<f64>,
    pub ia_after_days: Option<u32>,
    pub backups: bool,
    pub require_tls: bool,
    pub access_points: Vec<AccessPointSpec>,
}

impl CreateSpec {
    /// The defaults of `create --name shared`, for tests.
    #[cfg(test)]
    pub(crate) fn example() -> CreateSpec {
        CreateSpec {
            name: "shared".into(),
            kms_key: None,
            performance_mode: "generalPurpose".into(),
            throughput_mode: "elastic".into(),
            provisioned_mibps: None,
            ia_after_days: Some(30),
            backups: true,
            require_tls: false,
            access_points: vec![],
        }
    }
}

pub fn check(spec: &CreateSpec) -> Result<()> {
    awsops_core::ownership::validate_stack_name(&spec.name)?;
    if let Some(d) = spec.ia_after_days
        && !IA_DAYS.contains(&d)
    {
        return Err(Error::usage(format!("--ia-after-days {d}: EFS offers {}", IA_DAYS.map(|d| d.to_string()).join(", "))));
    }
    match (spec.throughput_mode.as_str(), spec.provisioned_mibps) {
        ("provisioned", None) => Err(Error::usage("--throughput-mode provisioned needs --provisioned-mibps")),
        ("provisioned", Some(m)) if !(1.0..=10240.0).contains(&m) => Err(Error::usage(format!("--provisioned-mibps {m}: 1 to 10240"))),
        (mode, Some(_)) if mode != "provisioned" => Err(Error::usage("--provisioned-mibps needs --throughput-mode provisioned")),
        _ if spec.performance_mode == "maxIO" && spec.throughput_mode == "elastic" => {
            Err(Error::usage("elastic throughput works with generalPurpose performance mode only"))
        }
        _ => Ok(()),
    }
}

/// Subnets as (id, AZ, VPC): all in one VPC, at most one per AZ.
pub fn check_placement(subnets: &[(String, String, String)]) -> Result<Placement> {
    let Some((_, _, vpc)) = subnets.first() else { return Err(Error::usage("no subnets: give --subnet, or pipe in a `vpc` document")) };
    if let Some((id, _, other)) = subnets.iter().find(|(_, _, v)| v != vpc) {
        return Err(Error::usage(format!("subnets of different VPCs: {id} is in {other}, {} in {vpc}", subnets[0].0)));
    }
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for (id, az, _) in subnets {
        if let Some((first, _)) = seen.iter().find(|(_, a)| a == az) {
            return Err(Error::usage(format!("two subnets in {az} ({first} and {id}): a file system has one mount target per AZ")));
        }
        seen.push((id, az));
    }
    Ok(Placement { vpc_id: vpc.clone(), subnets: subnets.iter().map(|(id, az, _)| (id.clone(), az.clone())).collect() })
}

/// EFS's "enforce in-transit encryption" policy: clients mount through a mount target, and
/// anything not over TLS is denied.
pub fn tls_policy(fs_arn: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Id":"awsops-efs-require-tls","Statement":[{{"Sid":"mount-through-targets","Effect":"Allow","Principal":{{"AWS":"*"}},"Action":["elasticfilesystem:ClientMount","elasticfilesystem:ClientWrite","elasticfilesystem:ClientRootAccess"],"Resource":"{fs_arn}","Condition":{{"Bool":{{"elasticfilesystem:AccessedViaMountTarget":"true"}}}}}},{{"Sid":"tls-only","Effect":"Deny","Principal":{{"AWS":"*"}},"Action":"*","Resource":"{fs_arn}","Condition":{{"Bool":{{"aws:SecureTransport":"false"}}}}}}]}}"#
    )
}

/// Whether a policy in place says the same as the wanted one (AWS may reformat the JSON).
pub fn same_policy(current: Option<&str>, wanted: &str) -> bool {
    let parse = |s: &str| serde_json::from_str::<serde_json::Value>(s).ok();
    current.and_then(parse).is_some_and(|c| Some(c) == parse(wanted))
}

/// `AFTER_30_DAYS` → 30.
pub fn ia_days(rule: &str) -> Option<u32> {
    rule.strip_prefix("AFTER_")?.strip_suffix("_DAYS")?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> CreateSpec {
        CreateSpec::example()
    }

    #[test]
    fn access_points_parse_and_refuse() {
        assert_eq!(
            AccessPointSpec::parse("1000:1000:/uploads").unwrap(),
            AccessPointSpec { uid: 1000, gid: 1000, path: "/uploads".into() }
        );
        for bad in ["1000:/uploads", "a:1:/x", "1:1:relative", "1:1:/a/../b", "-1:1:/x"] {
            assert_eq!(AccessPointSpec::parse(bad).unwrap_err().exit_code(), 2, "{bad}");
        }
        let token = |spec: &str| AccessPointSpec::parse(spec).unwrap().client_token("fs-0123456789abcdef0123456789abcdef0123");
        let t = token("1:2:/a/b");
        assert!(t.len() <= 64 && t.is_ascii() && t.starts_with("fs-0123456789abcdef0"), "{t}");
        assert_ne!(token("1:2:/a/b"), token("1:2:/a_b"));
        assert_ne!(token("1:2:/data/team-analytics/warehouse/2024"), token("1:2:/data/team-analytics/warehouse/2025"));
        assert_eq!(token("1:2:/a/b"), token("1:2:/a/b"), "stable");
        let long = format!("1000:1000:/{}éééé", "a".repeat(40));
        assert!(token(&long).len() <= 64, "no panic on a multi-byte path");
    }

    #[test]
    fn settings_are_checked() {
        check(&spec()).unwrap();
        assert!(check(&CreateSpec { ia_after_days: Some(5), ..spec() }).is_err());
        assert!(check(&CreateSpec { throughput_mode: "provisioned".into(), ..spec() }).is_err());
        check(&CreateSpec { throughput_mode: "provisioned".into(), provisioned_mibps: Some(64.0), ..spec() }).unwrap();
        assert!(check(&CreateSpec { provisioned_mibps: Some(64.0), ..spec() }).is_err());
        assert!(check(&CreateSpec { name: "bad name".into(), ..spec() }).is_err());
        assert!(check(&CreateSpec { performance_mode: "maxIO".into(), ..spec() }).is_err());
    }

    #[test]
    fn subnets_must_share_a_vpc_and_not_an_az() {
        let s = |id: &str, az: &str, vpc: &str| (id.to_owned(), az.to_owned(), vpc.to_owned());
        let p = check_placement(&[s("subnet-a", "az-a", "vpc-1"), s("subnet-c", "az-c", "vpc-1")]).unwrap();
        assert_eq!(p.vpc_id, "vpc-1");
        let e = check_placement(&[s("subnet-a", "az-a", "vpc-1"), s("subnet-x", "az-c", "vpc-2")]).unwrap_err();
        assert!(e.to_string().contains("different VPCs"), "{e}");
        let e = check_placement(&[s("subnet-a", "az-a", "vpc-1"), s("subnet-b", "az-a", "vpc-1")]).unwrap_err();
        assert!(e.to_string().contains("two subnets in az-a"), "{e}");
        assert!(check_placement(&[]).is_err());
    }

    #[test]
    fn the_tls_policy_is_json_and_lifecycle_rules_read_back() {
        let p: serde_json::Value = serde_json::from_str(&tls_policy("arn:aws:elasticfilesystem:r:1:file-system/fs-1")).unwrap();
        assert_eq!(p["Statement"][1]["Condition"]["Bool"]["aws:SecureTransport"], "false");
        let policy = tls_policy("arn:x");
        let spaced = serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(&policy).unwrap()).unwrap();
        assert!(same_policy(Some(&spaced), &policy));
        assert!(!same_policy(None, &policy) && !same_policy(Some("{}"), &policy));
        assert_eq!(ia_days("AFTER_30_DAYS"), Some(30));
        assert_eq!(ia_days("AFTER_1_ACCESS"), None);
    }
}
