//! How lunad shuts down: SIGTERM and SIGINT, the `shutdown` command, work in flight answered
//! within the 10 s drain, no new connections while draining, and a second signal that skips the
//! drain.

mod support;

use serde_json::{Value, json};
use std::os::unix::net::UnixStream;
use std::time::{Duration, Instant};
use support::{Conn, Daemon, Env, wait_until};

/// Sends `generate` requests with ids `seeds` (arguments from `args`) in one write, then a ping,
/// and waits for the ping's reply. Requests on a connection are read in order, so once the ping
/// is answered every render has been received (they take seconds; the ping microseconds).
fn queue_renders(conn: &mut Conn, seeds: impl Iterator<Item = u64>, args: impl Fn(u64) -> Value) {
    let mut batch = String::new();
    for seed in seeds {
        let request = json!({"id": seed, "cmd": "generate", "args": args(seed)});
        batch.push_str(&format!("{request}\n"));
    }
    batch.push_str("{\"id\":\"marker\",\"cmd\":\"ping\"}\n");
    conn.send_bytes(batch.as_bytes());
    assert_eq!(conn.read_reply(&json!("marker"))["ok"], true);
}

#[test]
fn sigterm_finishes_work_in_flight_then_exits_cleanly() {
    let mut d = Daemon::start();
    let mut subscriber = d.connect();
    subscriber.ok("subscribe", Value::Null);

    let mut worker = d.connect();
    let n = 6u64;
    queue_renders(&mut worker, 0..n, |seed| {
        json!({"variant": "creative", "style": "ultimate", "size": 1024, "format": "png",
               "seed": 1000 + seed})
    });

    // Replies are read on another thread, stamped with their arrival time.
    let reader = std::thread::spawn(move || {
        let mut replies = Vec::new();
        while let Some(line) = worker.try_read_json() {
            replies.push((Instant::now(), line));
        }
        replies
    });
    let sent = Instant::now();
    d.sigterm();

    let shutdown = subscriber.read_event("shutdown");
    assert_eq!(shutdown["data"], json!({}));
    let bye = subscriber.read_event("bye");
    assert_eq!(bye["data"]["reason"], "shutdown");
    assert!(bye["seq"].as_u64() >= shutdown["seq"].as_u64());
    subscriber.expect_eof();

    let replies = reader.join().unwrap();
    let mut answered = std::collections::BTreeSet::new();
    let mut late = 0;
    for (at, line) in &replies {
        if line.get("event").is_some() {
            continue;
        }
        assert_eq!(
            line["ok"],
            true,
            "a request in flight failed at shutdown: {}",
            support::short(line)
        );
        assert_eq!(line["result"]["size"], 1024);
        answered.insert(line["id"].as_u64().unwrap());
        // (Well after the signal: not a reply that was merely waiting to be read.)
        if *at > sent + Duration::from_millis(200) {
            late += 1;
        }
    }
    assert_eq!(
        answered,
        (0..n).collect(),
        "every request in flight is answered"
    );
    assert!(
        late > 0,
        "no request was still running at SIGTERM: the test proved nothing"
    );
    let last = &replies.last().expect("lines after SIGTERM").1;
    assert_eq!(
        last["event"],
        "bye",
        "the worker's last line: {}",
        support::short(last)
    );
    assert_eq!(last["data"]["reason"], "shutdown");

    let status = d.wait_exit(Duration::from_secs(20));
    assert_eq!(status.code(), Some(0), "{}", d.log_text());
    assert!(
        !d.socket().exists(),
        "the socket file remains after a clean exit"
    );
    // The work done during the drain was flushed: a new daemon counts all of it.
    let next = Daemon::start_in(&d.env);
    assert_eq!(next.stats()["total_generated"], n);
}

#[test]

fn a_drain_longer_than_10_s_is_cut_short() {
    // PROTOCOL.md, Shutdown: answer what was received "waiting at most 10 s", then `bye`, then
    // exit. Queue more than 10 s of renders on one render slot, then SIGTERM.
    let env = Env::new();
    let config = env.write_config("lunad.toml", "render_threads = 1\n");
    let mut d = Daemon::start_in_with(&env, |cmd| {
        cmd.arg("--config").arg(&config);
    });
    let mut c = d.connect();
    let args = |seed: u64| {
        json!({"variant": "power", "style": "ultimate", "size": 2048, "format": "png",
               "seed": seed})
    };
    let t = Instant::now();
    c.ok("generate", args(0));
    let one = t.elapsed().as_secs_f64();
    // 20 s of queued work: draining it all would take far longer than the cut-off allows.
    let n = (20.0 / one).ceil() as u64 + 1;
    queue_renders(&mut c, 1..=n, args);
    let signalled = Instant::now();
    d.sigterm();
    let mut after_bye = Vec::new();
    let mut bye_seen = false;
    while let Some(line) = c.try_read_json() {
        if bye_seen {
            after_bye.push(support::short(&line["id"]));
        }
        bye_seen |= line["event"] == "bye";
    }
    assert!(bye_seen, "no bye");
    assert!(after_bye.is_empty(), "replies after bye, ids {after_bye:?}");
    let status = d.wait_exit(Duration::from_secs(60));
    let took = signalled.elapsed();
    assert_eq!(status.code(), Some(0));
    // The cut-off, plus the render already running (it cannot be interrupted), plus slack for
    // a loaded machine; still well short of the 20 s a full drain would take.
    let limit = Duration::from_secs_f64(10.0 + one + 3.0);
    assert!(
        took < limit,
        "exited {took:?} after SIGTERM (limit {limit:?}) with {n} renders of {one:.1} s queued"
    );
}

