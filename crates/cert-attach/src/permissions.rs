//! Which of the declared grants (in `acm`, `listeners`, `reachability`, core's Route 53
//! and load balancer calls) an invocation reaches: `--load-balancer` adds the listener
//! grants scoped to that load balancer, `--dry-run` only reads, `--zone-id` scopes the
//! record grants, and `--zone-role-arn` replaces them with `sts:AssumeRole` on that role
//! (the records are then changed with the role's own permissions).

use crate::acm::{FIND_CERTIFICATES, READ_CERTIFICATES, REQUEST_CERTIFICATE};
use crate::listeners::{CHANGE_LISTENERS, READ_LISTENERS};
use crate::reachability::CHECK_REACHABILITY;
use crate::{Cli, NAME};
use awsops_core::Result;
use awsops_core::load_balancer::{FIND_LOAD_BALANCER, LbRef};
use awsops_core::permissions::{Grant, Needs, Scope, Table};
use awsops_core::route53::{CHANGE_RECORDS, LIST_ZONES, READ_RECORDS};

/// `sts:AssumeRole` on the `--zone-role-arn` role, to change records in the zone's account.
pub static ASSUME_ZONE_ROLE: Grant = Grant::any("AssumeZoneRole", &["sts:AssumeRole"]).on(&["{zone_role_arn}"]);

pub fn needs(cli: &Cli) -> Result<Needs> {
    let mut scope = Scope::new(NAME, cli.common.aws.region.as_deref());
    if let [zone] = cli.zone_id.as_slice() {
        scope = scope.value("zone_id", zone.trim_start_matches("/hostedzone/"));
    }
    let lb = cli.load_balancer.as_deref().map(LbRef::parse).transpose()?;
    if let Some(LbRef::Name(name)) = &lb {
        scope = scope.value("load_balancer", name.clone());
    }
    if let Some(id) = &cli.cloudfront {
        scope = scope.value("distribution", id.clone());
    }
    if let Some(role) = &cli.zone_role_arn {
        awsops_core::aws_limits::check_role_arn("--zone-role-arn", role)?;
        scope = scope.value("zone_role_arn", role.clone());
    }
    let mut n = Needs::new(scope);
    n.add(&[&FIND_CERTIFICATES, &READ_CERTIFICATES]);
    let records: &[&'static Grant] =
        if cli.dry_run.is_set() { &[&LIST_ZONES, &READ_RECORDS] } else { &[&LIST_ZONES, &READ_RECORDS, &CHANGE_RECORDS] };
    match &cli.zone_role_arn {
        None => {
            n.add(records);
        }
        Some(role) => {
            n.add(&[&ASSUME_ZONE_ROLE]);
            let actions: Vec<&str> = records.iter().flat_map(|g| g.actions.iter().copied()).collect();
            n.notes.push(format!("the Route 53 calls run as {role}: its own policy needs {}", actions.join(", ")));
        }
    }
    n.add_if(!cli.dry_run.is_set(), &[&REQUEST_CERTIFICATE]);
    // A `load-balancer` document given with --from instead of --lb: the listener grants then
    // name no load balancer. One piped on stdin cannot be seen from the flags: said so.
    if lb.is_none() && cli.from.is_none() && cli.cloudfront.is_none() {
        n.notes
            .push("a load-balancer document piped on stdin also needs the listener statements: print the policy with --from FILE".into());
    }
    if lb.is_some() || cli.from.is_some() {
        n.add(&[&FIND_LOAD_BALANCER, &READ_LISTENERS]).add_if(!cli.dry_run.is_set(), &[&CHANGE_LISTENERS, &CHECK_REACHABILITY]);
    }
    if cli.cloudfront.is_some() {
        n.add(&[&crate::cloudfront::SERVE_HTTPS_ON_CLOUDFRONT]);
        n.notes.push("with --cloudfront the certificate is requested and read in us-east-1: the ACM statements name that region".into());
    }
    Ok(n)
}

pub fn table() -> Table {
    vec![(
        "",
        vec![
            &FIND_CERTIFICATES,
            &READ_CERTIFICATES,
            &LIST_ZONES,
            &READ_RECORDS,
            &CHANGE_RECORDS,
            &ASSUME_ZONE_ROLE,
            &REQUEST_CERTIFICATE,
            &FIND_LOAD_BALANCER,
            &READ_LISTENERS,
            &CHANGE_LISTENERS,
            &CHECK_REACHABILITY,
            &crate::cloudfront::SERVE_HTTPS_ON_CLOUDFRONT,
        ],
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use awsops_core::policy_document::PolicyDocument;

    fn needs_of(args: &[&str]) -> Needs {
        awsops_core::permissions::needs_of::<Cli>("cert-attach", args).unwrap()
    }

    #[test]
    fn every_sdk_call_is_declared_by_its_module() {
        awsops_core::sdk_calls::assert_declared(
            env!("CARGO_MANIFEST_DIR"),
            &[
                ("acm.rs", &[&FIND_CERTIFICATES, &READ_CERTIFICATES, &REQUEST_CERTIFICATE]),
                ("listeners.rs", &[&READ_LISTENERS, &CHANGE_LISTENERS]),
                ("reachability.rs", &[&CHECK_REACHABILITY]),
                ("cloudfront.rs", &[&crate::cloudfront::SERVE_HTTPS_ON_CLOUDFRONT]),
            ],
        );
    }

    #[test]
    fn flags_change_the_policy() {
        let plain = PolicyDocument::from_needs(&needs_of(&["example.com"]));
        assert!(!plain.actions().iter().any(|a| a.starts_with("elasticloadbalancing:")));
        assert!(plain.actions().contains(&"route53:ChangeResourceRecordSets"));
        let lb = PolicyDocument::from_needs(&needs_of(&["example.com", "--lb", "web-alb", "--region", "ap-northeast-2"]));
        let json = lb.to_value();
        let serve = json["Statement"].as_array().unwrap().iter().find(|s| s["Sid"] == "ServeHttps").unwrap();
        assert_eq!(serve["Resource"][0], "arn:aws:elasticloadbalancing:ap-northeast-2:*:loadbalancer/*/web-alb/*");
        let role = "arn:aws:iam::111122223333:role/dns";
        let assumed = needs_of(&["example.com", "--zone-role-arn", role]);
        let doc = PolicyDocument::from_needs(&assumed).to_value();
        let st = doc["Statement"].as_array().unwrap();
        let assume = st.iter().find(|s| s["Sid"] == "AssumeZoneRole").unwrap();
        assert_eq!(assume["Resource"][0], role);
        assert!(!st.iter().any(|s| s["Sid"] == "ChangeRecords"), "the role changes the records");
        assert!(assumed.notes[0].contains("route53:ChangeResourceRecordSets"));
        let dry = PolicyDocument::from_needs(&needs_of(&["example.com", "--lb", "web-alb", "--dry-run"]));
        assert!(dry.actions().iter().all(|a| a.contains(":Describe") || a.contains(":List")), "{:?}", dry.actions());
    }
}
