//! Helpers shared by the integration tests that run the `warcoder` binary.
// Each test crate includes this module and uses only some of its helpers.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

/// The `warcoder` binary, immune to the developer's environment: no
/// gazetteer overlay (`WARCODER_OVERLAY=none`: the expectations are the
/// built-in gazetteer's) and no debugging text on stderr.
pub fn binary() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_warcoder"));
    c.env("WARCODER_OVERLAY", "none")
        .env_remove("WARCODER_TRACE")
        .env_remove("WARCODER_FRAMES");
    c
}

/// Run `warcoder ARGS` in `cwd`: exit code, stdout, stderr.
pub fn warcoder(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let out = binary()
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
