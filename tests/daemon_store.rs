//! The file store of a real lunad over IPC, checked against `ipc/PROTOCOL.md`: stored outputs
//! served back by `file`, the `files` listing newest first, `cleanup`, and the statistics.

mod support;

use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::time::Duration;
use support::{Daemon, decode_data, now_ms, parse_rfc3339_utc, wait_until};

fn generate(d: &Daemon, args: Value) -> Value {
    d.ok("generate", args)
}

#[test]
fn store_writes_a_file_served_back_by_file() {
    let d = Daemon::start();
    for (format, ext) in [("svg", "svg"), ("png", "png")] {
        let r = generate(
            &d,
            json!({"variant": "power", "size": 64, "format": format, "store": true}),
        );
        assert!(r.get("data").is_none(), "stored output still inline: {r}");
        assert!(r.get("encoding").is_none(), "{r}");
        let name = r["file"].as_str().expect("file name").to_owned();
        let prefix = "arkalia-luna-power-64-simple-";
        assert!(name.starts_with(prefix), "{name}");
        let hash = &name[prefix.len()..name.len() - ext.len() - 1];
        assert!(
            hash.len() == 8 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
            "{name}"
        );
        assert!(name.ends_with(&format!(".{ext}")), "{name}");
        let on_disk = std::fs::read(d.env.files_dir().join(&name)).expect("stored file");
        assert_eq!(r["bytes"], on_disk.len());

        let f = d.ok("file", json!({"name": name}));
        assert_eq!(decode_data(&f), on_disk);
        assert_eq!(f["encoding"], if ext == "svg" { "utf8" } else { "base64" });
        assert_eq!(f["file"]["name"], name.as_str());
        assert_eq!(f["file"]["variant"], "power");
        assert_eq!(f["file"]["style"], "simple");
        assert_eq!(f["file"]["size"], 64);
        assert_eq!(f["file"]["format"], format);
        assert_eq!(f["file"]["bytes"], on_disk.len());
        parse_rfc3339_utc(f["file"]["created"].as_str().unwrap());

        // The same bytes as the inline output.
        let inline = generate(
            &d,
            json!({"variant": "power", "size": 64, "format": format}),
        );
        assert_eq!(decode_data(&inline), on_disk);
    }
    assert_eq!(d.env.stored_names().len(), 2);
}

#[test]
fn stats_count_every_generation() {
    let d = Daemon::start();
    let s = d.stats();
    assert_eq!(s["total_generated"], 0);
    assert_eq!(s["cache_hits"], 0);
    assert_eq!(s["last_generation"], Value::Null);
    assert_eq!(s["files"], 0);

    let before = now_ms();
    generate(&d, json!({"variant": "power", "size": 64}));
    generate(&d, json!({"variant": "power", "size": 64})); // a cache hit
    generate(
        &d,
        json!({"variant": "serenity", "style": "ultimate", "size": 128, "format": "png",
                        "store": true}),
    );
    generate(
        &d,
        json!({"variant": "creative", "style": "realism_max", "size": 64, "format": "ico"}),
    );
    let after = now_ms();

    let s = d.stats();
    assert_eq!(s["total_generated"], 4, "{s}");
    assert_eq!(s["cache_hits"], 1, "{s}");
    assert_eq!(
        s["variants_used"],
        json!({"power": 2, "serenity": 1, "creative": 1})
    );
    assert_eq!(s["sizes_used"], json!({"64": 3, "128": 1}));
    assert_eq!(
        s["styles_used"],
        json!({"simple": 2, "ultimate": 1, "realism": 1})
    );
    assert_eq!(s["formats_used"], json!({"svg": 2, "png": 1, "ico": 1}));
    assert_eq!(s["files"], 1);
    let stored = d.env.stored_names();
    let stored_bytes = std::fs::metadata(d.env.files_dir().join(&stored[0]))
        .unwrap()
        .len();
    assert_eq!(s["files_bytes"], stored_bytes);
    let last = s["last_generation"].as_str().expect("last_generation");
    assert!(last.ends_with('Z'), "{last}");
    let last_ms = parse_rfc3339_utc(last);
    assert!(
        before.saturating_sub(1000) <= last_ms && last_ms <= after + 1000,
        "last_generation {last} not between {before} and {after}"
    );
    assert!(s["uptime_seconds"].as_f64().unwrap() >= 0.0);
}

