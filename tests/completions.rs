//! The committed completion scripts are exactly what `luna completions <shell>` prints.

use std::process::Command;

const SCRIPTS: [(&str, &str); 3] = [
    ("bash", "completions/luna.bash"),
    ("zsh", "completions/_luna"),
    ("fish", "completions/luna.fish"),
];

#[test]
fn committed_completions_are_up_to_date() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for (shell, file) in SCRIPTS {
        let output = Command::new(env!("CARGO_BIN_EXE_luna"))
            .args(["completions", shell])
            .output()
            .expect("luna runs");
        assert!(output.status.success(), "luna completions {shell} failed");
        let committed =
            std::fs::read(root.join(file)).unwrap_or_else(|e| panic!("cannot read {file}: {e}"));
        assert!(
            output.stdout == committed,
            "{file} is out of date; regenerate it with \
             `cargo run --bin luna -- completions {shell} > {file}`"
        );
    }
}
