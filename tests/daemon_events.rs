//! Events from a real lunad: topic filters, sequence numbers, unsubscribe, heartbeats, and a slow
//! subscriber that lags without slowing anyone else down.
//!
//! PROTOCOL.md does not promise one `stats` event per generation (the daemon may coalesce them),
//! so these tests wait for a `stats` event showing the expected totals instead of counting them.

mod support;

use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use support::{Conn, Daemon, check_line_shape};

/// A subscribed connection that checks every event it reads: the shape, the allowed topics, and
/// a strictly increasing `seq`.
struct Subscriber {
    conn: Conn,
    topics: &'static [&'static str],
    last_seq: u64,
}

impl Subscriber {
    fn new(d: &Daemon, topics: &'static [&'static str]) -> Subscriber {
        let mut conn = d.connect();
        let args = if topics.len() == 4 {
            Value::Null
        } else {
            json!({ "topics": topics })
        };
        let result = conn.ok("subscribe", args);
        let mut subscribed: Vec<&str> = result["subscribed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        subscribed.sort();
        let mut wanted = topics.to_vec();
        wanted.sort();
        assert_eq!(subscribed, wanted);
        Subscriber {
            conn,
            topics,
            last_seq: 0,
        }
    }

    /// The next event (heartbeats skipped).
    fn next(&mut self) -> Value {
        loop {
            let line = self.conn.read_json();
            check_line_shape(&line);
            let name = line["event"]
                .as_str()
                .unwrap_or_else(|| panic!("a reply: {line}"));
            if name == "heartbeat" {
                continue;
            }
            assert!(self.topics.contains(&name), "unwanted event: {line}");
            let seq = line["seq"].as_u64().unwrap();
            assert!(
                seq > self.last_seq,
                "seq {seq} after {}: {line}",
                self.last_seq
            );
            self.last_seq = seq;
            return line;
        }
    }

    /// Reads events until one satisfies `done`; returns all of them.
    fn until(&mut self, mut done: impl FnMut(&Value) -> bool) -> Vec<Value> {
        let mut seen = Vec::new();
        loop {
            let event = self.next();
            let stop = done(&event);
            seen.push(event);
            if stop {
                return seen;
            }
        }
    }

    /// Reads until a `stats` event with these totals; returns the events read.
    fn until_stats(&mut self, total: u64, cache_hits: u64) -> Vec<Value> {
        self.until(|e| {
            e["event"] == "stats"
                && e["data"] == json!({"total_generated": total, "cache_hits": cache_hits})
        })
    }
}

fn generated(events: &[Value]) -> Vec<&Value> {
    events
        .iter()
        .filter(|e| e["event"] == "generated")
        .collect()
}

