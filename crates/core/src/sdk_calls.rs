//! The check that keeps the declared permissions honest: it finds every AWS SDK fluent
//! call (`.create_vpc()`, `.describe_subnets()`, …) in a crate's sources and fails
//! when the module that makes it declares no [`Grant`] with the matching IAM action.
//! The SDK's operations are read from the SDK crates' own sources (one file per
//! operation under `src/client/`, found through `cargo metadata`), so a newly used
//! operation is caught without anyone listing it here. Used by each crate's tests.

use crate::permissions::Grant;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The IAM service prefix of each SDK crate this workspace uses.
const SERVICE_PREFIXES: &[(&str, &str)] = &[
    ("aws-sdk-acm", "acm"),
    ("aws-sdk-cloudfront", "cloudfront"),
    ("aws-sdk-ec2", "ec2"),
    ("aws-sdk-ec2instanceconnect", "ec2-instance-connect"),
    ("aws-sdk-efs", "elasticfilesystem"),
    ("aws-sdk-elasticloadbalancingv2", "elasticloadbalancing"),
    ("aws-sdk-iam", "iam"),
    ("aws-sdk-kms", "kms"),
    ("aws-sdk-organizations", "organizations"),
    ("aws-sdk-route53", "route53"),
    ("aws-sdk-s3", "s3"),
    ("aws-sdk-ssm", "ssm"),
    ("aws-sdk-sts", "sts"),
];

/// Operations whose IAM action has another name than the operation (Service
/// Authorization Reference): (prefix, operation in snake case, action).
const RENAMED: &[(&str, &str, &str)] =
    &[("s3", "head_bucket", "s3:ListBucket"), ("s3", "list_objects_v2", "s3:ListBucket"), ("s3", "head_object", "s3:GetObject")];

/// SDK operations by their fluent method name (`create_vpc`) → the IAM actions they
/// may stand for (one per service that has an operation of that name).
#[derive(Debug, Default)]
pub struct SdkOperations {
    by_method: BTreeMap<String, Vec<String>>,
}

impl SdkOperations {
    /// Builds the table from (SDK crate name, its `src/client` directory).
    pub fn from_client_dirs(dirs: &[(String, PathBuf)]) -> std::io::Result<SdkOperations> {
        let mut by_method: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (krate, dir) in dirs {
            let Some((_, prefix)) = SERVICE_PREFIXES.iter().find(|(k, _)| k == krate) else { continue };
            for entry in std::fs::read_dir(dir)? {
                let path = entry?.path();
                let Some(method) = path.file_stem().and_then(|s| s.to_str()) else { continue };
                if path.extension().and_then(|e| e.to_str()) != Some("rs") || method == "customize" {
                    continue;
                }
                by_method.entry(method.to_owned()).or_default().push(action_name(prefix, method));
            }
        }
        Ok(SdkOperations { by_method })
    }

    /// The table for this workspace's SDK crates, read through `cargo metadata` once.
    pub fn of_workspace() -> &'static SdkOperations {
        static TABLE: std::sync::OnceLock<SdkOperations> = std::sync::OnceLock::new();
        TABLE.get_or_init(|| {
            let dirs = sdk_client_dirs().unwrap_or_else(|e| panic!("cannot find the AWS SDK crates' sources: {e}"));
            assert!(!dirs.is_empty(), "cargo metadata listed no aws-sdk-* crate");
            SdkOperations::from_client_dirs(&dirs).unwrap_or_else(|e| panic!("cannot read the SDK's operations: {e}"))
        })
    }

    /// The IAM actions a fluent method may stand for; None when it is no SDK operation.
    pub fn actions(&self, method: &str) -> Option<&[String]> {
        self.by_method.get(method).map(Vec::as_slice)
    }
}

/// `create_vpc` in service `ec2` → `ec2:CreateVpc` (IAM compares names case-insensitively,
/// so `send_ssh_public_key` → `ec2-instance-connect:SendSshPublicKey` matches `SendSSHPublicKey`).
pub fn action_name(prefix: &str, method: &str) -> String {
    if let Some((_, _, action)) = RENAMED.iter().find(|(p, m, _)| *p == prefix && *m == method) {
        return (*action).to_owned();
    }
    let pascal: String = method
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        })
        .collect();
    format!("{prefix}:{pascal}")
}

