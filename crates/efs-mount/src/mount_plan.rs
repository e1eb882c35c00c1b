//! How to mount a file system on this host: the mount target of the host's own AZ (never
//! a random one; another AZ only with a warning, chosen deterministically), the helper
//! (amazon-efs-utils with TLS when installed, else NFSv4.1 with AWS's recommended
//! options), the exact argv to run, and the fstab entry that makes it survive a reboot.

use crate::fstab::{BOOT_OPTIONS, Entry, NFS_OPTIONS};
use awsops_core::kinds::{EfsDoc, EfsMountTarget};
use awsops_core::{Error, Result};

pub use awsops_core::kinds::MountMethod as Method;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountPlan {
    pub target: EfsMountTarget,
    pub cross_az: bool,
    pub method: Method,
    pub argv: Vec<String>,
    pub entry: Entry,
}

/// The mount target of `host_az`; without one there, the first available target by AZ
/// name (deterministic), flagged as crossing AZs.
pub fn choose_target<'a>(targets: &'a [EfsMountTarget], host_az: Option<&str>) -> Result<(&'a EfsMountTarget, bool)> {
    let mut usable: Vec<&EfsMountTarget> = targets.iter().filter(|t| t.state == "available").collect();
    if usable.is_empty() {
        return Err(Error::usage(if targets.is_empty() {
            "the file system has no mount targets: run `efs-mount create` with subnets first".to_owned()
        } else {
            format!(
                "no mount target is available yet ({})",
                targets.iter().map(|t| format!("{}: {:?}", t.az, t.state)).collect::<Vec<_>>().join(", ")
            )
        }));
    }
    usable.sort_by(|a, b| a.az.cmp(&b.az));
    match host_az {
        Some(az) => match usable.iter().find(|t| t.az == az || t.az_id == az) {
            Some(t) => Ok((t, false)),
            None => Ok((usable[0], true)),
        },
        None => Ok((usable[0], true)),
    }
}

pub struct Options<'a> {
    pub mount_point: &'a str,
    pub host_az: Option<&'a str>,
    pub efs_utils: bool,
    pub access_point: Option<&'a str>,
    /// Overrides the target's address (unusual networks, tests).
    pub address: Option<&'a str>,
    pub read_only: bool,
}

/// The package that provides `mount -t efs` (and TLS to EFS).
pub const EFS_UTILS_PACKAGE: &str = "amazon-efs-utils";

