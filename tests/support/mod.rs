//! End-to-end harness for `lunad`: the real binary on a private temporary socket, and a small
//! synchronous line client. Shared by several test binaries, so not every helper is used by each.
#![allow(dead_code)]

use serde_json::{Value, json};
use std::io::{Read, Write};
use std::os::unix::fs::DirBuilderExt;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How long a test waits for lunad to greet after it was spawned.
pub const START_TIMEOUT: Duration = Duration::from_secs(10);
/// Default read timeout of [`Conn`]: generous, since renders run on a loaded 2-core machine.
pub const READ_TIMEOUT: Duration = Duration::from_secs(30);

pub fn lunad_bin() -> &'static str {
    env!("CARGO_BIN_EXE_lunad")
}

/// A private temporary directory holding `run/ctl.sock` (run is 0700) and `data/`. Several daemons
/// can run in it one after the other (crash and restart tests).
pub struct Env {
    pub dir: tempfile::TempDir,
    pub run: PathBuf,
    pub socket: PathBuf,
    pub data: PathBuf,
    spawned: AtomicUsize,
}

impl Env {
    pub fn new() -> Arc<Env> {
        let dir = tempfile::Builder::new()
            .prefix("lunad-e2e-")
            .tempdir()
            .expect("temp dir");
        let run = dir.path().join("run");
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&run)
            .expect("create run dir");
        Arc::new(Env {
            socket: run.join("ctl.sock"),
            data: dir.path().join("data"),
            run,
            dir,
            spawned: AtomicUsize::new(0),
        })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn files_dir(&self) -> PathBuf {
        self.data.join("files")
    }

    /// The stored artefact names in `data/files` (dot files excluded), sorted.
    pub fn stored_names(&self) -> Vec<String> {
        let mut names: Vec<String> = match std::fs::read_dir(self.files_dir()) {
            Ok(entries) => entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| !n.starts_with('.'))
                .collect(),
            Err(_) => Vec::new(),
        };
        names.sort();
        names
    }

    /// Writes a config file in the temp dir and returns its path.
    pub fn write_config(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).expect("write config");
        path
    }
}

/// A running (or exited) lunad. Dropping it kills the process; if the test is failing, its log
/// is printed.
pub struct Daemon {
    pub env: Arc<Env>,
    child: Child,
    pub log: PathBuf,
    status: Option<ExitStatus>,
    /// The greeting line's JSON, once [`Daemon::wait_ready`] saw it.
    pub greeting: Option<Value>,
}

impl Daemon {
    /// A fresh temp dir and a daemon serving in it.
    pub fn start() -> Daemon {
        Daemon::start_with(|_| {})
    }

    /// Like [`Daemon::start`], with a chance to add flags or environment.
    pub fn start_with(configure: impl FnOnce(&mut Command)) -> Daemon {
        Daemon::start_in_with(&Env::new(), configure)
    }

    /// A daemon in an existing temp dir (restarts on the same socket and data).
    pub fn start_in(env: &Arc<Env>) -> Daemon {
        Daemon::start_in_with(env, |_| {})
    }

    pub fn start_in_with(env: &Arc<Env>, configure: impl FnOnce(&mut Command)) -> Daemon {
        let mut daemon = Daemon::spawn_in(env, configure);
        daemon.wait_ready();
        daemon
    }

    /// Spawns lunad with `--socket` and `--data-dir` without waiting for it to serve.
    pub fn spawn_in(env: &Arc<Env>, configure: impl FnOnce(&mut Command)) -> Daemon {
        let mut cmd = Command::new(lunad_bin());
        cmd.arg("--socket").arg(&env.socket);
        cmd.arg("--data-dir").arg(&env.data);
        Daemon::spawn_command(env, cmd, configure)
    }

