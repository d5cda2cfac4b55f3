//! Robustness of lunad against garbage and load, on a real daemon over real sockets: a thousand
//! abusive connections, and two hundred concurrent clients all served.

mod support;

use serde_json::{Value, json};
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::time::{Duration, Instant};
use support::{Conn, Daemon, Rng, wait_until};

const MIB: usize = 1 << 20;

fn assert_alive(c: &mut Conn) {
    assert_eq!(c.ok("ping", Value::Null), json!({"pong": true}));
}

/// One abusive client: random bytes, half lines, oversize chunks, then an abrupt close.
fn abuse(socket: &std::path::Path, rng: &mut Rng) {
    let Ok(mut s) = UnixStream::connect(socket) else {
        return;
    };
    s.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let kind = rng.range(0, 8);
    let payload: Vec<u8> = match kind {
        0 => {
            let n = rng.range(0, 4096) as usize;
            rng.bytes(n)
        }
        1 => b"{\"id\":1,\"cmd\":\"generate\",\"args\":{\"variant\":\"pow".to_vec(),
        2 => {
            let mut v = Vec::new();
            for _ in 0..rng.range(1, 40) {
                let n = rng.range(0, 64) as usize;
                let mut line = rng.bytes(n);
                line.retain(|&b| b != b'\n');
                v.extend_from_slice(&line);
                v.push(b'\n');
            }
            v
        }
        3 => {
            let mut v = vec![b'{'; rng.range(1, MIB as u64 + MIB as u64 / 4) as usize];
            if rng.range(0, 2) == 0 {
                v.push(b'\n');
            }
            v
        }
        4 => b"{\"id\":1,\"cmd\":\"ping\"}\n{\"id\":2,\"cmd\":\"generate\",\"args\":{\"variant\":\"power\",\"size\":16}}\n\xff\xff\n{\"id\"".to_vec(),
        _ => Vec::new(),
    };
    let _ = s.write_all(&payload);
    if rng.range(0, 2) == 0 {
        let mut buf = [0u8; 4096];
        let _ = s.read(&mut buf);
    }
    if rng.range(0, 3) == 0 {
        let _ = s.shutdown(std::net::Shutdown::Write);
    }
    drop(s);
}

#[test]
fn garbage_from_a_thousand_connections_does_not_hurt() {
    let d = Daemon::start();
    let base_fds = d.open_fds();
    let mut seed_rng = Rng::from_env("garbage");
    let seeds: Vec<u64> = (0..4).map(|_| seed_rng.next_u64()).collect();
    let threads: Vec<_> = seeds
        .into_iter()
        .map(|seed| {
            let socket = d.socket().to_owned();
            std::thread::spawn(move || {
                let mut rng = Rng::new(seed);
                for _ in 0..250 {
                    abuse(&socket, &mut rng);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let mut d = d;
    assert!(d.is_running(), "lunad died\n{}", d.log_text());
    let mut c = d.connect();
    assert_alive(&mut c);
    let r = c.ok(
        "generate",
        json!({"variant": "power", "size": 32, "format": "png"}),
    );
    assert_eq!(r["size"], 32);
    // Every abusive connection is eventually closed: no descriptor leak.
    wait_until(
        Duration::from_secs(10),
        "connections to be released",
        || d.open_fds() <= base_fds + 4,
    );
}

/// 200 threads, one connection each, all generating at once (mixed SVG and PNG, small sizes).
/// With `retry_busy`, a client retries a `busy` reply (it is documented as retryable); returns
/// how many `busy` replies were seen.
fn two_hundred_clients(retry_busy: bool) -> u64 {
    let d = Daemon::start();
    let start = Instant::now();
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(200));
    let threads: Vec<_> = (0..200u64)
        .map(|i| {
            let socket = d.socket().to_owned();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let mut c = Conn::connect(&socket);
                barrier.wait();
                let format = if i % 2 == 0 { "svg" } else { "png" };
                let size = 16 + (i % 7) * 16;
                let variant = support::VARIANTS[i as usize % 5];
                let style = support::STYLES[i as usize % 8];
                let request = json!({"cmd": "generate", "args": {"variant": variant,
                    "style": style, "size": size, "format": format, "seed": i}});
                let mut busy = 0;
                let r = loop {
                    let reply = c.request(request.clone());
                    if retry_busy && reply["error"]["code"] == "busy" {
                        assert_eq!(reply["error"]["retryable"], true);
                        busy += 1;
                        assert!(busy < 500, "still busy after {busy} tries");
                        std::thread::sleep(Duration::from_millis(20));
                        continue;
                    }
                    assert_eq!(reply["ok"], true, "{}", support::short(&reply));
                    break reply["result"].clone();
                };
                assert_eq!(r["format"], format);
                assert_eq!(r["size"], size);
                assert_eq!(r["variant"], variant);
                assert_eq!(r["seed"], i);
                let bytes = support::decode_data(&r);
                if format == "png" {
                    assert_eq!(&bytes[..4], b"\x89PNG");
                } else {
                    assert!(bytes.ends_with(b"</svg>"));
                }
                busy
            })
        })
        .collect();
    let mut busy = 0;
    let mut failed = 0;
    for t in threads {
        match t.join() {
            Ok(n) => busy += n,
            Err(_) => failed += 1,
        }
    }
    assert_eq!(failed, 0, "{failed} of 200 clients failed");
    eprintln!("200 clients in {:?}, {busy} busy replies", start.elapsed());
    assert_eq!(d.stats()["total_generated"], 200);
    busy
}

#[test]
fn two_hundred_concurrent_clients_all_succeed_when_retrying_busy() {
    two_hundred_clients(true);
}
