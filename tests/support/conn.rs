//! The synchronous NDJSON line client of the socket protocol.

use super::{check_line_shape, short};
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::{Duration, Instant};

/// Default read timeout of [`Conn`]: generous, since renders run on a loaded 2-core machine.
pub const READ_TIMEOUT: Duration = Duration::from_secs(30);

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