pub fn plan(fs: &EfsDoc, o: &Options) -> Result<MountPlan> {
    let mount_point = crate::mount_point::check(o.mount_point)?;
    if fs.require_tls && !o.efs_utils {
        return Err(Error::usage(format!(
            "file system {} requires TLS (its policy denies plain NFS): install {EFS_UTILS_PACKAGE} for `mount -t efs -o tls`",
            fs.file_system_id
        )));
    }
    if let Some(ap) = o.access_point
        && !fs.access_points.is_empty()
        && !fs.access_points.iter().any(|a| a.id == ap)
    {
        return Err(Error::usage(format!("access point {ap} is not one of {}'s", fs.file_system_id)));
    }
    let (target, cross_az) = choose_target(&fs.mount_targets, o.host_az)?;
    let method = if o.efs_utils { Method::Efs } else { Method::Nfs4 };
    let mut options: Vec<String> = Vec::new();
    let (spec, fstype) = match method {
        Method::Efs => {
            options.push("tls".into());
            // mount.efs resolves the AZ's DNS name itself; pin the chosen target's address.
            options.push(format!("mounttargetip={}", o.address.unwrap_or(&target.ip)));
            if let Some(ap) = o.access_point {
                options.push(format!("accesspoint={ap}"));
            }
            (format!("{}:/", fs.file_system_id), "efs")
        }
        Method::Nfs4 => {
            if let Some(ap) = o.access_point {
                return Err(Error::usage(format!(
                    "access point {ap} needs amazon-efs-utils (mount -t efs); the plain NFS client cannot use access points"
                )));
            }
            options.extend(NFS_OPTIONS.iter().map(|s| (*s).to_owned()));
            (format!("{}:/", o.address.unwrap_or(&target.ip)), "nfs4")
        }
    };
    if o.read_only {
        options.push("ro".into());
    }
    let mount_options = options.join(",");
    let argv = ["mount", "-t", fstype, "-o", &mount_options, &spec, &mount_point].iter().map(|s| (*s).to_owned()).collect();
    options.extend(BOOT_OPTIONS.iter().map(|s| (*s).to_owned()));
    Ok(MountPlan { target: target.clone(), cross_az, method, argv, entry: Entry { spec, mount_point, fstype: fstype.into(), options } })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(az: &str, ip: &str, state: &str) -> EfsMountTarget {
        EfsMountTarget {
            id: format!("fsmt-{az}"),
            az: az.into(),
            az_id: format!("apne2-{}", &az[az.len() - 1..]),
            ip: ip.into(),
            subnet_id: "subnet-1".into(),
            state: state.into(),
        }
    }

    fn fs(targets: Vec<EfsMountTarget>) -> EfsDoc {
        EfsDoc {
            name: "shared".into(),
            file_system_id: "fs-1".into(),
            region: "ap-northeast-2".into(),
            dns_name: "fs-1.efs.ap-northeast-2.amazonaws.com".into(),
            state: "available".into(),
            encrypted: true,
            kms_key_id: None,
            performance_mode: "generalPurpose".into(),
            throughput_mode: "elastic".into(),
            transition_to_ia_days: Some(30),
            backups: true,
            require_tls: false,
            vpc_id: None,
            security_group_id: None,
            mount_targets: targets,
            access_points: vec![],
            changed: false,
            changes: vec![],
        }
    }

    fn opts<'a>(az: Option<&'a str>, efs_utils: bool) -> Options<'a> {
        Options { mount_point: "/mnt/efs", host_az: az, efs_utils, access_point: None, address: None, read_only: false }
    }

    #[test]
    fn the_hosts_own_az_is_chosen_else_a_fixed_one_with_a_flag() {
        let f = fs(vec![target("ap-northeast-2c", "10.0.2.9", "available"), target("ap-northeast-2a", "10.0.1.9", "available")]);
        let p = plan(&f, &opts(Some("ap-northeast-2c"), false)).unwrap();
        assert_eq!((p.target.ip.as_str(), p.cross_az), ("10.0.2.9", false));
        let p = plan(&f, &opts(Some("apne2-c"), false)).unwrap();
        assert_eq!(p.target.ip, "10.0.2.9", "an AZ id works too");
        let p = plan(&f, &opts(Some("ap-northeast-2b"), false)).unwrap();
        assert_eq!((p.target.ip.as_str(), p.cross_az), ("10.0.1.9", true));
        for _ in 0..10 {
            assert_eq!(plan(&f, &opts(None, false)).unwrap().target.az, "ap-northeast-2a", "never random");
        }
    }

    #[test]
    fn nfs_uses_the_recommended_options_and_efs_utils_tls() {
        let f = fs(vec![target("ap-northeast-2a", "10.0.1.9", "available")]);
        let p = plan(&f, &opts(Some("ap-northeast-2a"), false)).unwrap();
        assert_eq!(
            p.argv.join(" "),
            "mount -t nfs4 -o nfsvers=4.1,rsize=1048576,wsize=1048576,hard,timeo=600,retrans=2,noresvport 10.0.1.9:/ /mnt/efs"
        );
        assert_eq!(
            p.entry.line(),
            "10.0.1.9:/ /mnt/efs nfs4 nfsvers=4.1,rsize=1048576,wsize=1048576,hard,timeo=600,retrans=2,noresvport,_netdev,nofail 0 0"
        );
        let p = plan(&f, &Options { access_point: Some("fsap-1"), ..opts(Some("ap-northeast-2a"), true) }).unwrap();
        assert_eq!(p.argv.join(" "), "mount -t efs -o tls,mounttargetip=10.0.1.9,accesspoint=fsap-1 fs-1:/ /mnt/efs");
        assert_eq!(p.entry.line(), "fs-1:/ /mnt/efs efs tls,mounttargetip=10.0.1.9,accesspoint=fsap-1,_netdev,nofail 0 0");
    }

    #[test]
    fn what_cannot_be_mounted_is_refused() {
        let f = fs(vec![target("ap-northeast-2a", "10.0.1.9", "creating")]);
        assert!(plan(&f, &opts(None, false)).unwrap_err().to_string().contains("no mount target is available"));
        assert!(plan(&fs(vec![]), &opts(None, false)).unwrap_err().to_string().contains("no mount targets"));
        let f = fs(vec![target("ap-northeast-2a", "10.0.1.9", "available")]);
        assert_eq!(plan(&f, &Options { mount_point: "mnt", ..opts(None, false) }).unwrap_err().exit_code(), 2);
        assert_eq!(plan(&f, &Options { mount_point: "/", ..opts(None, false) }).unwrap_err().exit_code(), 2);
        let tls = EfsDoc { require_tls: true, ..f.clone() };
        assert!(plan(&tls, &opts(None, false)).unwrap_err().to_string().contains(EFS_UTILS_PACKAGE));
        assert!(plan(&tls, &opts(None, true)).is_ok());
        assert!(plan(&f, &Options { access_point: Some("fsap-1"), ..opts(None, false) }).unwrap_err().to_string().contains("efs-utils"));
    }
}
