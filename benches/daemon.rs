//! Daemon benchmarks against the real `lunad` binary: start-up to ready, idle memory, request
//! round trip on an open connection, and generate throughput with 16 concurrent clients.
//!
//! `cargo bench --bench daemon` (prints a table; results go to docs/PERFORMANCE.md).

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::{Duration, Instant};

#[path = "support/daemon.rs"]
mod support;

use support::{Daemon, percentile};

const CLIENTS: usize = 16;
const LOAD_SECONDS: f64 = 5.0;

struct Conn {
    write: UnixStream,
    read: BufReader<UnixStream>,
    line: String,
}

impl Conn {
    fn open(socket: &Path) -> Conn {
        let stream = UnixStream::connect(socket).unwrap();
        let mut read = BufReader::new(stream.try_clone().unwrap());
        let mut line = String::new();
        read.read_line(&mut line).unwrap();
        Conn {
            write: stream,
            read,
            line,
        }
    }

    fn call(&mut self, request: &str) -> &str {
        self.write.write_all(request.as_bytes()).unwrap();
        self.line.clear();
        self.read.read_line(&mut self.line).unwrap();
        assert!(self.line.contains("\"ok\":true"), "{}", self.line);
        &self.line
    }
}

fn round_trip(socket: &Path, request: &str, n: usize) -> (Duration, Duration) {
    let mut conn = Conn::open(socket);
    for _ in 0..1000 {
        conn.call(request);
    }
    let mut times: Vec<Duration> = (0..n)
        .map(|_| {
            let start = Instant::now();
            conn.call(request);
            start.elapsed()
        })
        .collect();
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.99))
}

/// Requests per second over `LOAD_SECONDS` with `CLIENTS` connections; `request(i)` varies them.
fn throughput(socket: &Path, request: fn(u64) -> String) -> f64 {
    let deadline = Instant::now() + Duration::from_secs_f64(LOAD_SECONDS);
    let handles: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let socket = socket.to_owned();
            std::thread::spawn(move || {
                let mut conn = Conn::open(&socket);
                let mut done = 0u64;
                while Instant::now() < deadline {
                    let i = client as u64 * 1_000_000 + done;
                    conn.call(&request(i));
                    done += 1;
                }
                done
            })
        })
        .collect();
    let total: u64 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    total as f64 / LOAD_SECONDS
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo test --benches` probing.
    }
    let mut ready: Vec<Duration> = (0..15).map(|_| Daemon::start().1).collect();
    ready.sort();
    let (daemon, _) = Daemon::start();
    std::thread::sleep(Duration::from_secs(1));
    let idle_rss = daemon.rss_kib();
    let ping = round_trip(&daemon.socket, "{\"id\":1,\"cmd\":\"ping\"}\n", 20_000);
    let stats = round_trip(&daemon.socket, "{\"id\":1,\"cmd\":\"stats\"}\n", 5_000);
    let cached = throughput(&daemon.socket, |_| {
        "{\"id\":1,\"cmd\":\"generate\",\"args\":{\"variant\":\"power\",\"style\":\"ultimate\"}}\n"
            .into()
    });
    let uncached_svg = throughput(&daemon.socket, |i| {
        format!(
            "{{\"id\":1,\"cmd\":\"generate\",\"args\":{{\"variant\":\"power\",\"style\":\"ultimate\",\"seed\":{i}}}}}\n"
        )
    });
    let uncached_png = throughput(&daemon.socket, |i| {
        format!(
            "{{\"id\":1,\"cmd\":\"generate\",\"args\":{{\"variant\":\"power\",\"style\":\"ultimate\",\"size\":256,\"format\":\"png\",\"seed\":{i}}}}}\n"
        )
    });
    let loaded_rss = daemon.rss_kib();

    println!("| measure | result |");
    println!("|---|---|");
    println!(
        "| start to ready (spawn → greeting), median of 15 | {:.1} ms |",
        percentile(&ready, 0.5).as_secs_f64() * 1e3
    );
    println!(
        "| idle RSS after start | {:.1} MiB |",
        idle_rss as f64 / 1024.0
    );
    println!(
        "| `ping` round trip, open connection, p50 / p99 | {:.0} / {:.0} µs |",
        ping.0.as_secs_f64() * 1e6,
        ping.1.as_secs_f64() * 1e6
    );
    println!(
        "| `stats` round trip, open connection, p50 / p99 | {:.0} / {:.0} µs |",
        stats.0.as_secs_f64() * 1e6,
        stats.1.as_secs_f64() * 1e6
    );
    println!("| generate, {CLIENTS} clients, cached SVG (ultimate 200 px) | {cached:.0} req/s |");
    println!(
        "| generate, {CLIENTS} clients, uncached SVG (distinct seeds) | {uncached_svg:.0} req/s |"
    );
    println!("| generate, {CLIENTS} clients, uncached PNG 256 px | {uncached_png:.0} req/s |");
    println!(
        "| RSS after the load above | {:.1} MiB |",
        loaded_rss as f64 / 1024.0
    );
}