/// A test's package directory: as compiled in (`env!("CARGO_MANIFEST_DIR")`) while it exists,
/// else as `cargo test` gives it when the test runs. Cargo reuses a test binary built in
/// another checkout of the same workspace that shares the target directory (paths are hashed
/// relative to the workspace), and that checkout may be gone.
pub fn checkout_dir(compiled: &str) -> PathBuf {
    let compiled = PathBuf::from(compiled);
    if compiled.exists() {
        return compiled;
    }
    std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from).unwrap_or(compiled)
}

/// The `aws-sdk-*` crates of the workspace and their `src/client` directories.
fn sdk_client_dirs() -> Result<Vec<(String, PathBuf)>, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    // Only this platform's packages: the others' sources need not be on the machine.
    let rustc = std::process::Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
        .arg("-vV")
        .output()
        .map_err(|e| format!("rustc -vV: {e}"))?;
    let host = String::from_utf8_lossy(&rustc.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_owned))
        .ok_or("rustc -vV names no host")?;
    let out = std::process::Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--offline", "--filter-platform", &host])
        .current_dir(checkout_dir(env!("CARGO_MANIFEST_DIR")))
        .output()
        .map_err(|e| format!("cargo metadata: {e}"))?;
    if !out.status.success() {
        return Err(format!("cargo metadata: {}", String::from_utf8_lossy(&out.stderr)));
    }
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|e| format!("cargo metadata output: {e}"))?;
    let mut dirs = Vec::new();
    for package in meta["packages"].as_array().into_iter().flatten() {
        let (Some(name), Some(manifest)) = (package["name"].as_str(), package["manifest_path"].as_str()) else { continue };
        if name.starts_with("aws-sdk-")
            && let Some(root) = Path::new(manifest).parent()
        {
            dirs.push((name.to_owned(), root.join("src").join("client")));
        }
    }
    Ok(dirs)
}

/// The fluent methods called in `source` (`.name()` with no arguments), outside its
/// `#[cfg(test)]` module, that are SDK operations: (method, line number).
pub fn sdk_calls<'a>(source: &'a str, operations: &SdkOperations) -> Vec<(&'a str, usize)> {
    let code = source.split("#[cfg(test)]\nmod tests").next().unwrap_or(source);
    let mut calls = Vec::new();
    for (n, line) in code.lines().enumerate() {
        let line = line.split("//").next().unwrap_or(line);
        let mut rest = line;
        while let Some(dot) = rest.find('.') {
            rest = &rest[dot + 1..];
            let end = rest.find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')).unwrap_or(rest.len());
            let (name, after) = rest.split_at(end);
            if !name.is_empty() && after.starts_with("()") && operations.actions(name).is_some() {
                calls.push((name, n + 1));
            }
        }
    }
    calls
}

/// Every SDK call in the sources under `src` that the file's declared grants do not
/// cover, one line each: `apply.rs:222 .create_vpc() needs ec2:CreateVpc`.
/// `declared` maps each file (relative to `src`) to the grants its code paths declare.
pub fn undeclared_calls(src: &Path, declared: &[(&str, &[&Grant])], operations: &SdkOperations) -> Vec<String> {
    let mut missing = Vec::new();
    let mut files = Vec::new();
    collect_rs_files(src, &mut files);
    files.sort();
    for file in files {
        let rel = file.strip_prefix(src).unwrap_or(&file).to_string_lossy().replace('\\', "/");
        let Ok(source) = std::fs::read_to_string(&file) else {
            missing.push(format!("{rel}: unreadable"));
            continue;
        };
        let grants: Vec<&Grant> = declared.iter().filter(|(f, _)| *f == rel).flat_map(|(_, g)| g.iter().copied()).collect();
        for (method, line) in sdk_calls(&source, operations) {
            let actions = operations.actions(method).unwrap_or_default();
            if !actions.iter().any(|a| grants.iter().any(|g| g.names(a))) {
                missing.push(format!("{rel}:{line} .{method}() needs {} but {rel} declares no grant with it", actions.join(" or ")));
            }
        }
    }
    missing
}

