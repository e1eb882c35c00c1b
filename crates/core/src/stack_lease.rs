//! A lease on a stack held in the AWS account itself, so two runs of one stack on two
//! machines (a retried CI job beside the first, two cron hosts) never build two sets of
//! resources: a local lock file cannot see the other machine.
//!
//! The lease is an EC2 key pair, because key pair names are unique in a region and
//! `ImportKeyPair` with a taken name fails atomically (`InvalidKeyPair.Duplicate`). Its
//! name is `awsops-lease.<tool>.<stack>.<generation>` and its tags say who holds it and
//! until when. The holder renews the expiry while it works and deletes the key pair when
//! done. A lease whose holder died expires (at once when the holder was a process on
//! this machine that no longer exists); the next run then takes the *next* generation,
//! a name only one contender can create, so two runs can never both break a stale lease
//! and both believe they hold it. Clocks of the machines must agree to within
//! [`RENEW_EVERY`]; NTP gives far better.

use crate::ec2::{filter, tag_spec, tag_value};
use crate::error::{Error, Result};
use crate::ownership::{STACK_TAG, TOOL_TAG};
use crate::permissions::Grant;
use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::{KeyPairInfo, ResourceType, Tag};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Looking for another run's lease (every run that may change a stack).
pub static READ_LEASES: Grant = Grant::any("ReadStackLease", &["ec2:DescribeKeyPairs"]);
/// Taking the stack's lease: importing the key pair that is the lease, with the stack's tags.
pub static TAKE_LEASE: Grant = Grant::any("TakeStackLease", &["ec2:ImportKeyPair"]).on(&[crate::ec2_arn!("key-pair")]).tags_on_create();
/// Renewing the lease's expiry tag and giving the lease up (deleting the key pair).
pub static HOLD_LEASE: Grant =
    Grant::any("HoldStackLease", &["ec2:CreateTags", "ec2:DeleteKeyPair"]).on(&[crate::ec2_arn!("key-pair")]).owned();
/// Every grant of the lease, for the commands that take one.
pub static LEASE: [&Grant; 3] = [&READ_LEASES, &TAKE_LEASE, &HOLD_LEASE];

pub const HOLDER_TAG: &str = "awsops:lease-holder";
pub const EXPIRES_TAG: &str = "awsops:lease-expires";
/// How long a lease lasts without renewal.
pub const LEASE_FOR: Duration = Duration::from_secs(90);
/// How often the holder renews it.
pub const RENEW_EVERY: Duration = Duration::from_secs(20);

/// The public half of a key pair whose private half was thrown away when it was made:
/// the lease's key pair can never be used to log in anywhere.
const INERT_PUBLIC_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINETdGgIr1YhfNrAvu9+W+SPAQ5hHaWFJ5/2l2XQNgSp awsops-lease (no private key exists)";

/// One lease as found in the account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub name: String,
    pub generation: u64,
    pub holder: String,
    /// Unix seconds.
    pub expires: u64,
}

/// An expiry for messages. It comes from account data (a tag anyone with CreateTags can
/// set), so it is bounded, never trusted to fit a date.
pub fn expiry_text(expires: u64) -> String {
    match UNIX_EPOCH.checked_add(Duration::from_secs(expires)).filter(|t| expires < 253_402_300_800 && *t > UNIX_EPOCH) {
        Some(t) => humantime::format_rfc3339_seconds(t).to_string(),
        None => format!("{expires} (not a date)"),
    }
}

/// Who this run is: `host:pid:nonce`.
pub fn this_holder() -> String {
    format!("{}:{}:{:08x}", host_name(), std::process::id(), fastrand::u32(..))
}

fn host_name() -> String {
    rustix::system::uname().nodename().to_string_lossy().into_owned()
}

fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// The name prefix of a stack's leases.
pub fn prefix(tool: &str, stack: &str) -> String {
    format!("awsops-lease.{tool}.{stack}.")
}