#[test]
fn subscribers_get_the_topics_they_asked_for_in_sequence() {
    let d = Daemon::start();
    let mut sub = Subscriber::new(&d, &["generated", "stats"]);
    let mut all = Subscriber::new(&d, &["generated", "cleaned", "stats", "shutdown"]);
    let mut other = d.connect();

    other.ok("generate", json!({"variant": "power", "size": 64}));
    let events = sub.until_stats(1, 0);
    let g = generated(&events);
    assert_eq!(g.len(), 1, "{events:?}");
    assert_eq!(
        g[0]["data"],
        json!({"style": "simple", "variant": "power", "size": 64, "format": "svg",
               "cached": false, "file": null})
    );
    assert_eq!(
        events[0], *g[0],
        "generated comes before the stats it changed"
    );

    other.ok("generate", json!({"variant": "power", "size": 64}));
    let events = sub.until_stats(2, 1);
    let g = generated(&events);
    assert_eq!(g.len(), 1, "{events:?}");
    assert_eq!(g[0]["data"]["cached"], true);

    let stored = other.ok(
        "generate",
        json!({"variant": "mystery", "style": "realism_max", "size": 32, "format": "png",
               "store": true}),
    );
    let events = sub.until_stats(3, 1);
    let g = generated(&events);
    assert_eq!(g.len(), 1, "{events:?}");
    assert_eq!(g[0]["data"]["file"], stored["file"]);
    assert_eq!(g[0]["data"]["style"], "realism");
    assert_eq!(g[0]["data"]["variant"], "mystery");
    assert_eq!(g[0]["data"]["size"], 32);
    assert_eq!(g[0]["data"]["format"], "png");

    // The all-topics subscriber saw the same generations with the same seq numbers.
    let all_events = all.until_stats(3, 1);
    let all_generated: Vec<u64> = generated(&all_events)
        .iter()
        .map(|e| e["seq"].as_u64().unwrap())
        .collect();
    assert_eq!(all_generated.len(), 3);

    // A cleanup publishes `cleaned`: the all-topics subscriber gets it, the filtered one never
    // does (its next events skip that seq).
    let cleaned = other.ok("cleanup", json!({"confirm": true}));
    assert_eq!(cleaned["removed"], 1);
    let c = all.until(|e| e["event"] == "cleaned").pop().unwrap();
    assert_eq!(c["data"]["removed"], 1);
    assert_eq!(c["data"]["freed_bytes"], cleaned["freed_bytes"]);
    assert!(c["data"]["freed_bytes"].as_u64().unwrap() > 0);
    let cleaned_seq = c["seq"].as_u64().unwrap();
    other.ok("generate", json!({"variant": "serenity", "size": 64}));
    let events = sub.until_stats(4, 1);
    assert!(
        events.iter().all(|e| e["seq"] != cleaned_seq),
        "the filtered subscriber got seq {cleaned_seq}: {events:?}"
    );
    assert!(events.last().unwrap()["seq"].as_u64().unwrap() > cleaned_seq);

    // Requests still work on a subscribed connection, and the reply is not an event.
    let reply = sub.conn.request(json!({"id": "p", "cmd": "ping"}));
    assert_eq!(reply["result"]["pong"], true);
}