    /// Spawns a prepared command (its arguments are the caller's) with the harness's
    /// environment and log capture.
    pub fn spawn_command(
        env: &Arc<Env>,
        mut cmd: Command,
        configure: impl FnOnce(&mut Command),
    ) -> Daemon {
        let n = env.spawned.fetch_add(1, Ordering::SeqCst);
        let log = env.dir.path().join(format!("lunad-{n}.log"));
        let log_file = std::fs::File::create(&log).expect("create log file");
        // A clean environment for what lunad reads: only what the test sets applies.
        for var in [
            "LUNA_SOCKET",
            "LUNA_DATA_DIR",
            "LUNA_CONFIG",
            "LUNA_CACHE_BYTES",
            "LUNA_LOG_FORMAT",
            "NOTIFY_SOCKET",
            "LISTEN_FDS",
            "LISTEN_PID",
            "LISTEN_FDNAMES",
        ] {
            cmd.env_remove(var);
        }
        // No stray user config file: point the XDG config home into the temp dir.
        cmd.env("XDG_CONFIG_HOME", env.dir.path().join("xdg-config"));
        cmd.env("RUST_LOG", "info");
        cmd.env("NO_COLOR", "1");
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::from(log_file));
        configure(&mut cmd);
        let child = cmd.spawn().expect("spawn lunad");
        Daemon {
            env: env.clone(),
            child,
            log,
            status: None,
            greeting: None,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn socket(&self) -> &Path {
        &self.env.socket
    }

    /// Polls `connect` every 10 ms until the greeting arrives (at most [`START_TIMEOUT`]).
    pub fn wait_ready(&mut self) {
        let socket = self.env.socket.clone();
        self.wait_ready_at(&socket);
    }

    /// [`Daemon::wait_ready`] for a daemon serving on another path.
    pub fn wait_ready_at(&mut self, socket: &Path) {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Some(status) = self.try_status() {
                panic!(
                    "lunad exited with {status} before serving\n{}",
                    self.log_text()
                );
            }
            if let Ok(stream) = UnixStream::connect(socket) {
                let mut conn = Conn::from_stream(stream);
                conn.set_timeout(Duration::from_secs(5));
                if let Some(line) = conn.try_read_line() {
                    let value: Value = serde_json::from_str(&line)
                        .unwrap_or_else(|e| panic!("greeting is not JSON ({e}): {line}"));
                    assert!(value.get("hello").is_some(), "not a greeting: {line}");
                    self.greeting = Some(value);
                    return;
                }
            }
            if Instant::now() > deadline {
                panic!(
                    "lunad did not greet within {START_TIMEOUT:?}\n{}",
                    self.log_text()
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// A new connection, greeting consumed.
    pub fn connect(&self) -> Conn {
        Conn::connect(&self.env.socket)
    }

    /// One request on a fresh connection; returns the whole reply.
    pub fn request(&self, request: Value) -> Value {
        self.connect().request(request)
    }

    /// One command on a fresh connection; asserts `ok` and returns the result.
    pub fn ok(&self, cmd: &str, args: Value) -> Value {
        self.connect().ok(cmd, args)
    }

    pub fn stats(&self) -> Value {
        self.ok("stats", Value::Null)
    }

    pub fn signal(&self, signal: libc::c_int) {
        // SAFETY: plain kill(2) on our own child's pid.
        let rc = unsafe { libc::kill(self.child.id() as libc::pid_t, signal) };
        assert_eq!(rc, 0, "kill({signal}) failed");
    }

    pub fn sigterm(&self) {
        self.signal(libc::SIGTERM);
    }

    /// SIGKILL, and reap the process.
    pub fn kill9(&mut self) {
        if self.status.is_none() {
            let _ = self.child.kill();
            self.status = Some(self.child.wait().expect("wait for lunad"));
        }
    }

    /// The exit status, if the process has exited.
    pub fn try_status(&mut self) -> Option<ExitStatus> {
        if self.status.is_none() {
            self.status = self.child.try_wait().expect("try_wait");
        }
        self.status
    }

    /// Waits for the process to exit; panics (with the log) after `timeout`.
    pub fn wait_exit(&mut self, timeout: Duration) -> ExitStatus {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.try_status() {
                return status;
            }
            if Instant::now() > deadline {
                panic!("lunad still running after {timeout:?}\n{}", self.log_text());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn is_running(&mut self) -> bool {
        self.try_status().is_none()
    }

    pub fn log_text(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        format!(
            "---- {} ----\n{text}---- end of log ----",
            self.log.display()
        )
    }

    /// The number of open file descriptors of the daemon (Linux).
    pub fn open_fds(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/fd", self.child.id()))
            .map(|d| d.count())
            .unwrap_or(0)
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("{}", self.log_text());
        }
        if self.status.is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A synchronous NDJSON client with read timeouts. Replies that arrive while waiting for another
/// id are kept and returned later.
pub struct Conn {
    stream: UnixStream,
    buf: Vec<u8>,
    timeout: Duration,
    /// Replies read while looking for something else.
    pending: Vec<Value>,
    next_id: u64,
    pub greeting: Option<Value>,
}

impl Conn {
    /// Connects and reads the greeting.
    pub fn connect(socket: &Path) -> Conn {
        let mut conn = Conn::connect_raw(socket);
        let hello = conn.read_json();
        assert!(hello.get("hello").is_some(), "expected a greeting: {hello}");
        conn.greeting = Some(hello);
        conn
    }

    /// Connects without reading anything.
    pub fn connect_raw(socket: &Path) -> Conn {
        let stream = UnixStream::connect(socket)
            .unwrap_or_else(|e| panic!("connect {}: {e}", socket.display()));
        Conn::from_stream(stream)
    }

    pub fn from_stream(stream: UnixStream) -> Conn {
        let mut conn = Conn {
            stream,
            buf: Vec::new(),
            timeout: READ_TIMEOUT,
            pending: Vec::new(),
            next_id: 1_000_000,
            greeting: None,
        };
        conn.set_timeout(READ_TIMEOUT);
        conn
    }

    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
        self.stream
            .set_write_timeout(Some(timeout))
            .expect("set write timeout");
    }

    pub fn stream(&self) -> &UnixStream {
        &self.stream
    }

    pub fn send_bytes(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).expect("write to lunad");
    }

    /// Writes `line` and a newline.
    pub fn send_line(&mut self, line: &str) {
        let mut bytes = Vec::with_capacity(line.len() + 1);
        bytes.extend_from_slice(line.as_bytes());
        bytes.push(b'\n');
        self.send_bytes(&bytes);
    }

    pub fn send(&mut self, request: &Value) {
        self.send_line(&request.to_string());
    }

    /// The next line, or `None` at end of stream. Panics on a timeout.
    pub fn try_read_line(&mut self) -> Option<String> {
        let deadline = Instant::now() + self.timeout;
        loop {
            if let Some(pos) = self.buf.iter().position(|&b| b == b'\n') {
                let mut line: Vec<u8> = self.buf.drain(..=pos).collect();
                line.pop();
                return Some(String::from_utf8(line).expect("lunad sent invalid UTF-8"));
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                panic!(
                    "no line from lunad within {:?} (partial: {:?})",
                    self.timeout,
                    String::from_utf8_lossy(&self.buf[..self.buf.len().min(200)])
                );
            }
            self.stream
                .set_read_timeout(Some(left))
                .expect("set read timeout");
            let mut chunk = [0u8; 64 * 1024];
            match self.stream.read(&mut chunk) {
                Ok(0) => {
                    assert!(
                        self.buf.is_empty(),
                        "stream ended inside a line: {:?}",
                        String::from_utf8_lossy(&self.buf)
                    );
                    return None;
                }
                Ok(n) => self.buf.extend_from_slice(&chunk[..n]),
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock
                            | std::io::ErrorKind::TimedOut
                            | std::io::ErrorKind::Interrupted
                    ) => {}
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return None,
                Err(e) => panic!("read from lunad: {e}"),
            }
        }
    }

    pub fn read_line(&mut self) -> String {
        self.try_read_line()
            .expect("lunad closed the connection unexpectedly")
    }

    /// The next line as JSON.
    pub fn read_json(&mut self) -> Value {
        let line = self.read_line();
        serde_json::from_str(&line).unwrap_or_else(|e| {
            panic!("lunad sent a line that is not JSON ({e}): {}", short(&line))
        })
    }

    /// The next line as JSON, or `None` at end of stream.
    pub fn try_read_json(&mut self) -> Option<Value> {
        let line = self.try_read_line()?;
        Some(serde_json::from_str(&line).unwrap_or_else(|e| {
            panic!("lunad sent a line that is not JSON ({e}): {}", short(&line))
        }))
    }

    /// The reply carrying `id`, skipping events; other replies are kept for later.
    pub fn read_reply(&mut self, id: &Value) -> Value {
        if let Some(pos) = self.pending.iter().position(|r| &r["id"] == id) {
            return self.pending.remove(pos);
        }
        loop {
            let line = self.read_json();
            check_line_shape(&line);
            if line.get("event").is_some() {
                continue;
            }
            if &line["id"] == id {
                return line;
            }
            self.pending.push(line);
        }
    }

    /// Reads until an event named `name`, which it returns; replies are kept, other events
    /// skipped.
    pub fn read_event(&mut self, name: &str) -> Value {
        loop {
            let line = self.read_json();
            check_line_shape(&line);
            if line.get("event").is_some() {
                if line["event"] == name {
                    return line;
                }
            } else {
                self.pending.push(line);
            }
        }
    }

    /// Sends a request (an `id` is added if it has none) and returns its reply.
    pub fn request(&mut self, mut request: Value) -> Value {
        if request.get("id").is_none() {
            self.next_id += 1;
            request["id"] = json!(self.next_id);
        }
        self.send(&request);
        self.read_reply(&request["id"].clone())
    }

    /// Runs a command, asserts success and returns the result.
    pub fn ok(&mut self, cmd: &str, args: Value) -> Value {
        let mut request = json!({ "cmd": cmd });
        if !args.is_null() {
            request["args"] = args;
        }
        let reply = self.request(request.clone());
        assert_eq!(
            reply["ok"],
            true,
            "{} failed: {}",
            short(&request),
            short(&reply)
        );
        reply["result"].clone()
    }

    /// Runs a command and returns its error object, asserting that it failed.
    pub fn err(&mut self, request: Value) -> Value {
        let reply = self.request(request.clone());
        assert_eq!(
            reply["ok"],
            false,
            "{} unexpectedly succeeded: {}",
            short(&request),
            short(&reply)
        );
        assert!(
            reply.get("result").is_none(),
            "an error with a result: {}",
            short(&reply)
        );
        reply["error"].clone()
    }

    /// Asserts that the server closes the connection with nothing more to say.
    pub fn expect_eof(&mut self) {
        if let Some(line) = self.try_read_line() {
            panic!("expected end of stream, got: {}", short(&line));
        }
    }
}

/// Replies carry `id` and `ok` and never `event`; events carry `event`, `seq`, `data` and never
/// `ok`.
pub fn check_line_shape(line: &Value) {
    let obj = line
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {}", short(line)));
    if obj.contains_key("event") {
        assert!(
            !obj.contains_key("ok"),
            "an event with an ok key: {}",
            short(line)
        );
        assert!(
            obj["seq"].is_u64(),
            "an event without a seq: {}",
            short(line)
        );
        assert!(
            obj.contains_key("data"),
            "an event without data: {}",
            short(line)
        );
    } else {
        assert!(
            obj.contains_key("id"),
            "a reply without an id: {}",
            short(line)
        );
        assert!(
            obj["ok"].is_boolean(),
            "a reply without ok: {}",
            short(line)
        );
        if obj["ok"] == true {
            assert!(
                obj.contains_key("result") && !obj.contains_key("error"),
                "{}",
                short(line)
            );
        } else {
            let error = &obj["error"];
            assert!(
                error["code"].is_string()
                    && error["message"].is_string()
                    && error["retryable"].is_boolean(),
                "malformed error: {}",
                short(line)
            );
        }
    }
}

/// At most 400 characters of `value`'s text: logos in failure messages would be megabytes.
pub fn short(value: &impl std::fmt::Display) -> String {
    let text = value.to_string();
    match text.char_indices().nth(400) {
        Some((cut, _)) => format!("{}… ({} bytes)", &text[..cut], text.len()),
        None => text,
    }
}

/// Decodes a generate/file result's `data` according to its `encoding`.
pub fn decode_data(result: &Value) -> Vec<u8> {
    use base64::Engine as _;
    let data = result["data"].as_str().expect("data is a string");
    match result["encoding"].as_str() {
        Some("utf8") => data.as_bytes().to_vec(),
        Some("base64") => base64::engine::general_purpose::STANDARD
            .decode(data)
            .expect("valid base64"),
        other => panic!("unknown encoding {other:?} in {result}"),
    }
}

/// Milliseconds since the Unix epoch of an RFC 3339 UTC timestamp like
/// `2026-11-25T19:32:07.123Z`; panics if it is not one.
pub fn parse_rfc3339_utc(text: &str) -> u64 {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> u64 {
        let s = &text[r];
        assert!(
            s.bytes().all(|c| c.is_ascii_digit()),
            "not RFC 3339: {text}"
        );
        s.parse().unwrap()
    };
    assert!(
        b.len() >= 20
            && b[4] == b'-'
            && b[7] == b'-'
            && b[10] == b'T'
            && b[13] == b':'
            && b[16] == b':'
            && text.ends_with('Z'),
        "not an RFC 3339 UTC timestamp: {text}"
    );
    let (year, month, day) = (digits(0..4), digits(5..7), digits(8..10));
    let (hour, min, sec) = (digits(11..13), digits(14..16), digits(17..19));
    assert!((1..=12).contains(&month) && (1..=31).contains(&day) && hour < 24 && min < 60);
    let frac_ms = if b[19] == b'.' {
        let frac = &text[20..text.len() - 1];
        assert!(!frac.is_empty() && frac.bytes().all(|c| c.is_ascii_digit()));
        let padded = format!("{frac:0<3}");
        padded[..3].parse::<u64>().unwrap()
    } else {
        assert_eq!(b.len(), 20, "not RFC 3339: {text}");
        0
    };
    // Days from civil (Howard Hinnant's algorithm).
    let (y, m) = if month <= 2 {
        (year as i64 - 1, month + 9)
    } else {
        (year as i64, month - 3)
    };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m as i64 + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    ((days * 86_400) as u64 + hour * 3600 + min * 60 + sec) * 1000 + frac_ms
}

pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// Polls `condition` every 10 ms until it holds; panics with `what` after `timeout`.
pub fn wait_until(timeout: Duration, what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !condition() {
        if Instant::now() > deadline {
            panic!("timed out after {timeout:?} waiting for {what}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// A small deterministic PRNG (xorshift64*), so failures can be replayed from a printed seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    /// Seeded from `LUNA_TEST_SEED` if set, else the clock; prints the seed.
    pub fn from_env(what: &str) -> Rng {
        let seed = std::env::var("LUNA_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| now_ms() ^ u64::from(std::process::id()) << 32);
        eprintln!("{what}: LUNA_TEST_SEED={seed}");
        Rng::new(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `lo..hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.next_u64() as usize % items.len()]
    }

    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next_u64() as u8).collect()
    }
}

pub const VARIANTS: [&str; 5] = ["serenity", "power", "mystery", "awakening", "creative"];
pub const STYLES: [&str; 8] = [
    "simple",
    "advanced",
    "simple_advanced",
    "dashboard",
    "ai_moon",
    "ultra_max",
    "realism",
    "ultimate",
];
