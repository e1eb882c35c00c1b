//! Route 53 calls: the account's hosted zones, the record sets at one name, a change
//! batch, and the wait until a change is INSYNC (with backoff and a deadline).

use crate::dns_name::{DomainName, unescape};
use crate::error::{Error, Result, aws_error};
use crate::hosted_zone::Zone;
use crate::kinds::{AliasTarget as Alias, ChangeAction as Action, RecordChange as Change, RecordSet};
use crate::permissions::Grant;
use crate::waiter::{Poll, Waiter};
use aws_sdk_route53::Client;
use aws_sdk_route53::types::{
    AliasTarget, Change as ApiChange, ChangeAction, ChangeBatch, ChangeStatus, ResourceRecord, ResourceRecordSet, RrType,
};
use std::time::Duration;

/// Finding the hosted zone of a name: ListHostedZones works only on `*`.
pub static LIST_ZONES: Grant = Grant::any("FindHostedZone", &["route53:ListHostedZones"]);
/// Reading the record sets at a name in its zone (`{zone_id}` when pinned by a flag).
pub static READ_RECORDS: Grant =
    Grant::any("ReadRecords", &["route53:ListResourceRecordSets"]).on(&["arn:{partition}:route53:::hostedzone/{zone_id}"]);
/// Changing record sets in the zone.
pub static CHANGE_RECORDS: Grant =
    Grant::any("ChangeRecords", &["route53:ChangeResourceRecordSets"]).on(&["arn:{partition}:route53:::hostedzone/{zone_id}"]);
/// Waiting for a change to be INSYNC.
pub static WAIT_FOR_CHANGE: Grant = Grant::any("WaitForRecordChange", &["route53:GetChange"]).on(&["arn:{partition}:route53:::change/*"]);

pub async fn zones(route53: &Client) -> Result<Vec<Zone>> {
    let zones: Vec<_> = crate::all_items!(route53.list_hosted_zones(), "ListHostedZones")?;
    Ok(zones.iter().map(|z| Zone::new(z.id(), z.name(), z.config().is_some_and(|c| c.private_zone()))).collect())
}

fn from_api(r: &ResourceRecordSet) -> RecordSet {
    RecordSet {
        name: unescape(r.name()).trim_end_matches('.').to_ascii_lowercase(),
        rtype: r.r#type().as_str().to_owned(),
        alias: r.alias_target().map(|a| Alias {
            dns_name: a.dns_name().trim_end_matches('.').to_ascii_lowercase(),
            zone_id: a.hosted_zone_id().to_owned(),
            evaluate_target_health: a.evaluate_target_health(),
        }),
        values: r.resource_records().iter().map(|v| v.value().to_owned()).collect(),
        // Alias records have no TTL of their own (some endpoints report 0).
        ttl: if r.alias_target().is_some() { None } else { r.ttl() },
    }
}

fn to_api(r: &RecordSet) -> Result<ResourceRecordSet> {
    let mut b = ResourceRecordSet::builder().name(format!("{}.", r.name)).r#type(RrType::from(r.rtype.as_str()));
    if let Some(a) = &r.alias {
        b = b.alias_target(
            AliasTarget::builder()
                .dns_name(&a.dns_name)
                .hosted_zone_id(&a.zone_id)
                .evaluate_target_health(a.evaluate_target_health)
                .build()
                .map_err(|e| Error::failed(e.to_string()))?,
        );
    }
    for v in &r.values {
        b = b.resource_records(ResourceRecord::builder().value(v).build().map_err(|e| Error::failed(e.to_string()))?);
    }
    b.set_ttl(r.ttl).build().map_err(|e| Error::failed(e.to_string()))
}

/// The record sets at exactly `name` (any type).
pub async fn records_at(route53: &Client, zone_id: &str, name: &DomainName) -> Result<Vec<RecordSet>> {
    let out = route53
        .list_resource_record_sets()
        .hosted_zone_id(zone_id)
        .start_record_name(name.fqdn())
        .max_items(20)
        .send()
        .await
        .map_err(aws_error("ListResourceRecordSets"))?;
    Ok(out.resource_record_sets().iter().map(from_api).filter(|r| r.name == name.as_str()).collect())
}

/// Sends the changes as one atomic batch; returns the change id and its status.
pub async fn change(route53: &Client, zone_id: &str, changes: &[Change], comment: &str) -> Result<(String, String)> {
    let api: Vec<ApiChange> = changes
        .iter()
        .map(|c| {
            let action = match c.action {
                Action::Upsert => ChangeAction::Upsert,
                Action::Delete => ChangeAction::Delete,
            };
            ApiChange::builder().action(action).resource_record_set(to_api(&c.record)?).build().map_err(|e| Error::failed(e.to_string()))
        })
        .collect::<Result<_>>()?;
    let batch = ChangeBatch::builder().set_changes(Some(api)).comment(comment).build().map_err(|e| Error::failed(e.to_string()))?;
    let out = route53
        .change_resource_record_sets()
        .hosted_zone_id(zone_id)
        .change_batch(batch)
        .send()
        .await
        .map_err(aws_error("ChangeResourceRecordSets"))?;
    let info = out.change_info().ok_or_else(|| Error::failed("ChangeResourceRecordSets returned no change info"))?;
    Ok((info.id().trim_start_matches("/change/").to_owned(), info.status().as_str().to_owned()))
}

/// Waits until Route 53 reports the change INSYNC on all its name servers.
pub async fn wait_insync(route53: &Client, change_id: &str, timeout: Duration) -> Result<String> {
    Waiter::new(format!("change {change_id} to be INSYNC"), timeout)
        .delays(Duration::from_secs(2), Duration::from_secs(15))
        .wait(|| async {
            let out = route53.get_change().id(change_id).send().await.map_err(aws_error("GetChange"))?;
            match out.change_info().map(|i| i.status()) {
                Some(ChangeStatus::Insync) => Ok(Poll::Ready("INSYNC".to_owned())),
                other => Ok(Poll::Pending(other.map(|s| s.as_str().to_owned()).unwrap_or_else(|| "unknown".into()))),
            }
        })
        .await
}