#[test]
fn unsubscribe_stops_events() {
    let d = Daemon::start();
    let mut sub = Subscriber::new(&d, &["generated"]);
    let mut other = d.connect();
    other.ok(
        "generate",
        json!({"variant": "power", "size": 64, "seed": 1}),
    );
    assert_eq!(sub.next()["event"], "generated");

    let reply = sub.conn.request(json!({"id": "u", "cmd": "unsubscribe"}));
    assert_eq!(reply["result"], json!({"subscribed": []}));
    other.ok(
        "generate",
        json!({"variant": "power", "size": 64, "seed": 2}),
    );
    other.ok(
        "generate",
        json!({"variant": "power", "size": 64, "seed": 3}),
    );
    // Those `generated` events were published before their replies, so before the ping below is
    // read: had they been forwarded, they would come first.
    sub.conn.send_line(r#"{"id":"after","cmd":"ping"}"#);
    let line = sub.conn.read_json();
    assert_eq!(line["id"], "after", "an event after unsubscribe: {line}");
}

#[test]
fn subscribers_get_heartbeats_with_the_last_seq() {
    let d = Daemon::start();
    let mut quiet = d.connect();
    quiet.ok("subscribe", json!({"topics": ["cleaned"]}));
    let started = Instant::now();
    let mut all = Subscriber::new(&d, &["generated", "cleaned", "stats", "shutdown"]);
    d.ok("generate", json!({"variant": "power", "size": 64}));
    let last = all.until_stats(1, 0).last().unwrap()["seq"].clone();
    // The filtered subscriber saw none of those events, only the heartbeat (every 15 s).
    quiet.set_timeout(Duration::from_secs(25));
    let beat = quiet.read_json();
    let waited = started.elapsed();
    assert_eq!(beat["event"], "heartbeat", "{beat}");
    assert_eq!(
        beat["seq"], last,
        "a heartbeat repeats the last seq: {beat}"
    );
    assert_eq!(beat["data"], json!({}));
    assert!(
        (Duration::from_secs(10)..Duration::from_secs(22)).contains(&waited),
        "heartbeat after {waited:?}, expected ~15 s"
    );
}

#[test]
fn a_slow_subscriber_lags_without_slowing_the_daemon() {
    let d = Daemon::start();
    // Subscribes, then does not read for a long while.
    let mut slow = d.connect();
    slow.ok("subscribe", Value::Null);

    let per_thread = 1000u64;
    let threads = 4u64;
    let done = Arc::new(AtomicBool::new(false));
    // Meanwhile another client's pings are answered promptly.
    let prober = {
        let socket = d.socket().to_owned();
        let done = done.clone();
        std::thread::spawn(move || {
            let mut c = Conn::connect(&socket);
            let mut worst = Duration::ZERO;
            let mut count = 0;
            while !done.load(Ordering::Relaxed) {
                let t = Instant::now();
                assert_eq!(c.ok("ping", Value::Null)["pong"], true);
                worst = worst.max(t.elapsed());
                count += 1;
                std::thread::sleep(Duration::from_millis(5));
            }
            (worst, count)
        })
    };
    let started = Instant::now();
    let workers: Vec<_> = (0..threads)
        .map(|t| {
            let socket = d.socket().to_owned();
            std::thread::spawn(move || {
                let mut c = Conn::connect(&socket);
                for i in 0..per_thread {
                    c.ok(
                        "generate",
                        json!({"variant": "serenity", "size": 16, "seed": t * 1_000_000 + i}),
                    );
                }
            })
        })
        .collect();
    for w in workers {
        w.join().expect("generate failed during the flood");
    }
    let flood = started.elapsed();
    done.store(true, Ordering::Relaxed);
    let (worst_ping, pings) = prober.join().unwrap();
    let total = threads * per_thread;
    eprintln!("{total} generations in {flood:?}; {pings} pings, slowest {worst_ping:?}");
    assert!(pings > 0);
    assert!(
        worst_ping < Duration::from_secs(2),
        "a ping took {worst_ping:?} while a subscriber was stuck"
    );

    // Now read. Events queue ahead of requests, so the marker's reply comes after every event
    // published so far; the final `stats` may come just after it.
    slow.send_line(r#"{"id":"marker","cmd":"ping"}"#);
    let (mut lagged, mut dropped, mut received) = (0, 0, 0u64);
    let (mut marker, mut final_stats) = (false, false);
    let mut last_seq = 0;
    let mut generated_seen = 0;
    while !(marker && final_stats) {
        let line = slow.read_json();
        check_line_shape(&line);
        if line["id"] == "marker" {
            marker = true;
            continue;
        }
        let seq = line["seq"].as_u64().unwrap();
        match line["event"].as_str().expect("only events and the marker") {
            "lagged" => {
                let n = line["data"]["dropped"].as_u64().unwrap();
                assert!(n > 0, "{line}");
                lagged += 1;
                dropped += n;
                continue; // it carries the newest seq; the events after it are older
            }
            "heartbeat" => continue,
            "generated" => generated_seen += 1,
            "stats" => final_stats |= line["data"]["total_generated"] == total,
            other => panic!("unexpected event {other}: {line}"),
        }
        received += 1;
        assert!(seq > last_seq, "seq {seq} after {last_seq}: {line}");
        last_seq = seq;
    }
    eprintln!("{lagged} lagged events, {dropped} dropped, {received} received");
    assert!(
        lagged >= 1,
        "no lagged event for a subscriber that fell far behind"
    );
    assert!(generated_seen < total, "nothing was dropped");
    // Every event published since the subscription (seq 1..=last) was either delivered or
    // counted in a `lagged`.
    assert_eq!(
        received + dropped,
        last_seq,
        "received {received} + dropped {dropped} != {last_seq} published"
    );
    // The slow connection still works.
    let reply = slow.request(json!({"id": "late", "cmd": "stats"}));
    assert_eq!(reply["result"]["total_generated"], total);
}
