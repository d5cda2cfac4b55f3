//! Property-based fuzzing of the HTTP API from its own `/openapi.json`: schemathesis (from PyPI,
//! pinned, in a venv the harness makes) against a real lunad over loopback, every check on,
//! stateful links included, with a fixed seed and a bounded number of examples. Any request the
//! document allows but the server refuses, or the reverse, any response whose status, content
//! type, headers or body the document does not declare, and any 5xx, fails the test.

mod http;
mod support;

use http::Server;
use std::path::Path;
use std::process::Command;

const SCHEMATHESIS: &str = "4.32.5";
const TOKEN: &str = "fuzzing-cleanup-token-0123456789";

/// Runs schemathesis against `server`, asserting it finds nothing.
fn fuzz(server: &Server, seed: u32, max_examples: u32) {
    let schemathesis = support::pypi_tool("schemathesis", SCHEMATHESIS, "schemathesis");
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/http/schemathesis.toml");
    let output = Command::new(&schemathesis)
        .arg("--config-file")
        .arg(&config)
        .arg("run")
        .arg(format!("{}/openapi.json", server.base))
        .args(["--checks", "all", "--no-color"])
        .args(["--seed", &seed.to_string()])
        .args(["--max-examples", &max_examples.to_string()])
        // Valid credentials, so the destructive route is reached, and schemathesis checks
        // that it refuses the request without them.
        .args(["-H", &format!("Authorization: Bearer {TOKEN}")])
        // Its own state (hypothesis' example database) stays in the test's directory.
        .current_dir(server.env.path())
        .output()
        .expect("run schemathesis");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "schemathesis found failures (seed {seed}):\n{report}\n{}\n--- lunad's log:\n{}",
        String::from_utf8_lossy(&output.stderr),
        server.daemon.log_text()
    );
    // A run that tested nothing would also exit 0.
    let document = server.get("/openapi.json").json();
    let operations: usize = document["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().keys())
        .filter(|key| {
            [
                "get", "put", "post", "delete", "patch", "head", "options", "trace",
            ]
            .contains(&key.as_str())
        })
        .count();
    // Schemathesis leaves out the operation that serves the document itself.
    let operations = operations - 1;
    assert!(
        report.contains(&format!("Tested: {operations}")),
        "schemathesis did not test all {operations} operations:\n{report}"
    );
}

/// Rate limits off, so every generated request reaches the handlers.
#[test]
fn the_document_and_the_server_agree_on_every_operation() {
    let server = Server::start(
        "[http.rate_limits]\ngenerate = 0\nlogo = 0\ndownload = 0\ncleanup = 0\ndefault = 0\n",
        &[("LUNA_CLEANUP_TOKEN", TOKEN)],
    );
    fuzz(&server, 1, 100);
}

/// The defaults an operator gets, rate limits included: 429s are declared, and a request
/// without the token is refused with 401 even once the quota is spent.
#[test]
fn they_agree_under_the_default_rate_limits() {
    let server = Server::start("", &[("LUNA_CLEANUP_TOKEN", TOKEN)]);
    fuzz(&server, 2, 30);
}