/// Generates and stores one file, making sure its creation time (ms) differs from the previous.
fn store_one(d: &Daemon, seed: u64, last_created: &mut u64) -> String {
    let now = now_ms();
    if now <= *last_created + 1 {
        wait_until(Duration::from_secs(1), "the clock to advance", || {
            now_ms() > *last_created + 1
        });
    }
    let r = generate(
        d,
        json!({"variant": "mystery", "style": "ai_moon", "size": 48, "seed": seed, "store": true}),
    );
    let name = r["file"].as_str().unwrap().to_owned();
    let f = d.ok("file", json!({"name": name}));
    *last_created = parse_rfc3339_utc(f["file"]["created"].as_str().unwrap());
    name
}

#[test]
fn files_are_listed_newest_first() {
    let d = Daemon::start();
    let mut last = 0;
    let names: Vec<String> = (1..=3).map(|seed| store_one(&d, seed, &mut last)).collect();
    let list = d.ok("files", Value::Null);
    let listed: Vec<&str> = list["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(listed, [&names[2], &names[1], &names[0]]);
    assert_eq!(list["total"], 3);
    let sizes: u64 = names
        .iter()
        .map(|n| std::fs::metadata(d.env.files_dir().join(n)).unwrap().len())
        .sum();
    assert_eq!(list["total_bytes"], sizes);
    for f in list["files"].as_array().unwrap() {
        assert_eq!(f["style"], "ai_moon");
        assert_eq!(f["variant"], "mystery");
        assert_eq!(f["size"], 48);
        assert_eq!(f["format"], "svg");
    }

    let limited = d.ok("files", json!({"limit": 2}));
    let limited: Vec<&str> = limited["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(limited, [&names[2], &names[1]]);
}

#[test]
fn cleanup_needs_confirm_previews_and_removes() {
    let d = Daemon::start();
    let mut last = 0;
    let names: Vec<String> = (1..=3).map(|seed| store_one(&d, seed, &mut last)).collect();
    let files_dir = d.env.files_dir();
    let size_of = |n: &String| std::fs::metadata(files_dir.join(n)).unwrap().len();

    let mut c = d.connect();
    let e = c.err(json!({"id": 1, "cmd": "cleanup"}));
    assert_eq!(e["code"], "invalid_argument");
    assert_eq!(e["details"]["path"], "confirm");
    assert_eq!(
        d.env.stored_names().len(),
        3,
        "cleanup without confirm removed files"
    );

    // A dry run lists without removing.
    let dry = c.ok("cleanup", json!({"dry_run": true}));
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["removed"], 3);
    assert_eq!(dry["remaining"], 0);
    let listed: BTreeSet<&str> = dry["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert_eq!(listed, names.iter().map(String::as_str).collect());
    assert_eq!(dry["freed_bytes"], names.iter().map(size_of).sum::<u64>());
    assert_eq!(d.env.stored_names().len(), 3, "a dry run removed files");
    assert_eq!(c.ok("files", Value::Null)["total"], 3);

    // Nothing is older than an hour.
    let none = c.ok("cleanup", json!({"confirm": true, "older_than_secs": 3600}));
    assert_eq!(
        (none["removed"].as_u64(), none["remaining"].as_u64()),
        (Some(0), Some(3))
    );

    // A size budget keeps the newest files.
    let budget = size_of(&names[2]);
    let trimmed = c.ok(
        "cleanup",
        json!({"confirm": true, "max_total_bytes": budget}),
    );
    assert_eq!(trimmed["removed"], 2, "{trimmed}");
    assert_eq!(trimmed["remaining"], 1);
    assert_eq!(trimmed["dry_run"], false);
    let removed: BTreeSet<&str> = trimmed["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert_eq!(
        removed,
        [names[0].as_str(), names[1].as_str()].into_iter().collect()
    );
    assert_eq!(d.env.stored_names(), [names[2].clone()]);

    // confirm with no limit removes everything, files and index.
    let all = c.ok("cleanup", json!({"confirm": true}));
    assert_eq!(all["removed"], 1);
    assert_eq!(all["remaining"], 0);
    assert!(d.env.stored_names().is_empty());
    let list = c.ok("files", Value::Null);
    assert_eq!(list["total"], 0);
    assert_eq!(list["files"], json!([]));
    assert_eq!(c.ok("stats", Value::Null)["files"], 0);
    let gone = c.err(json!({"id": 9, "cmd": "file", "args": {"name": names[2]}}));
    assert_eq!(gone["code"], "not_found");
}