fn collect_rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_rs_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Panics with every undeclared call of the crate at `manifest_dir` (its `src`).
pub fn assert_declared(manifest_dir: &str, declared: &[(&str, &[&Grant])]) {
    let missing = undeclared_calls(&checkout_dir(manifest_dir).join("src"), declared, SdkOperations::of_workspace());
    assert!(missing.is_empty(), "SDK calls without a declared IAM action:\n{}", missing.join("\n"));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> SdkOperations {
        let mut by_method = BTreeMap::new();
        by_method.insert("create_vpc".to_owned(), vec!["ec2:CreateVpc".to_owned()]);
        by_method.insert("describe_vpcs".to_owned(), vec!["ec2:DescribeVpcs".to_owned()]);
        by_method.insert("send_ssh_public_key".to_owned(), vec![action_name("ec2-instance-connect", "send_ssh_public_key")]);
        SdkOperations { by_method }
    }

    #[test]
    fn names_follow_iam_and_the_exceptions() {
        assert_eq!(action_name("ec2", "create_vpc"), "ec2:CreateVpc");
        assert_eq!(action_name("s3", "head_bucket"), "s3:ListBucket");
        let g = Grant::any("X", &["ec2-instance-connect:SendSSHPublicKey"]);
        assert!(g.names(&action_name("ec2-instance-connect", "send_ssh_public_key")));
    }

    #[test]
    fn finds_fluent_calls_but_not_comments_tests_or_other_methods() {
        let src = "let v = ec2.create_vpc().cidr_block(c).send().await;\n// ec2.describe_vpcs()\nlet x = thing.describe_vpcs(1);\nclient\n    .describe_vpcs()\n#[cfg(test)]\nmod tests {\n    ec2.create_vpc()\n}\n";
        assert_eq!(sdk_calls(src, &table()), vec![("create_vpc", 1), ("describe_vpcs", 5)]);
    }

    #[test]
    fn an_undeclared_call_is_reported_with_its_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("nested")).unwrap();
        std::fs::write(dir.path().join("apply.rs"), "ec2.describe_vpcs().send();\nec2.create_vpc().send();\n").unwrap();
        std::fs::write(dir.path().join("nested/lookup.rs"), "ec2i.send_ssh_public_key().send();\n").unwrap();
        static READ: Grant = Grant::any("Read", &["ec2:DescribeVpcs"]);
        static CREATE: Grant = Grant::any("Create", &["ec2:CreateVpc"]);
        static PUSH: Grant = Grant::any("Push", &["ec2-instance-connect:SendSSHPublicKey"]);
        let ops = table();
        let missing = undeclared_calls(dir.path(), &[("apply.rs", &[&READ]), ("nested/lookup.rs", &[&PUSH])], &ops);
        assert_eq!(missing, vec!["apply.rs:2 .create_vpc() needs ec2:CreateVpc but apply.rs declares no grant with it"]);
        // A grant declared in another file does not cover this one's call.
        let missing = undeclared_calls(dir.path(), &[("apply.rs", &[&READ]), ("nested/lookup.rs", &[&PUSH, &CREATE])], &ops);
        assert_eq!(missing.len(), 1);
        assert!(undeclared_calls(dir.path(), &[("apply.rs", &[&READ, &CREATE]), ("nested/lookup.rs", &[&PUSH])], &ops).is_empty());
    }

    #[test]
    fn the_workspace_table_knows_the_sdk() {
        let ops = SdkOperations::of_workspace();
        assert_eq!(ops.actions("create_vpc"), Some(&["ec2:CreateVpc".to_owned()][..]));
        assert!(ops.actions("create_file_system").unwrap().contains(&"elasticfilesystem:CreateFileSystem".to_owned()));
        assert_eq!(ops.actions("send"), None);
    }
}
