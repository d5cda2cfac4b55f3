//! Several real lunad replicas on one real redis-server behave as one service: one set of
//! statistics, one file index, one cleanup, one rate limit, one event stream. They ride out a
//! Redis outage (degraded, buffering) and a `kill -9` of Redis without losing an answered
//! generation. And the store setting keeps its password secret.

mod http;
mod support;

use http::Server;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use support::{Daemon, Env, REDIS_PASSWORD, RedisServer, wait_until};

/// A replica serving HTTP on loopback, on `redis`, with `config` (TOML) and extra environment.
fn http_replica(redis: &RedisServer, config: &str, envs: &[(&str, &str)]) -> Server {
    let url = redis.url();
    let mut all = vec![("LUNA_STORE", url.as_str())];
    all.extend_from_slice(envs);
    Server::start(config, &all)
}

fn metric(server: &Server, name: &str) -> f64 {
    let text = server.get("/metrics").text();
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or_else(|| panic!("no {name} in /metrics"))
}

const GENERATE: &str = r#"{"variant": "power", "generator_type": "simple", "size": 64}"#;

/// A replica with its own socket and data directory, sharing `redis` (password from the
/// environment's `LUNA_STORE`, as an operator would give it).
fn replica(redis: &RedisServer) -> Daemon {
    let url = redis.url();
    Daemon::start_with(|cmd| {
        cmd.env("LUNA_STORE", &url).args(["--http-listen", "off"]);
    })
}

#[test]
fn replicas_share_statistics_and_the_file_index() {
    let redis = RedisServer::start();
    let a = replica(&redis);
    let b = replica(&redis);
    let mut answered = 0;
    for (n, replica) in [&a, &b, &a, &b, &b].into_iter().enumerate() {
        replica.ok(
            "generate",
            json!({"variant": "power", "style": "simple", "size": 64 + n}),
        );
        answered += 1;
    }
    let stored = a.ok(
        "generate",
        json!({"variant": "mystery", "style": "ultimate", "size": 64, "format": "png", "store": true}),
    );
    answered += 1;
    let name = stored["file"].as_str().unwrap().to_owned();
    for replica in [&a, &b] {
        let stats = replica.stats();
        assert_eq!(stats["total_generated"], answered, "{stats}");
        assert_eq!(stats["variants_used"]["power"], 5);
        assert_eq!(stats["files"], 1);
        let files = replica.ok("files", json!({}));
        assert_eq!(files["files"][0]["name"], name.as_str());
    }
    // B never stored it: it draws it again from the index, byte for byte, and keeps a copy.
    let from_a = a.ok("file", json!({"name": name}));
    let from_b = b.ok("file", json!({"name": name}));
    assert_eq!(from_b["data"], from_a["data"]);
    assert_eq!(from_b["file"], from_a["file"]);
    assert!(b.env.data.join("files").join(&name).exists());

    // One cleanup removes the entry for the whole fleet.
    let cleaned = b.ok("cleanup", json!({"confirm": true}));
    assert_eq!(cleaned["removed"], 1, "{cleaned}");
    for replica in [&a, &b] {
        assert_eq!(replica.stats()["files"], 0);
        assert_eq!(replica.ok("files", json!({}))["total"], 0);
    }
    assert!(a.log_text().contains("in Redis"));
    assert!(
        !a.log_text().contains(REDIS_PASSWORD),
        "the password reached the log"
    );
}

#[test]
fn the_password_comes_from_the_environment_when_the_url_has_none() {
    let redis = RedisServer::start();
    let bare = redis.url_without_password();
    let daemon = Daemon::start_with(|cmd| {
        cmd.args(["--store", &bare, "--http-listen", "off"])
            .env("LUNA_REDIS_PASSWORD", REDIS_PASSWORD);
    });
    daemon.ok("generate", json!({"variant": "creative"}));
    assert_eq!(daemon.stats()["total_generated"], 1);
}

#[test]
fn a_password_on_the_command_line_is_refused() {
    let redis = RedisServer::start();
    let env = Env::new();
    let url = redis.url();
    let mut daemon = Daemon::spawn_in(&env, |cmd| {
        cmd.args(["--store", &url, "--http-listen", "off"]);
    });
    daemon.assert_exit(78, Duration::from_secs(10));
    let log = daemon.log_text();
    assert!(log.contains("--store must not carry a password"), "{log}");
    assert!(!log.contains(REDIS_PASSWORD), "{log}");
}

