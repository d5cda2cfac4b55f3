//! `deploy/systemd/` under a real systemd: Debian with systemd as PID 1 in a podman container
//! (`--privileged --systemd=always`; without `--privileged` the sandboxing's mount namespaces fail
//! with 226/NAMESPACE). The README's systemd commands run as written, from a checkout-like tree
//! holding the binaries this test build made. Then each claim of the units is checked: socket
//! activation, `Type=notify`, a draining stop, state kept across restarts, the state directory
//! under the sandboxing, root's plain `luna stats`, the user units and the exposure score.

mod support;

use serde_json::Value;
use std::process::Output;
use std::time::{Duration, Instant};
use support::{Container, Podman};

/// Where the README's commands run from: `target/release/` and `deploy/systemd/` as in a checkout.
const CHECKOUT: &str = "/root/luna";
/// The user of the `--user` units.
const USER: &str = "alice";
/// `systemd-analyze security` calls 2.0 and below "OK".
const MAX_EXPOSURE: f64 = 2.0;
/// GET on lunad's default HTTP address with bash alone: the image has no curl.
const HTTP_GET: &str = r#"http_get() { exec 3<>/dev/tcp/127.0.0.1/8000 || return 1; printf 'GET %s HTTP/1.0\r\n\r\n' "$1" >&3; cat <&3; exec 3<&-; }"#;

/// The running systemd container.
struct Machine<'a> {
    container: Container<'a>,
    started: Instant,
}

