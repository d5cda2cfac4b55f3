//! The dependency rules of `docs/ARCHITECTURE.md` that a machine can check: which crate may
//! depend on which, which modules may name which crates, and no import cycle between sibling
//! modules in any crate.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file below `dir`, recursively.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The code of a file without its comments (doc links name paths that are not imports).
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The crates of this workspace a manifest depends on (normal dependencies only).
fn workspace_dependencies(manifest: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(manifest).unwrap();
    let mut section = String::new();
    let mut found = BTreeSet::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            section = line.to_owned();
            continue;
        }
        if section == "[dependencies]" {
            for ours in ["luna-ipc", "luna-daemon", "luna-tui"] {
                if line.starts_with(&format!("{ours} ")) || line.starts_with(&format!("{ours}.")) {
                    found.insert(ours.to_owned());
                }
            }
        }
    }
    found
}

#[test]
fn crates_depend_inward_only() {
    let deps = |crate_dir: &str| workspace_dependencies(&root().join(crate_dir).join("Cargo.toml"));
    assert!(
        deps("ipc").is_empty(),
        "luna-ipc depends on no crate of ours"
    );
    assert_eq!(deps("daemon"), BTreeSet::from(["luna-ipc".to_owned()]));
    assert_eq!(deps("tui"), BTreeSet::from(["luna-ipc".to_owned()]));
}

/// Files below `dir` (relative to the root) whose code contains `needle`.
fn files_naming(dir: &str, needle: &str) -> Vec<String> {
    rust_files(&root().join(dir))
        .into_iter()
        .filter(|f| code(f).contains(needle))
        .map(|f| f.strip_prefix(root()).unwrap().display().to_string())
        .collect()
}

#[test]
fn the_engine_and_the_drawing_code_name_no_front_end() {
    for inner in [
        "daemon/src/engine",
        "daemon/src/art",
        "daemon/src/raster",
        "daemon/src/store",
        "daemon/src/telemetry",
    ] {
        for front in [
            "luna_ipc::",
            "crate::ipc_server",
            "crate::http",
            "axum::",
            "hyper::",
        ] {
            assert_eq!(
                files_naming(inner, front),
                Vec::<String>::new(),
                "{inner} names {front}"
            );
        }
    }
    // The TUI and the CLI reach lunad through luna-ipc only.
    assert!(files_naming("tui/src", "luna_daemon::").is_empty());
    let cli: Vec<String> = files_naming("src", "luna_daemon::");
    assert_eq!(
        cli,
        ["src/lunad.rs"],
        "only the daemon binary links the daemon"
    );
}

#[test]
fn sled_is_named_only_in_its_store_module() {
    let naming: Vec<String> = [
        "ipc/src", "daemon", "tui", "src", "tests", "benches", "examples",
    ]
    .iter()
    .flat_map(|dir| rust_files(&root().join(dir)))
    .filter(|f| !f.ends_with("tests/architecture.rs"))
    .filter(|f| {
        let code = code(f);
        code.match_indices("sled::").any(|(at, _)| {
            // `self::sled::` is the store module itself, not the crate.
            !code[..at].ends_with("self::") && !code[..at].ends_with("Sled")
        }) || code.contains("use sled")
    })
    .map(|f| f.strip_prefix(root()).unwrap().display().to_string())
    .collect();
    assert_eq!(naming, ["daemon/src/store/sled.rs"]);
}

/// A crate's modules: module path (`["engine", "render"]`) → the file that holds it.
fn modules(src: &Path, roots: &[&str]) -> BTreeMap<Vec<String>, PathBuf> {
    let mut found = BTreeMap::new();
    for file in rust_files(src) {
        let relative = file.strip_prefix(src).unwrap();
        let mut parts: Vec<String> = relative
            .iter()
            .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
            .collect();
        if parts.len() == 1 && roots.contains(&parts[0].as_str()) {
            parts.clear();
        } else if parts.last().is_some_and(|p| p == "mod") {
            parts.pop();
        }
        found.insert(parts, file);
    }
    found
}

