//! Helpers shared by the integration tests that run the `warcoder` binary.

use std::path::Path;
use std::process::Command;

/// Run `warcoder ARGS` in `cwd`: exit code, stdout, stderr.
pub fn warcoder(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_warcoder"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run warcoder");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
