//! The deployment files in deploy/, judged offline with the tools their users have: the
//! Kubernetes manifests against the Kubernetes OpenAPI schemas (kubernetes-validate,
//! strict, with its bundled schemas), the AWS Batch job definition and array-job
//! submission against botocore's Batch service model (the shapes the API accepts), and
//! the security settings the deployment promises (non-root, read-only root file system,
//! no privilege escalation, IRSA, an Indexed Job whose shard count matches `--shard`).

use std::path::{Path, PathBuf};
use std::process::Command;

fn deploy() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy")
}

fn venv_bin(name: &str) -> PathBuf {
    xtask::moto::moto_server_path().with_file_name(name)
}

/// Runs a Python check with moto's venv (PyYAML and botocore are there); its stderr on failure.
fn python(script: &str, args: &[&Path]) {
    let out = Command::new(venv_bin("python")).arg("-c").arg(script).args(args).output().expect("moto's venv python");
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}

#[test]
fn kubernetes_manifests_conform_to_the_openapi_schemas() {
    let manifest = deploy().join("kubernetes/fleet-audit.yaml");
    let validate = venv_bin("kubernetes-validate");
    assert!(validate.exists(), "kubernetes-validate is not installed in moto's venv (scripts/lib.sh ensure_deploy_tools)");
    let out =
        Command::new(&validate).args(["--strict", "--kubernetes-version", "1.33.0"]).arg(&manifest).output().expect("kubernetes-validate");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{text}");
    assert_eq!(text.matches("passed for resource").count(), 2, "both documents validated: {text}");
    // The checker rejects what it should: a misspelt field fails strict validation.
    let broken = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(broken.path(), std::fs::read_to_string(&manifest).unwrap().replace("completionMode:", "completionMod:")).unwrap();
    let out = Command::new(&validate).args(["--strict", "--kubernetes-version", "1.33.0"]).arg(broken.path()).output().unwrap();
    assert!(!out.status.success(), "a misspelt field must fail");
}

const KUBERNETES_PROMISES: &str = r#"
import sys, yaml
docs = {d["kind"]: d for d in yaml.safe_load_all(open(sys.argv[1]))}
sa = docs["ServiceAccount"]
assert sa["metadata"]["annotations"]["eks.amazonaws.com/role-arn"].startswith("arn:aws:iam::"), "IRSA annotation"
job = docs["CronJob"]["spec"]["jobTemplate"]["spec"]
assert job["completionMode"] == "Indexed", "an Indexed Job"
pod = job["template"]["spec"]
assert pod["serviceAccountName"] == sa["metadata"]["name"]
assert pod["securityContext"]["runAsNonRoot"] is True and pod["securityContext"]["runAsUser"] != 0
[c] = pod["containers"]
sc = c["securityContext"]
assert sc["readOnlyRootFilesystem"] is True, "read-only root"
assert sc["allowPrivilegeEscalation"] is False, "no privilege escalation"
assert sc["capabilities"]["drop"] == ["ALL"]
args = c["args"]
assert args[args.index("--shard") + 1] == str(job["completions"]), "--shard N is the Job's completions"
assert "--org" in args
"#;

#[test]
fn the_kubernetes_job_is_sharded_non_root_and_read_only() {
    python(KUBERNETES_PROMISES, &[&deploy().join("kubernetes/fleet-audit.yaml")]);
}

const BATCH_SHAPES: &str = r#"
import json, sys, botocore.session
from botocore.validate import validate_parameters
model = botocore.session.get_session().get_service_model("batch")
definition = json.load(open(sys.argv[1]))
submit = json.load(open(sys.argv[2]))
validate_parameters(definition, model.operation_model("RegisterJobDefinition").input_shape)
validate_parameters(submit, model.operation_model("SubmitJob").input_shape)
c = definition["containerProperties"]
assert c["readonlyRootFilesystem"] is True and c["user"] != "0" and c["privileged"] is False
cmd = c["command"]
assert cmd[cmd.index("--shard") + 1] == str(submit["arrayProperties"]["size"]), "--shard N is the array size"
assert submit["jobDefinition"] == definition["jobDefinitionName"]
try:
    validate_parameters({**submit, "arrayProperties": {"size": "four"}}, model.operation_model("SubmitJob").input_shape)
except Exception:
    pass
else:
    sys.exit("the model check accepts a wrong type")
"#;

#[test]
fn the_batch_array_job_matches_the_batch_api() {
    python(BATCH_SHAPES, &[&deploy().join("aws-batch/job-definition.json"), &deploy().join("aws-batch/submit-job.json")]);
}

#[test]
fn the_image_is_from_scratch_and_runs_as_a_non_root_user() {
    let containerfile = std::fs::read_to_string(deploy().join("image/Containerfile")).unwrap();
    let instructions: Vec<&str> = containerfile.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).collect();
    assert_eq!(instructions[0], "FROM scratch");
    let user = instructions.iter().rev().find_map(|l| l.strip_prefix("USER ")).expect("a USER");
    let uid = user.split(':').next().unwrap();
    assert!(uid.parse::<u32>().is_ok_and(|u| u != 0), "a numeric non-root user: {user}");
    let passwd = std::fs::read_to_string(deploy().join("image/passwd")).unwrap();
    assert!(passwd.lines().any(|l| l.split(':').nth(2) == Some(uid)), "the user is in the image's passwd");
    assert!(containerfile.contains("ca-certificates.crt"));
}
