//! `cargo xtask docs [--check]`: regenerates completions, man pages and JSON schemas,
//! or (with --check) fails when the committed ones are stale.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = xtask::workspace_root();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["docs"] => match xtask::write(&root) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("xtask: cannot write generated files: {e}");
                ExitCode::FAILURE
            }
        },
        ["docs", "--check"] => {
            let stale = xtask::stale(&root);
            if stale.is_empty() {
                ExitCode::SUCCESS
            } else {
                for path in stale {
                    eprintln!("xtask: stale: {}", path.display());
                }
                eprintln!("xtask: run `cargo xtask docs` and commit the result");
                ExitCode::FAILURE
            }
        }
        _ => {
            eprintln!("usage: cargo xtask docs [--check]");
            ExitCode::from(2)
        }
    }
}
