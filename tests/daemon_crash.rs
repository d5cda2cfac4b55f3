//! Crash safety of a real lunad: `kill -9` in the middle of a stream of stored generations, over
//! and over on the same data, must never lose an acknowledged generation or leave a partial file;
//! and a corrupt store is moved aside instead of keeping the daemon down.

mod support;

use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use support::{Daemon, Env, Rng};

const ROUNDS: usize = 50;

/// What one client thread saw before the daemon died.
#[derive(Default)]
struct Tally {
    sent: u64,
    acked: u64,
    files: Vec<String>,
}

/// Generates continuously (stored, varied) until the connection breaks or `stop` is set.
fn client(socket: std::path::PathBuf, seed: u64, stop: Arc<AtomicBool>) -> Tally {
    let mut tally = Tally::default();
    let mut rng = Rng::new(seed);
    let Ok(stream) = UnixStream::connect(&socket) else {
        return tally;
    };
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream
        .set_write_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    // Only complete lines count: a reply cut by the kill is not an acknowledgement.
    let mut read_line = |line: &mut String| -> bool {
        line.clear();
        matches!(reader.read_line(line), Ok(n) if n > 0 && line.ends_with('\n'))
    };
    if !read_line(&mut line) {
        return tally;
    }
    assert!(line.contains("\"hello\""), "{line}");
    let mut id = 0u64;
    while !stop.load(Ordering::Relaxed) {
        id += 1;
        let png = rng.range(0, 3) == 0;
        let size = if png {
            *rng.pick(&[16, 24, 32, 48, 64])
        } else {
            *rng.pick(&[16, 64, 100, 200, 512, 2048])
        };
        let request = json!({"id": id, "cmd": "generate", "args": {
            "variant": rng.pick(&support::VARIANTS),
            "style": rng.pick(&["simple", "default", "simple_advanced", "dashboard", "ai_moon",
                                "ultra_max", "realism_max", "ultimate"]),
            "size": size,
            "format": if png { "png" } else { "svg" },
            "seed": rng.next_u64() >> 1,
            "store": true,
        }});
        if writer.write_all(format!("{request}\n").as_bytes()).is_err() {
            break;
        }
        tally.sent += 1;
        if !read_line(&mut line) {
            break;
        }
        let reply: Value = serde_json::from_str(&line).expect("a complete reply line is JSON");
        assert_eq!(reply["id"], id, "{reply}");
        assert_eq!(reply["ok"], true, "generate failed: {reply}");
        tally.acked += 1;
        tally
            .files
            .push(reply["result"]["file"].as_str().unwrap().to_owned());
    }
    tally
}

