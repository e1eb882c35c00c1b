//! End-to-end tests: the real binaries against a real third-party AWS emulator (moto)
//! on loopback, and later real OpenSSH servers. One test binary, one module per command.

mod ami_snap;
mod aws_view;
mod bastion_ssh;
mod bastion_ssh_ciphers;
mod bastion_ssh_edges;
mod bastion_ssh_host_keys;
mod cert_attach;
mod cert_attach_cloudfront;
mod deploy_manifests;
mod dns_alias;
mod efs_mount;
mod efs_mount_host;
mod faults;
mod fleet;
mod harness;
mod iam_audit;
mod input_limits;
mod install;
mod least_privilege;
mod print_policy;
mod self_contained;
mod vpc_bootstrap;
mod vpc_bootstrap_web;
mod web_stack;