#[test]
fn a_wrong_password_stops_lunad_at_start_with_a_clear_error() {
    let redis = RedisServer::start();
    let env = Env::new();
    let wrong = format!("redis://:wrong-one@127.0.0.1:{}", redis.port);
    let mut daemon = Daemon::spawn_in(&env, |cmd| {
        cmd.env("LUNA_STORE", &wrong).args(["--http-listen", "off"]);
    });
    daemon.assert_exit(77, Duration::from_secs(20)); // EX_NOPERM
    let log = daemon.log_text();
    assert!(log.contains("store refused access"), "{log}");
    assert!(log.contains("redis://:***@127.0.0.1"), "{log}");
    assert!(!log.contains("wrong-one"), "{log}");
}

#[test]
fn the_rate_limit_holds_for_the_whole_fleet() {
    let redis = RedisServer::start();
    let config = "[http.rate_limits]\ngenerate = 10\n";
    let a = http_replica(&redis, config, &[]);
    let b = http_replica(&redis, config, &[]);
    let (mut admitted, mut refused) = (0, 0);
    let started = Instant::now();
    for n in 0..30 {
        let server = if n % 2 == 0 { &a } else { &b };
        let reply = server.post_json("/generate", GENERATE);
        match reply.status {
            200 => admitted += 1,
            429 => {
                refused += 1;
                assert!(reply.header("retry-after").is_some());
                assert_eq!(reply.header("x-ratelimit-limit"), Some("10"));
            }
            other => panic!("unexpected {other}: {}", reply.text()),
        }
    }
    // 10 a minute across both replicas (not 10 each): the burst of 10, plus one token per 6 s
    // the loop took, ±1 for a token refilling at the edge.
    let refilled = (started.elapsed().as_secs_f64() / 6.0) as u32;
    assert!(
        (10..=11 + refilled).contains(&admitted),
        "{admitted} admitted in {:?}",
        started.elapsed()
    );
    assert_eq!(admitted + refused, 30);
    assert_eq!(metric(&a, "arkalia_luna_rate_limit_local_total"), 0.0);
}

#[test]
fn luna_events_on_one_replica_sees_generations_on_another() {
    let redis = RedisServer::start();
    let url = redis.url();
    let named = |name: &'static str| {
        let url = url.clone();
        Daemon::start_with(move |cmd| {
            cmd.env("LUNA_STORE", &url)
                .args(["--http-listen", "off", "--replica", name]);
        })
    };
    let a = named("replica-a");
    let b = named("replica-b");
    let mut events = Command::new(env!("CARGO_BIN_EXE_luna"))
        .args(["events", "--json", "--topic", "generated"])
        .env("LUNA_SOCKET", a.socket())
        .env("LUNA_NO_AUTOSTART", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = events.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    // Until the subscription is in place, generations go unseen: keep generating on B.
    let found = (0..50).find_map(|n| {
        b.ok(
            "generate",
            json!({"variant": "mystery", "style": "ultimate", "size": 300 + n}),
        );
        while let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
            let event: Value = serde_json::from_str(&line).ok()?;
            if event["data"]["replica"] == "replica-b" {
                return Some(event);
            }
        }
        None
    });
    let event = found.expect("a generation on B reached `luna events` on A");
    assert_eq!(event["data"]["variant"], "mystery", "{event}");
    assert_eq!(event["event"], "generated", "{event}");
    // A's own generations name A.
    a.ok("generate", json!({"variant": "serenity"}));
    let own = std::iter::from_fn(|| rx.recv_timeout(Duration::from_secs(5)).ok())
        .map(|line| serde_json::from_str::<Value>(&line).unwrap())
        .find(|e| e["data"]["variant"] == "serenity")
        .expect("A's own event");
    assert_eq!(own["data"]["replica"], "replica-a", "{own}");
    let _ = events.kill();
    let _ = events.wait();
}