/// Asserts a stored file is complete: a whole SVG document or a decodable PNG.
fn assert_complete(path: &std::path::Path, indexed_bytes: Option<u64>) {
    let bytes = std::fs::read(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy();
    if let Some(expected) = indexed_bytes {
        assert_eq!(
            bytes.len() as u64,
            expected,
            "{name}: size differs from the index"
        );
    }
    if name.ends_with(".svg") {
        let text = std::str::from_utf8(&bytes).unwrap_or_else(|_| panic!("{name}: not UTF-8"));
        assert!(text.trim_end().ends_with("</svg>"), "{name}: truncated SVG");
        roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{name}: bad XML: {e}"));
    } else if name.ends_with(".png") {
        assert!(
            bytes.ends_with(b"IEND\xae\x42\x60\x82"),
            "{name}: no IEND chunk"
        );
        let mut reader = png::Decoder::new(std::io::Cursor::new(&bytes))
            .read_info()
            .unwrap_or_else(|e| panic!("{name}: bad PNG header: {e}"));
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        reader
            .next_frame(&mut pixels)
            .unwrap_or_else(|e| panic!("{name}: PNG does not decode: {e}"));
    } else {
        panic!("unexpected file {name}");
    }
}

fn temp_files(env: &Env) -> Vec<String> {
    std::fs::read_dir(env.files_dir())
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(".tmp-"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn kill_9_never_loses_acknowledged_work() {
    let started = Instant::now();
    let env = Env::new();
    let mut rng = Rng::from_env("kill -9 loop");
    let mut acked_total = 0u64;
    let mut sent_total = 0u64;
    let mut acked_files: BTreeSet<String> = BTreeSet::new();
    let mut last_total = 0u64;
    let mut verified: HashSet<String> = HashSet::new();
    let mut dropped: Vec<String> = Vec::new();

    for round in 0..=ROUNDS {
        let mut d = Daemon::start_in(&env);

        // Start-up reconciliation removed every temporary file.
        let temps = temp_files(&env);
        assert!(
            temps.is_empty(),
            "round {round}: leftover temp files {temps:?}"
        );

        // Nothing acknowledged was lost, nothing counted twice, and the count never goes back.
        let stats = d.stats();
        let total = stats["total_generated"].as_u64().unwrap();
        assert!(
            total >= acked_total,
            "round {round}: {total} generations counted, {acked_total} were acknowledged"
        );
        assert!(
            total <= sent_total,
            "round {round}: {total} counted > {sent_total} sent"
        );
        assert!(
            total >= last_total,
            "round {round}: total went from {last_total} to {total}"
        );
        last_total = total;
        let per_variant: u64 = stats["variants_used"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum();
        assert_eq!(
            per_variant, total,
            "round {round}: variants_used disagrees with the total"
        );

        // The index and the directory agree, and every file is whole.
        let list = d.ok("files", Value::Null);
        let indexed: BTreeMap<String, u64> = list["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["name"].as_str().unwrap().to_owned(),
                    f["bytes"].as_u64().unwrap(),
                )
            })
            .collect();
        let on_disk: BTreeSet<String> = env.stored_names().into_iter().collect();
        for name in indexed.keys() {
            assert!(
                on_disk.contains(name),
                "round {round}: indexed {name} is not on disk"
            );
        }
        for name in &on_disk {
            assert!(
                indexed.contains_key(name),
                "round {round}: {name} on disk is not indexed"
            );
            if !verified.contains(name) {
                assert_complete(&env.files_dir().join(name), Some(indexed[name]));
                verified.insert(name.clone());
            }
        }
        for name in &acked_files {
            assert!(
                indexed.contains_key(name),
                "round {round}: acknowledged {name} was lost"
            );
        }
        assert_eq!(stats["files"], indexed.len());

        if round == ROUNDS {
            d.sigterm();
            assert_eq!(d.wait_exit(Duration::from_secs(15)).code(), Some(0));
            break;
        }

        for name in &dropped {
            assert!(
                !indexed.contains_key(name),
                "round {round}: deleted {name} still indexed"
            );
        }
        dropped.clear();

        let stop = Arc::new(AtomicBool::new(false));
        let clients: Vec<_> = (0..rng.range(1, 3))
            .map(|_| {
                let socket = env.socket.clone();
                let seed = rng.next_u64();
                let stop = stop.clone();
                std::thread::spawn(move || client(socket, seed, stop))
            })
            .collect();
        // The crash point is random by design: this sleep picks it, it synchronises nothing.
        std::thread::sleep(Duration::from_millis(rng.range(20, 151)));
        d.kill9();
        stop.store(true, Ordering::Relaxed);
        for c in clients {
            let tally = c.join().expect("client thread");
            sent_total += tally.sent;
            acked_total += tally.acked;
            acked_files.extend(tally.files);
        }
        // Now and then, make reconciliation work harder: a leftover temporary file, and a stored
        // file deleted behind the daemon's back (its index entry must go).
        if round % 10 == 5 {
            let temp = env
                .files_dir()
                .join(format!(".tmp-1-{round}-arkalia-luna-x.svg"));
            std::fs::write(temp, "<svg").unwrap();
            if let Some(victim) = acked_files.iter().nth(round).cloned() {
                std::fs::remove_file(env.files_dir().join(&victim)).unwrap();
                acked_files.remove(&victim);
                dropped.push(victim);
            }
        }
    }
    eprintln!(
        "{ROUNDS} kills: {acked_total} acknowledged of {sent_total} sent, {} files, {:?}",
        verified.len(),
        started.elapsed()
    );
    assert!(
        acked_total >= ROUNDS as u64,
        "too little work was acknowledged ({acked_total}) for the test to mean anything"
    );
}

/// Overwrites every file under `dir` with garbage of the same length.
fn scramble(dir: &std::path::Path, rng: &mut Rng) -> usize {
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            count += scramble(&path, rng);
        } else {
            let len = std::fs::metadata(&path).unwrap().len().max(64) as usize;
            let mut garbage = rng.bytes(len);
            garbage[0] = 0xff; // never valid UTF-8 or a plausible header
            std::fs::write(&path, garbage).unwrap();
            count += 1;
        }
    }
    count
}

#[test]
fn a_corrupt_store_is_moved_aside() {
    let env = Env::new();
    let mut d = Daemon::start_in(&env);
    let mut names = BTreeSet::new();
    for seed in 0..3 {
        let r = d.ok(
            "generate",
            json!({"variant": "serenity", "size": 64, "seed": seed, "store": true}),
        );
        names.insert(r["file"].as_str().unwrap().to_owned());
    }
    assert_eq!(d.stats()["total_generated"], 3);
    d.sigterm();
    assert_eq!(d.wait_exit(Duration::from_secs(15)).code(), Some(0));

    let scrambled = scramble(&env.data.join("store"), &mut Rng::from_env("corrupt store"));
    assert!(scrambled > 0, "no store files to corrupt");

    let mut d = Daemon::start_in(&env);
    let stats = d.stats();
    assert_eq!(stats["total_generated"], 0, "{stats}");
    assert_eq!(stats["cache_hits"], 0);
    assert_eq!(stats["variants_used"], json!({}));
    assert_eq!(stats["last_generation"], Value::Null);
    let aside: Vec<String> = std::fs::read_dir(&env.data)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("store.corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    let stamp: u64 = aside[0]["store.corrupt-".len()..]
        .parse()
        .expect("a unix time suffix");
    assert!(stamp.abs_diff(support::now_ms() / 1000) < 3600, "{stamp}");
    let log = std::fs::read_to_string(&d.log).unwrap();
    assert!(
        log.contains("corrupt") && log.contains(&aside[0]),
        "the log does not say where the store went:\n{log}"
    );
    // The stored files survive, adopted into the fresh index.
    let listed: BTreeSet<String> = d.ok("files", Value::Null)["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(listed, names);
    assert_eq!(stats["files"], 3);

    // The fresh store works and persists.
    d.ok("generate", json!({"variant": "power", "size": 64}));
    d.sigterm();
    assert_eq!(d.wait_exit(Duration::from_secs(15)).code(), Some(0));
    let d = Daemon::start_in(&env);
    assert_eq!(d.stats()["total_generated"], 1);
    let aside_now = std::fs::read_dir(&env.data)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("store.corrupt-")
        })
        .count();
    assert_eq!(aside_now, 1, "a healthy store was moved aside");
}
