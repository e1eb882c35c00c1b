//! vpc-bootstrap against moto: the tracer network, re-runs, dry runs, bad input, and
//! the core's exit paths seen from outside (unreachable endpoint, closed stdout, Ctrl-C).

use crate::harness::{Moto, TestCommand, free_port};
use std::io::Read;
use std::process::Stdio;
use std::time::Duration;

fn vpc(moto: &Moto) -> TestCommand {
    TestCommand::for_moto("vpc-bootstrap", moto)
}

#[test]
fn tracer_creates_a_network_and_a_rerun_changes_nothing() {
    let moto = Moto::start();
    let docs = vpc(&moto).args(["create", "tracer", "--cidr", "10.1.0.0/16", "--azs", "1", "--private-per-az", "0"]).run().ok();
    assert_eq!(docs.len(), 1);
    let doc = &docs[0];
    assert_eq!(doc["kind"], "vpc");
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["name"], "tracer");
    assert_eq!(doc["cidr"], "10.1.0.0/16");
    assert!(doc["vpc_id"].as_str().unwrap().starts_with("vpc-"));
    assert!(doc["internet_gateway_id"].as_str().unwrap().starts_with("igw-"));
    let subnets = doc["subnets"].as_array().unwrap();
    assert_eq!(subnets.len(), 1);
    assert_eq!(subnets[0]["name"], "public-subnet-a1");
    assert_eq!(subnets[0]["cidr"], "10.1.0.0/24");
    assert_eq!(subnets[0]["az"], "ap-northeast-2a");
    assert!(subnets[0]["route_table_id"].as_str().unwrap().starts_with("rtb-"));

    let plan =
        vpc(&moto).args(["create", "tracer", "--cidr", "10.1.0.0/16", "--azs", "1", "--private-per-az", "0", "--dry-run"]).run().ok();
    assert_eq!(plan[0]["kind"], "vpc-plan");
    assert_eq!(plan[0]["steps"], serde_json::json!([]), "a converged network plans nothing");

    let again = vpc(&moto).args(["create", "tracer", "--cidr", "10.1.0.0/16", "--azs", "1", "--private-per-az", "0"]).run().ok();
    assert_eq!(again, docs, "a re-run prints the same document");
    let shown = vpc(&moto).args(["show", "tracer"]).run().ok();
    assert_eq!(shown, docs);
}

#[test]
fn dry_run_changes_nothing() {
    let moto = Moto::start();
    let plan = vpc(&moto).args(["create", "dry", "--dry-run"]).run().ok();
    let keys: Vec<&str> = plan[0]["steps"].as_array().unwrap().iter().map(|s| s["key"].as_str().unwrap()).collect();
    assert!(keys.contains(&"vpc") && keys.contains(&"igw") && keys.contains(&"subnet:private-subnet-b1"), "{keys:?}");
    vpc(&moto).args(["show", "dry"]).run().usage_error("no network named dry");
}

#[test]
fn bad_input_exits_2_before_any_call() {
    // No emulator at all: these must fail on the command line alone.
    let nowhere = format!("http://127.0.0.1:{}", free_port());
    let run = |args: &[&str]| TestCommand::new("vpc-bootstrap", &nowhere).args(args).run();
    run(&["create", "x", "--cidr", "10.1.0.0/33"]).usage_error("malformed CIDR");
    run(&["create", "x", "--cidr", "10.1.0.1/16"]).usage_error("host bits");
    run(&["create", "x", "--cidr", "8.8.0.0/16"]).usage_error("private ranges");
    run(&["create", "x", "--cidr", "10.0.0.0/12"]).usage_error("/16 to /28");
    run(&["create", "bad name"]).usage_error("invalid name");
    run(&["create", "x", "--region", "mars"]).usage_error("invalid region");
    run(&["create", "x", "--endpoint-url", "localhost:1"]).usage_error("--endpoint-url");
    let clap_error = run(&["create"]);
    assert_eq!(clap_error.code, 2, "clap's own usage errors exit 2 too");
}

#[test]
fn unknown_az_and_too_many_azs_exit_2() {
    let moto = Moto::start();
    vpc(&moto).args(["create", "x", "--az", "a,z"]).run().usage_error("unknown AZ");
    vpc(&moto).args(["create", "x", "--azs", "9"]).run().usage_error("has only");
    vpc(&moto).args(["show", "x"]).run().usage_error("no network named x");
}

#[test]
fn unreachable_endpoint_exits_1_with_one_line() {
    let nowhere = format!("http://127.0.0.1:{}", free_port());
    let run = TestCommand::new("vpc-bootstrap", &nowhere).args(["show", "x"]).run();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.starts_with("vpc-bootstrap: ") && run.stderr.contains("--endpoint-url"), "{}", run.stderr);
}

#[test]
fn closed_stdout_exits_quietly() {
    let moto = Moto::start();
    vpc(&moto).args(["create", "pipe", "--azs", "1"]).run().ok();
    let mut child = vpc(&moto).args(["show", "pipe"]).spawn(Stdio::piped());
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert_eq!(status.code(), Some(0), "stderr: {stderr}");
    assert_eq!(stderr, "");
}

#[test]
fn ctrl_c_exits_130() {
    // An endpoint that accepts connections and never answers keeps the command busy.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let mut child = TestCommand::new("vpc-bootstrap", &endpoint).args(["show", "x"]).spawn(Stdio::null());
    let _conn = listener.accept().unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let killed = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
}