/// The stack's leases among key pairs (name, tags), highest generation last.
pub fn leases<'a>(tool: &str, stack: &str, pairs: impl IntoIterator<Item = (&'a str, &'a [Tag])>) -> Vec<Lease> {
    let prefix = prefix(tool, stack);
    let mut out: Vec<Lease> = pairs
        .into_iter()
        .filter_map(|(name, tags)| {
            let generation = name.strip_prefix(&prefix)?;
            if generation.is_empty() || !generation.bytes().all(|b| b.is_ascii_digit()) || tag_value(tags, STACK_TAG) != Some(stack) {
                return None;
            }
            Some(Lease {
                name: name.to_owned(),
                generation: generation.parse().ok()?,
                holder: tag_value(tags, HOLDER_TAG).unwrap_or_default().to_owned(),
                expires: tag_value(tags, EXPIRES_TAG).and_then(|v| v.parse().ok()).unwrap_or(0),
            })
        })
        .collect();
    out.sort_by_key(|l| l.generation);
    out
}

/// What a contender does about the newest lease it sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Take this generation (the newest lease is gone, expired or dead).
    Take(u64),
    /// Ours already (a lost response of our own import).
    Held,
    /// Someone alive holds it: wait.
    Wait(Lease),
}

/// Pure decision: `alive` says whether a holder on this host still runs.
pub fn decide(newest: Option<&Lease>, me: &str, now: u64, alive: impl Fn(&str) -> bool) -> Decision {
    match newest {
        None => Decision::Take(1),
        Some(l) if l.holder == me => Decision::Held,
        Some(l) if l.expires <= now || !alive(&l.holder) => Decision::Take(l.generation.saturating_add(1)),
        Some(l) => Decision::Wait(l.clone()),
    }
}

/// Whether the holder could still be running: holders on another host are assumed
/// alive until their lease expires; on this host, their process must exist.
pub fn holder_alive(holder: &str) -> bool {
    let mut parts = holder.split(':');
    let (Some(host), Some(pid)) = (parts.next(), parts.next()) else { return true };
    if host != host_name() {
        return true;
    }
    match pid.parse::<i32>() {
        Ok(pid) if pid > 0 => std::path::Path::new(&format!("/proc/{pid}")).exists(),
        _ => true,
    }
}

/// A held lease; renewed in the background until [`StackLease::release`].
pub struct StackLease {
    ec2: Client,
    name: String,
    renew: tokio::task::JoinHandle<()>,
    fence: Fence,
}

/// What a holder checks before each change: the lease is still its own. A run paused for
/// longer than the lease (a stopped VM, a suspended CI runner) may have been superseded;
/// it must not make another change then.
#[derive(Clone, Debug)]
pub struct Fence {
    /// Unix seconds until which the lease is known to be held (the last renewal's expiry).
    valid_until: std::sync::Arc<std::sync::atomic::AtomicU64>,
    name: std::sync::Arc<str>,
}

impl Fence {
    fn new(name: &str, valid_until: u64) -> Fence {
        Fence { valid_until: std::sync::Arc::new(valid_until.into()), name: name.into() }
    }

    /// Ok while the lease is held with a margin of a renewal period.
    pub fn check(&self) -> Result<()> {
        let until = self.valid_until.load(std::sync::atomic::Ordering::SeqCst);
        if now_secs().saturating_add(RENEW_EVERY.as_secs()) < until {
            return Ok(());
        }
        Err(Error::failed(format!(
            "lost the stack's lease {} (this run was paused or cut off for longer than {}s, so another run may have taken over); nothing more was changed: re-run",
            self.name,
            LEASE_FOR.as_secs()
        )))
    }
}

impl StackLease {
    /// Takes the stack's lease, waiting up to `wait` for another holder to finish.
    pub async fn acquire(ec2: &Client, tool: &str, stack: &str, wait: Duration) -> Result<StackLease> {
        let me = this_holder();
        let deadline = crate::waiter::deadline_after(tokio::time::Instant::now(), wait);
        let mut told = false;
        loop {
            let found = list(ec2, tool, stack).await?;
            match decide(found.last(), &me, now_secs(), holder_alive) {
                Decision::Held => return Ok(Self::held(ec2, found.last().map(|l| l.name.clone()).unwrap_or_default(), found)),
                Decision::Take(generation) => {
                    let name = format!("{}{generation}", prefix(tool, stack));
                    match import(ec2, tool, stack, &name, &me).await {
                        Ok(()) => {
                            tracing::info!(lease = %name, "took the stack's lease");
                            return Ok(Self::held(ec2, name, found));
                        }
                        // Another contender took this generation first (or our own
                        // import's answer was lost): look again.
                        Err(e) if e.aws_code() == Some("InvalidKeyPair.Duplicate") => continue,
                        Err(e) => return Err(e),
                    }
                }
                Decision::Wait(lease) => {
                    if tokio::time::Instant::now() >= deadline {
                        crate::progress::clear();
                        return Err(Error::failed(format!(
                            "another run of {tool} {stack} is working on it ({}, lease {} until {}); try again when it ends, or delete key pair {} if that run is gone",
                            lease.holder,
                            lease.name,
                            expiry_text(lease.expires),
                            lease.name
                        )));
                    }
                    if !told {
                        tracing::warn!("another run of {tool} {stack} is working on it ({}); waiting for it to end", lease.holder);
                        told = true;
                    }
                    crate::progress::update(&format!("waiting for the run of {} to end", lease.holder));
                    tokio::time::sleep(Duration::from_secs(2)).await;
                }
            }
        }
    }