#[test]
fn lunad_starts_without_redis_runs_degraded_and_catches_up() {
    let mut redis = RedisServer::not_started();
    // A buffer of 5 generations: past it, counts are dropped and reported.
    let a = http_replica(
        &redis,
        "store_buffer = 5\n",
        &[("LUNA_CLEANUP_TOKEN", "t0ken-for-tests")],
    );
    let strict = http_replica(&redis, "", &[("LUNA_STRICT_HEALTH", "true")]);

    let health = a.get("/health");
    assert_eq!(health.status, 200, "{}", health.text());
    assert_eq!(health.json()["store"], "degraded");
    assert_eq!(health.json()["status"], "degraded");
    assert_eq!(
        strict.get("/health").status,
        503,
        "strict mode asks for 503"
    );

    // Two distinct files: index entries wait too, up to the same bound.
    for n in 0..8 {
        let body = format!(r#"{{"variant": "power", "size": {}}}"#, 64 + n % 2);
        let reply = a.post_json("/generate", &body);
        assert_eq!(reply.status, 200, "generation goes on: {}", reply.text());
    }
    let stats = a.get("/stats").json();
    assert_eq!(stats["store"], "degraded", "{stats}");
    assert_eq!(stats["buffered"], 5, "{stats}");
    assert_eq!(stats["dropped"], 3, "{stats}");
    assert_eq!(stats["total_generated"], 5, "{stats}");
    assert_eq!(metric(&a, "arkalia_luna_store_degraded"), 1.0);
    assert_eq!(metric(&a, "arkalia_luna_store_buffer_dropped_total"), 3.0);
    // A file this replica holds downloads through the outage; cleanup needs the shared index.
    let stored = a
        .post_json("/generate", r#"{"variant": "power", "size": 64}"#)
        .json();
    let url = stored["download_url"]
        .as_str()
        .expect("a download link")
        .to_owned();
    let download = a.get(&url);
    assert_eq!(download.status, 200, "{}", download.text());
    assert!(download.text().contains("<svg"));
    let cleanup = a.delete("/cleanup", &[("authorization", "Bearer t0ken-for-tests")]);
    assert_eq!(cleanup.status, 503, "{}", cleanup.text());
    assert_eq!(cleanup.code(), "store_unavailable");
    assert!(cleanup.header("retry-after").is_some());

    redis.restart();
    wait_until(
        Duration::from_secs(15),
        "the buffered counts reach Redis",
        || {
            let stats = a.get("/stats").json();
            stats["store"] == "ok" && stats["buffered"] == 0 && stats["total_generated"] == 5
        },
    );
    // /health caches its checks for a second.
    wait_until(Duration::from_secs(5), "health recovers", || {
        a.get("/health").json()["status"] == "healthy"
    });
    wait_until(Duration::from_secs(15), "strict health recovers", || {
        strict.get("/health").status == 200
    });
    assert_eq!(strict.get("/stats").json()["total_generated"], 5);
    assert_eq!(metric(&a, "arkalia_luna_store_degraded"), 0.0);
    let log = a.daemon.log_text();
    assert!(log.contains("running degraded"), "{log}");
    assert!(log.contains("store reachable again"), "{log}");
}

#[test]
fn a_kill_9_of_redis_during_load_loses_no_answered_generation() {
    let mut redis = RedisServer::start();
    let config = "[http.rate_limits]\ngenerate = 0\n";
    let replicas = Arc::new([
        http_replica(&redis, config, &[]),
        http_replica(&redis, config, &[]),
    ]);
    let answered = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..4)
        .map(|w| {
            let (replicas, answered, failed, stop) = (
                replicas.clone(),
                answered.clone(),
                failed.clone(),
                stop.clone(),
            );
            std::thread::spawn(move || {
                let mut n = 0u32;
                while !stop.load(Ordering::Relaxed) {
                    let server = &replicas[(w + n as usize) % 2];
                    let body = format!(r#"{{"variant": "serenity", "size": {}}}"#, 16 + n % 500);
                    match server.post_json("/generate", &body).status {
                        200 => answered.fetch_add(1, Ordering::Relaxed),
                        _ => failed.fetch_add(1, Ordering::Relaxed),
                    };
                    n += 1;
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1500));
    redis.kill();
    std::thread::sleep(Duration::from_millis(1500));
    redis.restart();
    std::thread::sleep(Duration::from_millis(1500));
    stop.store(true, Ordering::Relaxed);
    for worker in workers {
        worker.join().unwrap();
    }
    let answered = answered.load(Ordering::Relaxed);
    assert!(
        answered > 50,
        "too little load to prove anything: {answered}"
    );
    assert_eq!(failed.load(Ordering::Relaxed), 0, "generation goes on");
    for server in replicas.iter() {
        wait_until(Duration::from_secs(20), "every replica catches up", || {
            let stats = server.get("/stats").json();
            stats["store"] == "ok" && stats["buffered"] == 0
        });
    }
    assert!(
        replicas
            .iter()
            .any(|s| s.daemon.log_text().contains("running degraded")),
        "the load never met the outage"
    );
    for server in replicas.iter() {
        let stats = server.get("/stats").json();
        assert_eq!(stats["total_generated"], answered, "{stats}");
        assert_eq!(stats["dropped"], 0, "{stats}");
        assert!(!server.daemon.log_text().contains("panicked"));
    }
}

#[test]
fn after_redis_comes_back_empty_the_fleet_counts_on() {
    let mut redis = RedisServer::start();
    let a = http_replica(&redis, "", &[]);
    for _ in 0..2 {
        assert_eq!(a.post_json("/generate", GENERATE).status, 200);
    }
    wait_until(Duration::from_secs(5), "the counts reach Redis", || {
        a.get("/stats").json()["buffered"] == 0
    });
    let stored = a.post_json("/generate", GENERATE).json();
    let url = stored["download_url"].as_str().unwrap().to_owned();
    redis.kill();
    // Redis is gone: the copy on this replica's disk still downloads.
    let download = a.get(&url);
    assert_eq!(download.status, 200, "{}", download.text());
    assert!(download.text().contains("<svg"));
    redis.wipe();
    redis.restart();
    assert_eq!(a.post_json("/generate", GENERATE).status, 200);
    wait_until(Duration::from_secs(15), "the fleet counts on", || {
        let stats = a.get("/stats").json();
        stats["store"] == "ok" && stats["buffered"] == 0 && stats["total_generated"] == 1
    });
}

#[test]
fn a_malformed_url_or_tls_stops_lunad_at_start_with_ex_config() {
    for (url, says) in [
        ("rediss://127.0.0.1:6390", "TLS"),
        ("redis://127.0.0.1:notaport", "did not parse"),
    ] {
        let env = Env::new();
        let mut daemon = Daemon::spawn_in(&env, |cmd| {
            cmd.env("LUNA_STORE", url).args(["--http-listen", "off"]);
        });
        daemon.assert_exit(78, Duration::from_secs(10)); // EX_CONFIG
        let log = daemon.log_text();
        assert!(log.contains("bad Redis URL") && log.contains(says), "{log}");
    }
}

/// The README's two commands that start a two-replica fleet work as written (on free ports and a
/// temp dir instead of 6390, 8001/8002 and /tmp).
#[test]
fn the_readme_starts_a_two_replica_fleet() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = &readme[readme
        .find("## Scaling out")
        .expect("a Scaling out section")..];
    let block = section
        .split("```sh\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a shell block");
    let commands: Vec<&str> = block.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(commands.len(), 2, "two commands: {block}");
    let dir = tempfile::tempdir().unwrap();
    let tmp = dir.path().to_str().unwrap();
    let redis_port = support::free_port().to_string();
    let script = block
        .replace("6390", &redis_port)
        .replace("127.0.0.1:800$n", "127.0.0.1:0")
        .replace("/tmp", tmp);
    let bin_dir = std::path::Path::new(env!("CARGO_BIN_EXE_lunad"))
        .parent()
        .unwrap();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap());
    let log = dir.path().join("fleet.log");
    let status = Command::new("bash")
        .args(["-c", &script])
        .env("PATH", &path)
        .env("LUNA_REDIS_PASSWORD", REDIS_PASSWORD)
        .env_remove("LUNA_STORE")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .status()
        .unwrap();
    assert!(status.success());
    let stop = || {
        let pattern = format!("--data-dir {tmp}/");
        let _ = Command::new("pkill").args(["-f", "--", &pattern]).status();
        let _ = Command::new("redis-cli")
            .args(["-p", &redis_port, "--no-auth-warning", "-a", REDIS_PASSWORD])
            .args(["shutdown", "nosave"])
            .output();
    };
    let mut addrs = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    while addrs.len() < 2 {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        addrs = text
            .lines()
            .filter(|l| l.contains("lunad ready"))
            .filter_map(|l| {
                l.split("http=")
                    .nth(1)?
                    .split_whitespace()
                    .next()
                    .map(str::to_owned)
            })
            .collect();
        if Instant::now() > deadline {
            stop();
            panic!("the fleet did not come up:\n{text}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let generated = agent
        .post(format!("http://{}/generate", addrs[0]))
        .header("content-type", "application/json")
        .send(r#"{"variant": "power"}"#)
        .map(|r| r.status().as_u16());
    let stats: Option<Value> = agent
        .get(format!("http://{}/stats", addrs[1]))
        .call()
        .ok()
        .and_then(|mut r| r.body_mut().read_to_string().ok())
        .and_then(|text| serde_json::from_str(&text).ok());
    let redis_args = Command::new("pgrep")
        .args(["-a", "-f", &format!("redis-server.*{redis_port}")])
        .output()
        .unwrap();
    stop();
    wait_until(
        Duration::from_secs(10),
        "the replicas stop on SIGTERM",
        || {
            let left = Command::new("pgrep")
                .args(["-f", "--", &format!("--data-dir {tmp}/")])
                .output()
                .unwrap();
            left.stdout.is_empty()
        },
    );
    assert_eq!(generated.ok(), Some(200));
    let stats = stats.expect("stats from the other replica");
    assert_eq!(stats["total_generated"], 1, "one fleet: {stats}");
    assert!(
        !String::from_utf8_lossy(&redis_args.stdout).contains(REDIS_PASSWORD),
        "the password is not in redis-server's arguments"
    );
}
