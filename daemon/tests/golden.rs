//! Golden hashes pin the SVG bytes of every style × variant at two sizes, plus option cases.
//!
//! Any change to the output must bump `ALGORITHM_VERSION`: then re-record with
//! `LUNA_BLESS=1 cargo test -p luna-daemon --test golden`. Blessing without a bump is refused.

use luna_daemon::art::{ALGORITHM_VERSION, LogoSpec, Palette, Style, Variant, render_svg};
use std::path::PathBuf;

fn cases() -> Vec<(String, LogoSpec)> {
    let mut cases = Vec::new();
    for size in [64, 512] {
        for style in Style::ALL {
            for variant in Variant::ALL {
                let spec = LogoSpec::new(style, variant, size).unwrap();
                cases.push((format!("{style} {variant} {size}"), spec));
            }
        }
    }
    for style in Style::ALL {
        let base = LogoSpec::new(style, Variant::Creative, 200).unwrap();
        cases.push((
            format!("{style} creative 200 static"),
            base.clone().with_animated(false),
        ));
        cases.push((
            format!("{style} creative 200 seed=7"),
            base.clone().with_seed(7),
        ));
        let palette = Palette::parse("#0b1d51,#725ac1,#8d86c9,#cac4ce").unwrap();
        cases.push((
            format!("{style} creative 200 palette"),
            base.with_palette(palette),
        ));
    }
    cases
}

fn golden_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/svg.txt")
}

fn record() -> String {
    let mut out = format!("# algorithm {ALGORITHM_VERSION}\n");
    for (name, spec) in cases() {
        let hash = blake3::hash(render_svg(&spec).as_bytes());
        out.push_str(&format!("{name} {hash}\n"));
    }
    out
}

fn recorded_version(text: &str) -> Option<u32> {
    text.lines()
        .next()?
        .strip_prefix("# algorithm ")?
        .parse()
        .ok()
}

#[test]
fn svg_output_matches_the_golden_hashes() {
    let current = record();
    let path = golden_path();
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    let changed: Vec<&str> = current
        .lines()
        .filter(|line| !stored.lines().any(|s| s == *line))
        .collect();

    if std::env::var_os("LUNA_BLESS").is_some() {
        assert!(
            changed.is_empty() || recorded_version(&stored) != Some(ALGORITHM_VERSION),
            "the output changed but ALGORITHM_VERSION is still {ALGORITHM_VERSION}: bump it first"
        );
        std::fs::write(&path, &current).unwrap();
        return;
    }
    assert_eq!(
        recorded_version(&stored),
        Some(ALGORITHM_VERSION),
        "{} records another algorithm version; re-record with LUNA_BLESS=1",
        path.display()
    );
    assert!(
        changed.is_empty(),
        "{} logos changed without an ALGORITHM_VERSION bump, e.g.:\n{}",
        changed.len(),
        changed
            .iter()
            .take(5)
            .copied()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert_eq!(
        current.lines().count(),
        stored.lines().count(),
        "golden cases were removed"
    );
}

#[test]
fn rendering_twice_gives_identical_bytes() {
    for (name, spec) in cases().into_iter().step_by(7) {
        assert_eq!(render_svg(&spec), render_svg(&spec), "{name}");
    }
}
