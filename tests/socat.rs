//! The shell transcripts of `ipc/PROTOCOL.md`, run for real with socat against a live lunad
//! (`tests/scripts/socat_protocol.sh`).

mod support;

use std::process::Command;
use support::Daemon;

#[test]
fn protocol_md_shell_transcripts_work() {
    let socat = Command::new("socat").arg("-V").output();
    assert!(
        socat.is_ok_and(|o| o.status.success()),
        "socat is not installed: run `.ci/install-deps` (it installs the packages the tests drive)"
    );
    let d = Daemon::start();
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/scripts/socat_protocol.sh"
    );
    let out = Command::new("bash")
        .arg(script)
        .arg(d.socket())
        .current_dir(d.env.path())
        .env_remove("LUNA_SOCKET")
        .output()
        .expect("run bash");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "socat_protocol.sh failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    for step in [
        "stats",
        "power.svg",
        "pipelined",
        "parse_error",
        "subscribe",
    ] {
        assert!(
            stdout.contains(&format!("ok: {step}")),
            "step {step} did not run:\n{stdout}"
        );
    }
    let svg = std::fs::read_to_string(d.env.path().join("power.svg")).expect("power.svg written");
    let doc = roxmltree::Document::parse(&svg).expect("power.svg is XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    // The transcripts' generate requests were really served by this daemon.
    assert!(d.stats()["total_generated"].as_u64().unwrap() >= 1);
}