    /// Starts renewing and removes the older generations (their holders are gone).
    fn held(ec2: &Client, name: String, older: Vec<Lease>) -> StackLease {
        crate::progress::clear();
        let stale: Vec<String> = older.into_iter().map(|l| l.name).filter(|n| *n != name).collect();
        // Taken (or found ours) just now: valid for a lease period from the import.
        let fence = Fence::new(&name, now_secs().saturating_add(LEASE_FOR.as_secs()).saturating_sub(RENEW_EVERY.as_secs()));
        let (client, own, renewed) = (ec2.clone(), name.clone(), fence.clone());
        let renew = tokio::spawn(async move {
            for old in stale {
                if let Err(e) = client.delete_key_pair().key_name(&old).send().await {
                    tracing::debug!("could not remove stale lease {old}: {}", crate::error::Error::from_aws("DeleteKeyPair", e));
                }
            }
            loop {
                tokio::time::sleep(RENEW_EVERY).await;
                match renew(&client, &own).await {
                    Ok(expires) => renewed.valid_until.store(expires, std::sync::atomic::Ordering::SeqCst),
                    Err(e) => {
                        tracing::warn!("could not renew the stack's lease {own}: {e}");
                        if e.to_string().contains("is gone") {
                            renewed.valid_until.store(0, std::sync::atomic::Ordering::SeqCst);
                            return;
                        }
                    }
                }
            }
        });
        StackLease { ec2: ec2.clone(), name, renew, fence }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The check a holder makes before each change.
    pub fn fence(&self) -> Fence {
        self.fence.clone()
    }

    /// Whether someone else holds a live lease on the stack now (a read-only run checks
    /// this, so it never reports a network that a running destroy is removing).
    pub async fn held_by_another(ec2: &Client, tool: &str, stack: &str) -> Result<bool> {
        let found = list(ec2, tool, stack).await?;
        Ok(matches!(decide(found.last(), "", now_secs(), holder_alive), Decision::Wait(_)))
    }

    /// Gives the lease up (a killed run's lease expires on its own).
    pub async fn release(self) {
        self.renew.abort();
        if let Err(e) = self.ec2.delete_key_pair().key_name(&self.name).send().await {
            let e = crate::error::Error::from_aws("DeleteKeyPair", e);
            tracing::warn!("could not release the stack's lease {} (it expires on its own): {e}", self.name);
        }
    }
}

impl Drop for StackLease {
    fn drop(&mut self) {
        self.renew.abort();
    }
}

async fn list(ec2: &Client, tool: &str, stack: &str) -> Result<Vec<Lease>> {
    let out = ec2
        .describe_key_pairs()
        .filters(filter(&format!("tag:{STACK_TAG}"), [stack]))
        .send()
        .await
        .map_err(crate::error::aws_error("DescribeKeyPairs"))?;
    Ok(leases(tool, stack, out.key_pairs().iter().filter_map(|k: &KeyPairInfo| Some((k.key_name()?, k.tags())))))
}

async fn import(ec2: &Client, tool: &str, stack: &str, name: &str, me: &str) -> Result<()> {
    let tags = vec![
        (STACK_TAG.to_owned(), stack.to_owned()),
        (TOOL_TAG.to_owned(), tool.to_owned()),
        (HOLDER_TAG.to_owned(), me.to_owned()),
        (EXPIRES_TAG.to_owned(), now_secs().saturating_add(LEASE_FOR.as_secs()).to_string()),
    ];
    ec2.import_key_pair()
        .key_name(name)
        .public_key_material(aws_sdk_ec2::primitives::Blob::new(INERT_PUBLIC_KEY))
        .tag_specifications(tag_spec(ResourceType::KeyPair, &tags))
        .send()
        .await
        .map(drop)
        .map_err(crate::error::aws_error("ImportKeyPair"))
}

/// Renews the lease; returns its new expiry. A lease that is gone (or now held by
/// another run) is an error saying "is gone".
async fn renew(ec2: &Client, name: &str) -> Result<u64> {
    let out = ec2.describe_key_pairs().key_names(name).send().await.map_err(crate::error::aws_error("DescribeKeyPairs"))?;
    let Some(id) = out.key_pairs().first().and_then(|k| k.key_pair_id()) else {
        return Err(Error::failed(format!("lease {name} is gone")));
    };
    let until = now_secs().saturating_add(LEASE_FOR.as_secs());
    let expires = Tag::builder().key(EXPIRES_TAG).value(until.to_string()).build();
    ec2.create_tags().resources(id).tags(expires).send().await.map_err(crate::error::aws_error("CreateTags"))?;
    Ok(until)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(stack: &str, holder: &str, expires: u64) -> Vec<Tag> {
        [(STACK_TAG, stack), (HOLDER_TAG, holder), (EXPIRES_TAG, &expires.to_string())]
            .iter()
            .map(|(k, v)| Tag::builder().key(*k).value(*v).build())
            .collect()
    }

    #[test]
    fn leases_are_the_stacks_own_generations_in_order() {
        let (a, b, c, d) = (tags("lab", "h:1:x", 100), tags("lab", "h:2:y", 200), tags("lab.1", "h:3:z", 300), tags("other", "", 0));
        let pairs = [
            ("awsops-lease.vpc-bootstrap.lab.2", b.as_slice()),
            ("awsops-lease.vpc-bootstrap.lab.1", a.as_slice()),
            ("awsops-lease.vpc-bootstrap.lab.1.3", c.as_slice()),
            ("awsops-lease.vpc-bootstrap.lab.9", d.as_slice()),
            ("awsops-lease.ami-snap.lab.5", a.as_slice()),
            ("my-key", a.as_slice()),
        ];
        let found = leases("vpc-bootstrap", "lab", pairs);
        assert_eq!(found.iter().map(|l| l.generation).collect::<Vec<_>>(), [1, 2]);
        assert_eq!((found[1].holder.as_str(), found[1].expires), ("h:2:y", 200));
    }

    #[test]
    fn a_live_lease_is_waited_for_and_a_dead_one_is_superseded() {
        let lease = |holder: &str, expires| Lease { name: "n.4".into(), generation: 4, holder: holder.into(), expires };
        let alive = |_: &str| true;
        assert_eq!(decide(None, "me", 10, alive), Decision::Take(1));
        assert_eq!(decide(Some(&lease("me", 50)), "me", 10, alive), Decision::Held);
        assert_eq!(decide(Some(&lease("other", 50)), "me", 10, alive), Decision::Wait(lease("other", 50)));
        assert_eq!(decide(Some(&lease("other", 10)), "me", 10, alive), Decision::Take(5), "expired");
        assert_eq!(decide(Some(&lease("other", 50)), "me", 10, |_| false), Decision::Take(5), "its process is gone");
    }

    #[test]
    fn any_expiry_from_account_data_is_told_without_a_panic() {
        assert_eq!(expiry_text(0), "0 (not a date)");
        assert_eq!(expiry_text(1_795_704_278), "2026-11-26T14:44:38Z");
        assert!(expiry_text(253_402_300_800).contains("not a date"));
        assert!(expiry_text(u64::MAX).contains("not a date"));
    }

    #[test]
    fn the_fence_holds_only_while_the_lease_is_known_to_be_ours() {
        let fence = Fence::new("lease.1", now_secs() + LEASE_FOR.as_secs());
        assert!(fence.check().is_ok());
        fence.valid_until.store(now_secs() + 5, std::sync::atomic::Ordering::SeqCst);
        assert!(fence.check().unwrap_err().to_string().contains("lost the stack's lease lease.1"));
        fence.valid_until.store(u64::MAX, std::sync::atomic::Ordering::SeqCst);
        assert!(fence.check().is_ok());
    }

    #[test]
    fn holders_elsewhere_count_as_alive_and_here_by_their_process() {
        assert!(holder_alive("another-host.example:1:x"));
        let here = host_name();
        assert!(holder_alive(&format!("{here}:{}:x", std::process::id())));
        assert!(!holder_alive(&format!("{here}:{}:x", i32::MAX)));
        assert!(holder_alive("garbage"));
    }
}