#[test]
fn no_new_connections_are_served_during_shutdown() {
    let mut d = Daemon::start();
    let mut subscriber = d.connect();
    subscriber.ok("subscribe", json!({"topics": ["shutdown"]}));
    // Keep the daemon busy draining for a while.
    let mut worker = d.connect();
    worker.send_line(
        &json!({"id": 1, "cmd": "generate", "args": {"variant": "power",
        "style": "realism", "size": 2048, "format": "png", "seed": 77}})
        .to_string(),
    );
    worker.send_line(r#"{"id":2,"cmd":"ping"}"#);
    assert_eq!(worker.read_reply(&json!(2))["ok"], true);
    let signalled = Instant::now();
    d.sigterm();
    let reader = std::thread::spawn(move || {
        let reply = worker.read_reply(&json!(1));
        (signalled.elapsed(), reply)
    });
    subscriber.read_event("shutdown");
    // The listener closes at once, long before the drain ends (the render takes over a second):
    // a connection attempt then fails, or is closed without a greeting. One that raced the
    // shutdown and was greeted must be told `bye` straight away.
    wait_until(Duration::from_secs(5), "the listener to close", || {
        let Ok(stream) = UnixStream::connect(d.socket()) else {
            return true;
        };
        let mut c = Conn::from_stream(stream);
        c.set_timeout(Duration::from_secs(5));
        match c.try_read_json() {
            None => true,
            Some(hello) => {
                assert!(hello.get("hello").is_some(), "{}", support::short(&hello));
                let bye = c.read_json();
                assert_eq!(
                    bye["event"], "bye",
                    "a connection served during shutdown: {bye}"
                );
                false
            }
        }
    });
    let closed_after = signalled.elapsed();
    let (drained_after, reply) = reader.join().unwrap();
    assert_eq!(reply["ok"], true, "{}", support::short(&reply));
    assert!(
        closed_after < drained_after,
        "the listener closed after {closed_after:?}, the drain ended after {drained_after:?}"
    );
    assert_eq!(d.wait_exit(Duration::from_secs(20)).code(), Some(0));
}

#[test]
fn shutdown_command_stops_the_daemon() {
    let mut d = Daemon::start();
    let mut c = d.connect();
    let reply = c.request(json!({"id": "bye", "cmd": "shutdown"}));
    assert_eq!(
        reply,
        json!({"id": "bye", "ok": true, "result": {"stopping": true}})
    );
    let bye = c.read_event("bye");
    assert_eq!(bye["data"]["reason"], "shutdown");
    c.expect_eof();
    d.assert_exit(0, Duration::from_secs(15));
    assert!(!d.socket().exists());
}

#[test]
fn sigint_is_a_clean_shutdown_too() {
    let mut d = Daemon::start();
    let mut c = d.connect();
    d.signal(libc::SIGINT);
    let bye = c.read_event("bye");
    assert_eq!(bye["data"]["reason"], "shutdown");
    d.assert_exit(0, Duration::from_secs(15));
    assert!(!d.socket().exists());
}

#[test]
fn a_second_signal_skips_the_drain() {
    let mut d = Daemon::start();
    let mut subscriber = d.connect();
    subscriber.ok("subscribe", json!({"topics": ["shutdown"]}));
    let mut worker = d.connect();
    let n = 8u64;
    queue_renders(&mut worker, 0..n, |seed| {
        json!({"variant": "power", "style": "ultimate", "size": 2048, "format": "png",
               "seed": 500 + seed})
    });
    d.sigterm();
    subscriber.read_event("shutdown");
    d.sigterm();
    let status = d.wait_exit(Duration::from_secs(15));
    assert_eq!(status.code(), Some(0), "{}", d.log_text());
    assert!(d.log_text().contains("second signal"), "{}", d.log_text());
    let mut answered = 0;
    while let Some(line) = worker.try_read_json() {
        if line.get("ok").is_some() {
            answered += 1;
        }
    }
    assert!(
        answered < n,
        "all {n} renders were awaited despite the second signal"
    );
    assert!(!d.socket().exists(), "socket left behind");
}
