//! The container image, built from `deploy/Dockerfile` with real podman and run as compose runs
//! it: read-only root filesystem, every capability dropped, no-new-privileges, a named volume.
//! Needs Debian's podman, runc and debootstrap (.ci/install-deps); nothing is pulled.

mod support;

use std::time::{Duration, Instant};
use support::{Container, Podman, free_port, podman};

/// One HTTP request through the published port; (status, body).
fn http(port: u16, method: &str, path: &str, body: &str) -> Option<(u16, String)> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(5)))
        .build()
        .into();
    let url = format!("http://127.0.0.1:{port}{path}");
    let response = match method {
        "POST" => agent
            .post(&url)
            .header("content-type", "application/json")
            .send(body),
        _ => agent.get(&url).call(),
    };
    let mut response = response.ok()?;
    let status = response.status().as_u16();
    Some((status, response.body_mut().read_to_string().ok()?))
}

/// `podman run` as compose runs lunad (and publishes the port, which compose leaves to nginx).
fn run<'a>(podman: &'a Podman, image: &str, name: &str, volume: &str, port: u16) -> Container<'a> {
    podman.ok(&[
        "run",
        "-d",
        "--name",
        name,
        "--read-only",
        // Docker's read_only mounts no tmpfs: neither may this run.
        "--read-only-tmpfs=false",
        "--cap-drop",
        "ALL",
        "--security-opt",
        "no-new-privileges",
        "-v",
        &format!("{volume}:/var/lib/luna"),
        "-p",
        &format!("127.0.0.1:{port}:8000"),
        "-e",
        "LUNA_CLEANUP_TOKEN=container-test-token",
        image,
    ]);
    Container {
        podman,
        name: name.to_owned(),
    }
}

fn healthy(podman: &Podman, name: &str) -> bool {
    podman.run(&["healthcheck", "run", name]).status.success()
}

/// Waits until the image's HEALTHCHECK passes; returns how long it took.
fn wait_healthy(podman: &Podman, name: &str, since: Instant) -> Duration {
    while !healthy(podman, name) {
        let logs = podman.run(&["logs", name]);
        assert!(
            since.elapsed() < Duration::from_secs(30),
            "{name} never turned healthy:\n{}",
            String::from_utf8_lossy(&logs.stderr)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    since.elapsed()
}

fn total_generated(podman: &Podman, name: &str) -> u64 {
    let stats = podman.ok(&["exec", name, "luna", "--json", "stats"]);
    let stats: serde_json::Value = serde_json::from_str(&stats).unwrap();
    stats["total_generated"].as_u64().unwrap()
}

#[test]
fn the_image_runs_healthy_hardened_and_keeps_its_volume() {
    let podman = podman();
    let image = podman.luna_image();
    let tag = std::process::id();
    let volume = format!("luna-img-vol-{tag}");
    podman.ok(&["volume", "create", &volume]);
    let _volume = VolumeGuard(&podman, &volume);

    let name = format!("luna-img-{tag}");
    let port = free_port();
    let started = Instant::now();
    let container = run(&podman, image, &name, &volume, port);
    let to_healthy = wait_healthy(&podman, &name, started);
    eprintln!("start to healthy: {to_healthy:?}");

    // Unprivileged, as the Dockerfile says, even with the capabilities dropped.
    let status = podman.ok(&["exec", &name, "cat", "/proc/1/status"]);
    let uid_line = status.lines().find(|l| l.starts_with("Uid:")).unwrap();
    assert!(
        uid_line.split_whitespace().skip(1).all(|id| id == "10001"),
        "{uid_line}"
    );
    let caps = status.lines().find(|l| l.starts_with("CapEff:")).unwrap();
    assert!(caps.ends_with("0000000000000000"), "{caps}");

    // Through the published port.
    let (status, body) = http(port, "GET", "/health", "").expect("/health answers");
    assert_eq!(status, 200, "{body}");
    for n in 0..3 {
        let body = format!(r#"{{"variant":"serenity","size":{}}}"#, 64 + n);
        let (status, reply) = http(port, "POST", "/generate", &body).expect("/generate answers");
        assert_eq!(status, 200, "{reply}");
    }
    assert_eq!(total_generated(&podman, &name), 3);

    // Stopped inside (SIGSTOP: the process is there but answers nothing), the check fails; and
    // it passes again once lunad runs on.
    podman.ok(&["kill", "--signal", "STOP", &name]);
    assert!(!healthy(&podman, &name), "healthy while lunad is stopped");
    podman.ok(&["kill", "--signal", "CONT", &name]);
    wait_healthy(&podman, &name, Instant::now());

    // A graceful stop: lunad drains and exits 0, well within compose's 20 s grace period.
    let stopping = Instant::now();
    podman.ok(&["stop", "-t", "20", &name]);
    let stop_took = stopping.elapsed();
    assert!(
        stop_took < Duration::from_secs(15),
        "stop took {stop_took:?}"
    );
    let code = podman.ok(&["inspect", "--format", "{{.State.ExitCode}}", &name]);
    assert_eq!(code, "0", "lunad's exit status on SIGTERM");
    drop(container);

    // A new container on the same volume has the statistics.
    let name = format!("luna-img-{tag}-again");
    let port = free_port();
    let _again = run(&podman, image, &name, &volume, port);
    wait_healthy(&podman, &name, Instant::now());
    assert_eq!(
        total_generated(&podman, &name),
        3,
        "the volume kept the store"
    );

    let size = podman.ok(&["image", "inspect", "--format", "{{.Size}}", image]);
    eprintln!("image size: {size} bytes (debug binaries, stripped)");
}

/// Removes the volume at the end of the test, passed or not.
struct VolumeGuard<'a>(&'a Podman, &'a str);

impl Drop for VolumeGuard<'_> {
    fn drop(&mut self) {
        let _ = self.0.run(&["volume", "rm", "-f", self.1]);
    }
}
