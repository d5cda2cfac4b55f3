//! Several real lunad replicas on one real redis-server behave as one service: one set of
//! statistics, one file index, one cleanup. And the store setting keeps its password secret.

mod support;

use serde_json::json;
use std::time::Duration;
use support::{Daemon, Env, REDIS_PASSWORD, RedisServer};

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
    assert!(a.log_text().contains("statistics and file index in Redis"));
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
    daemon.assert_exit(69, Duration::from_secs(20));
    let log = daemon.log_text();
    assert!(
        log.contains("cannot use Redis at redis://:***@127.0.0.1"),
        "{log}"
    );
    assert!(!log.contains("wrong-one"), "{log}");
}