/// The module paths a file refers to through `crate::…`, `super::…` and `self::…` paths,
/// resolved against the file's own module path.
fn references(module: &[String], code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut i = 0;
    while i < bytes.len() {
        if !code.is_char_boundary(i) {
            i += 1;
            continue;
        }
        let starts_word = i == 0 || !(ident(bytes[i - 1]) || bytes[i - 1] == b':');
        let rest = &code[i..];
        let anchor = ["crate::", "super::", "self::"]
            .into_iter()
            .find(|a| rest.starts_with(a));
        if !starts_word || anchor.is_none() {
            i += 1;
            continue;
        }
        // Resolve the leading `crate`/`super`/`self` segments.
        let mut base: Vec<String> = module.to_vec();
        let mut j = i;
        loop {
            let rest = &code[j..];
            if rest.starts_with("crate::") {
                base.clear();
                j += "crate::".len();
            } else if rest.starts_with("super::") {
                base.pop();
                j += "super::".len();
            } else if rest.starts_with("self::") {
                j += "self::".len();
            } else {
                break;
            }
        }
        collect_tree(code, &mut j, base, &mut out);
        i = j.max(i + 1);
    }
    out
}

/// Reads a use tree (`a::b::{c, d::e}`) at `*at`, pushing every path it names.
fn collect_tree(code: &str, at: &mut usize, mut path: Vec<String>, out: &mut Vec<Vec<String>>) {
    let bytes = code.as_bytes();
    loop {
        while *at < bytes.len() && bytes[*at].is_ascii_whitespace() {
            *at += 1;
        }
        if *at < bytes.len() && bytes[*at] == b'{' {
            *at += 1;
            loop {
                collect_tree(code, at, path.clone(), out);
                while *at < bytes.len() && (bytes[*at].is_ascii_whitespace() || bytes[*at] == b',')
                {
                    *at += 1;
                }
                if *at >= bytes.len() || bytes[*at] == b'}' {
                    *at += 1;
                    return;
                }
            }
        }
        let start = *at;
        while *at < bytes.len() && (bytes[*at].is_ascii_alphanumeric() || bytes[*at] == b'_') {
            *at += 1;
        }
        if start == *at {
            out.push(path);
            return;
        }
        let segment = &code[start..*at];
        if segment != "self" {
            path.push(segment.to_owned());
        }
        if code[*at..].starts_with("::") {
            *at += 2;
        } else {
            out.push(path);
            return;
        }
    }
}

/// Cycles between sibling modules: for each reference from module S to module R, the edge goes
/// between the children of their closest common ancestor that contain S and R.
fn sibling_cycles(src: &Path, roots: &[&str]) -> Vec<String> {
    let modules = modules(src, roots);
    let known: BTreeSet<&Vec<String>> = modules.keys().collect();
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (module, file) in &modules {
        for reference in references(module, &code(file)) {
            // The longest known module the path names (the rest are items inside it).
            let target = (0..=reference.len())
                .rev()
                .map(|n| reference[..n].to_vec())
                .find(|p| known.contains(p));
            let Some(target) = target else { continue };
            let common = module
                .iter()
                .zip(&target)
                .take_while(|(a, b)| a == b)
                .count();
            if common == module.len() || common == target.len() {
                continue; // a module and its own ancestor or descendant
            }
            edges
                .entry(module[..=common].to_vec())
                .or_default()
                .insert(target[..=common].to_vec());
        }
    }
    let mut cycles = Vec::new();
    for start in edges.keys() {
        // Depth-first search for a path back to `start`.
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((node, trail)) = stack.pop() {
            for next in edges.get(&node).into_iter().flatten() {
                if next == start {
                    let names: Vec<String> = trail.iter().map(|m| m.join("::")).collect();
                    cycles.push(format!("{} -> {}", names.join(" -> "), start.join("::")));
                } else if seen.insert(next.clone()) {
                    let mut longer = trail.clone();
                    longer.push(next.clone());
                    stack.push((next.clone(), longer));
                }
            }
        }
    }
    cycles.sort();
    cycles.dedup();
    cycles
}

#[test]
fn no_sibling_modules_import_each_other() {
    let crates: [(&str, &[&str]); 4] = [
        ("ipc/src", &["lib"]),
        ("daemon/src", &["lib"]),
        ("tui/src", &["lib"]),
        ("src", &["main", "lunad"]),
    ];
    let mut cycles = Vec::new();
    for (src, roots) in crates {
        for cycle in sibling_cycles(&root().join(src), roots) {
            cycles.push(format!("{src}: {cycle}"));
        }
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

#[test]
fn the_cycle_finder_sees_a_cycle() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write("lib.rs", "mod a;\nmod b;\nmod c;\n");
    write("a.rs", "use crate::b::Thing;\n");
    write("b.rs", "use super::{c::{self, Other}};\n");
    write("c.rs", "pub fn f() { crate::a::g() }\n");
    assert_eq!(sibling_cycles(dir.path(), &["lib"]).len(), 3);
    write("c.rs", "// crate::a::g() is only mentioned\n");
    assert!(sibling_cycles(dir.path(), &["lib"]).is_empty());
}