impl<'a> Machine<'a> {
    fn boot(podman: &'a Podman) -> Machine<'a> {
        let image = podman.systemd_user_image();
        let name = format!("luna-sd-{}", std::process::id());
        let _ = podman.run(&["rm", "-f", "-t", "0", &name]);
        let started = Instant::now();
        podman.ok(&[
            "run",
            "-d",
            "--privileged",
            "--systemd=always",
            "--name",
            &name,
            image,
            "/sbin/init",
        ]);
        let machine = Machine {
            container: Container { podman, name },
            started,
        };
        machine.wait_running();
        machine
    }

    fn podman(&self) -> &Podman {
        self.container.podman
    }

    /// `systemctl is-system-running` says running (or degraded: some unit of the minimal image
    /// failed, which does not concern lunad's units).
    fn wait_running(&self) {
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            let out = self.exec(&["systemctl", "is-system-running"]);
            let state = String::from_utf8_lossy(&out.stdout).trim().to_owned();
            if state == "running" || state == "degraded" {
                return;
            }
            if Instant::now() > deadline {
                self.fail(&format!(
                    "systemd did not boot: is-system-running says {state:?}"
                ));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn exec(&self, args: &[&str]) -> Output {
        let mut all = vec!["exec", self.container.name.as_str()];
        all.extend_from_slice(args);
        self.podman().run(&all)
    }

    /// `podman exec` of `args`, which must succeed.
    #[track_caller]
    fn ok_raw(&self, args: &[&str]) {
        let out = self.exec(args);
        checked(self, &args.join(" "), out);
    }

    /// `script` in bash as root in the checkout, with neither `XDG_RUNTIME_DIR` nor
    /// `LUNA_SOCKET`, as after `sudo -i`.
    fn sh(&self, script: &str) -> Output {
        let script = format!("{HTTP_GET}\ncd {CHECKOUT}\n{script}");
        self.exec(&[
            "env",
            "-u",
            "XDG_RUNTIME_DIR",
            "-u",
            "LUNA_SOCKET",
            "bash",
            "-euo",
            "pipefail",
            "-c",
            &script,
        ])
    }

    /// `script` as [`USER`] in a login shell (pam_systemd sets `XDG_RUNTIME_DIR`), from
    /// `~/luna`.
    fn user_sh(&self, script: &str) -> Output {
        let script = format!("set -euo pipefail\ncd ~/luna\n{script}");
        self.exec(&["runuser", "-l", USER, "-c", &script])
    }

    /// Stdout of a successful `script`, trimmed; otherwise a failure with the logs.
    #[track_caller]
    fn ok(&self, script: &str) -> String {
        checked(self, script, self.sh(script))
    }

    #[track_caller]
    fn user_ok(&self, script: &str) -> String {
        checked(self, script, self.user_sh(script))
    }

    /// A unit's property, `--user` for [`USER`]'s units.
    #[track_caller]
    fn show(&self, user: bool, unit: &str, property: &str) -> String {
        let script = format!(
            "systemctl {} show {unit} -p {property} --value",
            scope(user)
        );
        match user {
            true => self.user_ok(&script),
            false => self.ok(&script),
        }
    }

    #[track_caller]
    fn assert_eq(&self, got: &str, want: &str, what: &str) {
        if got != want {
            self.fail(&format!("{what}: got {got:?}, want {want:?}"));
        }
    }

    #[track_caller]
    fn check(&self, ok: bool, what: &str) {
        if !ok {
            self.fail(what);
        }
    }

    /// Panics with `message` and what an operator would look at.
    #[track_caller]
    fn fail(&self, message: &str) -> ! {
        panic!("{message}\n\n{}", self.logs())
    }

    fn logs(&self) -> String {
        let script = "systemctl status lunad.socket lunad.service --no-pager -l -n 0 || true
            echo; echo '== journalctl -u lunad'
            journalctl -u lunad.socket -u lunad.service --no-pager -n 60 || true
            echo; echo '== journalctl --user-unit lunad (user units)'
            journalctl --user-unit lunad.socket --user-unit lunad.service --no-pager -n 40 || true";
        let out = self.exec(&["bash", "-c", script]);
        format!(
            "== systemctl status\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    }

    fn step(&self, what: &str) {
        eprintln!("[{:>5.1}s] {what}", self.started.elapsed().as_secs_f64());
    }
}

#[track_caller]
fn checked(machine: &Machine, script: &str, out: Output) -> String {
    if !out.status.success() {
        machine.fail(&format!(
            "`{script}` failed ({})\nstdout: {}\nstderr: {}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn scope(user: bool) -> &'static str {
    if user { "--user" } else { "--system" }
}

#[track_caller]
fn json(machine: &Machine, text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| machine.fail(&format!("not JSON ({e}): {text}")))
}

/// The README's systemd bullet, and the commands of its two shell blocks (system, then user).
struct Readme {
    section: String,
    system: Vec<String>,
    user: Vec<String>,
}

fn readme() -> Readme {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let deployment = &text[text.find("## Deployment").expect("a Deployment section")..];
    let start = deployment.find("- **systemd**").expect("a systemd bullet");
    let bullet = &deployment[start..];
    let end = bullet[1..].find("\n- **").map_or(bullet.len(), |i| i + 1);
    let section = bullet[..end].to_owned();
    let mut blocks = Vec::new();
    let mut block: Option<Vec<String>> = None;
    for line in section.lines().map(str::trim) {
        match (&mut block, line) {
            (None, "```sh") => block = Some(Vec::new()),
            (Some(_), "```") => blocks.push(block.take().unwrap()),
            (Some(lines), line) if !line.is_empty() => lines.push(line.to_owned()),
            _ => {}
        }
    }
    assert_eq!(
        blocks.len(),
        2,
        "two shell blocks, system and user:\n{section}"
    );
    let user = blocks.pop().unwrap();
    let system = blocks.pop().unwrap();
    Readme {
        section,
        system,
        user,
    }
}

/// Copies the test build's binaries and `deploy/systemd/` into a checkout-like tree.
fn stage_checkout(machine: &Machine) {
    machine.ok_raw(&["mkdir", "-p", &format!("{CHECKOUT}/target/release")]);
    machine.ok_raw(&["mkdir", "-p", &format!("{CHECKOUT}/deploy")]);
    let name = &machine.container.name;
    for (bin, built) in [
        ("lunad", env!("CARGO_BIN_EXE_lunad")),
        ("luna", env!("CARGO_BIN_EXE_luna")),
    ] {
        let to = format!("{name}:{CHECKOUT}/target/release/{bin}");
        machine.podman().ok(&["cp", built, &to]);
    }
    let units = concat!(env!("CARGO_MANIFEST_DIR"), "/deploy/systemd");
    machine
        .podman()
        .ok(&["cp", units, &format!("{name}:{CHECKOUT}/deploy/")]);
}

/// The pid that `luna daemon status` reports for the lunad it reaches.
fn luna_pid(machine: &Machine, status: &str) -> String {
    json(machine, status)["pid"].to_string()
}

#[test]
fn systemd_units_run_under_systemd() {
    let podman = support::podman();
    let readme = readme();
    let machine = Machine::boot(&podman);
    machine.step("systemd is up");
    stage_checkout(&machine);

    system_units_as_the_readme_installs_them(&machine, &readme.system);
    machine.step("installed as the README says; socket activation works");
    state_directory_is_writable(&machine);
    machine.step("state directory written");
    restart_waits_for_ready_and_keeps_state(&machine);
    machine.step("restart: notify and state");
    process_metrics_work_in_the_sandbox(&machine);
    stop_drains_and_exits_cleanly(&machine);
    machine.step("stop drains");
    root_reaches_the_system_socket(&machine);
    machine.step("root's plain luna");
    exposure_is_ok(&machine, &readme.section);
    machine.step("exposure score");
    user_units_work(&machine, &readme);
    machine.step("user units");
}

/// The README's root commands, in order. Before `luna stats`, only the socket is there; that
/// first connection starts lunad, and `Type=notify` has it active and serving when it answers.
fn system_units_as_the_readme_installs_them(machine: &Machine, commands: &[String]) {
    assert!(
        commands
            .iter()
            .any(|c| c == "systemctl enable --now lunad.socket")
            && commands.last().map(String::as_str) == Some("luna stats"),
        "the README's root commands enable lunad.socket, then run `luna stats`: {commands:?}"
    );
    for command in commands {
        if command == "luna stats" {
            machine.assert_eq(
                &machine.show(false, "lunad.socket", "SubState"),
                "listening",
                "lunad.socket before the first connection",
            );
            machine.assert_eq(
                &machine.show(false, "lunad.service", "ActiveState"),
                "inactive",
                "lunad before the first connection (socket activation starts it)",
            );
            machine.ok("test -S /run/luna/ctl.sock");
        }
        let out = machine.ok(command);
        if command == "luna stats" {
            machine.check(
                out.contains("total generated"),
                &format!("`luna stats` as root printed:\n{out}"),
            );
        }
    }
    assert_serving(machine, false);
    let status = machine.ok("luna --json daemon status");
    machine.assert_eq(
        &luna_pid(machine, &status),
        &machine.show(false, "lunad.service", "MainPID"),
        "the lunad root's `luna` reached (luna daemon status) is the unit's main process",
    );
}

/// active (running) with the status text lunad sends with READY=1.
fn assert_serving(machine: &Machine, user: bool) {
    let state = ["ActiveState", "SubState", "StatusText"]
        .map(|p| machine.show(user, "lunad.service", p))
        .join(" ");
    machine.assert_eq(&state, "active running serving", "lunad.service state");
}

fn main_pid(machine: &Machine) -> String {
    machine.show(false, "lunad.service", "MainPID")
}

fn stats(machine: &Machine) -> Value {
    json(machine, &machine.ok("luna --json stats"))
}

/// A stored file lands in the state directory, which DynamicUser keeps in /var/lib/private/luna,
/// owned by the service's transient user, 0700, behind the /var/lib/luna link.
fn state_directory_is_writable(machine: &Machine) {
    let request = r#"{"id":1,"cmd":"generate","args":{"variant":"serenity","format":"png","size":256,"store":true}}"#;
    let reply = json(machine, &machine.ok(&format!("luna raw '{request}'")));
    let file = reply["result"]["file"]
        .as_str()
        .unwrap_or_else(|| machine.fail(&format!("no stored file in {reply}")))
        .to_owned();
    machine.assert_eq(
        &machine.ok("readlink /var/lib/luna"),
        "private/luna",
        "/var/lib/luna",
    );
    let uid = machine.ok(&format!("stat -c %u /proc/{}", main_pid(machine)));
    machine.check(uid != "0", "lunad runs as a transient user, not root");
    let dir = machine.ok("stat -c '%u %a' /var/lib/private/luna");
    machine.assert_eq(&dir, &format!("{uid} 700"), "the state directory");
    let stored = machine.ok(&format!(
        "find /var/lib/private/luna -name '{file}' -printf '%u %m'"
    ));
    machine.assert_eq(
        &stored,
        &format!("{uid} 600"),
        &format!("{file} in the state directory"),
    );
}

/// `systemctl restart` returns only after READY=1, so HTTP answers at once (with Type=simple it
/// returns before lunad has bound its port); the statistics survive.
fn restart_waits_for_ready_and_keeps_state(machine: &Machine) {
    let before = stats(machine);
    let pid = main_pid(machine);
    let first_line = machine.ok(
        "systemctl restart lunad.service && http_get /health > /tmp/health; head -1 /tmp/health",
    );
    machine.assert_eq(
        first_line.trim_end(),
        "HTTP/1.0 200 OK",
        "GET /health the moment `systemctl restart` returns",
    );
    assert_serving(machine, false);
    machine.check(main_pid(machine) != pid, "restart started a new lunad");
    let after = stats(machine);
    for key in ["total_generated", "files"] {
        machine.assert_eq(
            &after[key].to_string(),
            &before[key].to_string(),
            &format!("stats {key} across a restart"),
        );
    }
}

/// The Prometheus process metrics read /proc/stat for the start time: the reason the unit has no
/// `ProcSubset=pid`.
fn process_metrics_work_in_the_sandbox(machine: &Machine) {
    let line = machine
        .ok("http_get /metrics > /tmp/metrics; grep '^process_start_time_seconds ' /tmp/metrics");
    let value: f64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or_default();
    machine.check(value > 0.0, &format!("lunad's /metrics: {line}"));
}

/// SIGTERM with a request in flight: it completes, lunad exits 0 well within TimeoutStopSec (no
/// SIGKILL), the unit stays stopped, and the request's generation is counted and kept.
fn stop_drains_and_exits_cleanly(machine: &Machine) {
    let total = stats(machine)["total_generated"].as_u64().unwrap();
    // A 2048 px PNG takes about a second in a debug build; stop once lunad holds the connection.
    let request = r#"{"id":1,"cmd":"generate","args":{"variant":"power","format":"png","size":2048,"seed":7,"store":true}}"#;
    let script = format!(
        r#"luna raw '{request}' > /tmp/inflight.json 2>&1 & job=$!
        for _ in $(seq 200); do
          http_get /metrics | grep '^arkalia_luna_ipc_connections [1-9]' > /dev/null && break
          sleep 0.02
        done
        systemctl stop lunad.service
        rc=0; wait $job || rc=$?
        echo "$rc"; cat /tmp/inflight.json"#
    );
    let out = machine.ok(&script);
    let (rc, reply) = out.split_once('\n').unwrap_or((&out, ""));
    machine.assert_eq(rc, "0", &format!("the in-flight request's luna: {reply}"));
    let reply = json(machine, reply);
    machine.check(
        reply["ok"] == true,
        &format!("the in-flight request: {reply}"),
    );
    let result = ["ActiveState", "Result", "ExecMainCode", "ExecMainStatus"]
        .map(|p| machine.show(false, "lunad.service", p))
        .join(" ");
    // ExecMainCode 1 is CLD_EXITED: lunad exited by itself, not killed by a signal.
    machine.assert_eq(&result, "inactive success 1 0", "lunad.service after stop");
    let journal = machine.ok("journalctl -u lunad.service --no-pager -o cat");
    let last_stop = &journal[journal.rfind("shutting down").unwrap_or(0)..];
    machine.check(
        last_stop.contains("\"reason\":\"SIGTERM\"") && last_stop.contains("lunad stopped"),
        "lunad logged its SIGTERM shutdown",
    );
    machine.check(
        !journal.contains("Killing") && !journal.contains("status=9/KILL"),
        "no SIGKILL in the journal",
    );
    let after = stats(machine)["total_generated"].as_u64().unwrap();
    machine.assert_eq(
        &after.to_string(),
        &(total + 1).to_string(),
        "total_generated after the drained request and a new activation",
    );
}

/// Root's socket rule: /run/luna/ctl.sock also with a login's XDG_RUNTIME_DIR (ssh), and
/// `luna daemon stop` leaves the system lunad to systemctl.
fn root_reaches_the_system_socket(machine: &Machine) {
    let status = machine.ok("XDG_RUNTIME_DIR=/run/user/0 luna --json daemon status");
    machine.assert_eq(
        &luna_pid(machine, &status),
        &main_pid(machine),
        "root's luna with XDG_RUNTIME_DIR set reaches the system lunad",
    );
    let out = machine.sh("luna daemon stop");
    let stderr = String::from_utf8_lossy(&out.stderr);
    machine.check(
        out.status.code() == Some(64) && stderr.contains("systemctl stop lunad.socket"),
        &format!(
            "`luna daemon stop` on the system socket: {}: {stderr}",
            out.status
        ),
    );
    assert_serving(machine, false);
}

/// `systemd-analyze security` rates lunad.service "OK", and the README and the unit say the
/// score it gives.
fn exposure_is_ok(machine: &Machine, readme: &str) {
    let report = machine.ok("systemd-analyze security lunad.service --no-pager");
    let overall = report
        .lines()
        .find_map(|l| l.split("Overall exposure level for lunad.service: ").nth(1))
        .unwrap_or_else(|| machine.fail(&format!("no overall exposure in:\n{report}")));
    let score = overall.split_whitespace().next().unwrap_or_default();
    let value: f64 = score.parse().unwrap_or(f64::INFINITY);
    if !(value <= MAX_EXPOSURE && overall.contains("OK")) {
        machine.fail(&format!(
            "exposure {overall}, more than {MAX_EXPOSURE}:\n{report}"
        ));
    }
    let unit = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/deploy/systemd/lunad.service"
    ))
    .unwrap();
    for (what, text) in [("README", readme), ("lunad.service", unit.as_str())] {
        assert!(
            text.contains(&format!("{score} OK")),
            "the {what} should record the exposure score {score} OK"
        );
    }
}

/// The README's user commands, run by a user whose manager runs by lingering: the user's
/// `luna stats` starts the user's lunad by socket activation in `$XDG_RUNTIME_DIR/luna`.
fn user_units_work(machine: &Machine, readme: &Readme) {
    let linger = "loginctl enable-linger USER";
    assert!(
        readme.section.contains(&format!("`{linger}`")),
        "the README tells root to run `{linger}`"
    );
    // As `cargo install` leaves it: the binaries in ~/.cargo/bin, on PATH by ~/.profile.
    machine.ok(&format!(
        "useradd --create-home --shell /bin/bash {USER}
        home=$(getent passwd {USER} | cut -d: -f6)
        install -d -o {USER} -g {USER} \"$home/.cargo\" \"$home/.cargo/bin\" \"$home/luna\"
        install -o {USER} -g {USER} -m 0755 target/release/lunad target/release/luna \"$home/.cargo/bin/\"
        cp -r deploy \"$home/luna/\" && chown -R {USER}: \"$home/luna\"
        echo 'export PATH=\"$HOME/.cargo/bin:$PATH\"' >> \"$home/.profile\""
    ));
    machine.ok(&linger.replace("USER", USER));
    let uid = machine.ok(&format!("id -u {USER}"));
    machine.ok(&format!(
        "for _ in $(seq 100); do systemctl is-active -q user@{uid}.service && exit 0; sleep 0.1; done
        systemctl status user@{uid}.service --no-pager; exit 1"
    ));
    let commands = &readme.user;
    assert!(
        commands
            .iter()
            .any(|c| c == "systemctl --user enable --now lunad.socket")
            && commands.last().map(String::as_str) == Some("luna stats"),
        "the README's user commands enable lunad.socket, then run `luna stats`: {commands:?}"
    );
    for command in commands {
        if command == "luna stats" {
            machine.assert_eq(
                &machine.show(true, "lunad.service", "ActiveState"),
                "inactive",
                "the user's lunad before the first connection",
            );
        }
        let out = machine.user_ok(command);
        if command == "luna stats" {
            machine.check(
                out.contains("total generated  0"),
                &format!("the user's own `luna stats`:\n{out}"),
            );
        }
    }
    assert_serving(machine, true);
    let pid = machine.show(true, "lunad.service", "MainPID");
    let status = machine.user_ok("luna --json daemon status");
    machine.assert_eq(
        &luna_pid(machine, &status),
        &pid,
        "the user's luna reaches the user unit's lunad",
    );
    let socket = json(machine, &status)["socket"].clone();
    machine.assert_eq(
        &socket.to_string(),
        &format!("\"/run/user/{uid}/luna/ctl.sock\""),
        "the user's socket",
    );
    let owner = machine.ok(&format!("stat -c %U /proc/{pid}"));
    machine.assert_eq(&owner, USER, "the user's lunad runs as");
}
