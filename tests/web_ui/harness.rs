//! The browser harness of the web UI test: chromedriver and headless Chromium in their own
//! process group, and WebDriver helpers that wait for, read and fetch from the page.
//! `web_docs.rs` uses it too, and not every helper.

#![allow(dead_code)]

use crate::support::free_port;
use fantoccini::{Client, Locator};
use serde_json::{Value, json};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The longest any single condition is waited for.
pub const WAIT: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------------------------------------
// chromedriver and Chromium

/// chromedriver in its own process group, with Chromium under it. Dropping it (test passed or
/// not) kills the whole group, so no browser outlives the test.
pub struct Driver {
    child: Child,
    port: u16,
    log: PathBuf,
    profile: tempfile::TempDir,
}

impl Driver {
    pub fn start(dir: &Path) -> Driver {
        for binary in [CHROMIUM, CHROMEDRIVER] {
            assert!(
                Path::new(binary).exists(),
                "{binary} is missing: run .ci/install-deps (Debian packages chromium and chromium-driver)"
            );
        }
        // A free port can be taken between the probe and chromedriver's bind: try a few.
        let mut failures = Vec::new();
        for attempt in 0..3 {
            let port = free_port();
            let log = dir.join(format!("chromedriver-{attempt}.log"));
            let child = Command::new(CHROMEDRIVER)
                .arg(format!("--port={port}"))
                .arg(format!("--log-path={}", log.display()))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .process_group(0)
                .spawn()
                .unwrap_or_else(|e| panic!("spawn {CHROMEDRIVER}: {e}; run .ci/install-deps"));
            let mut driver = Driver {
                child,
                port,
                log,
                profile: tempfile::Builder::new()
                    .prefix("luna-chromium-")
                    .tempdir()
                    .unwrap(),
            };
            match driver.wait_ready() {
                Ok(()) => return driver,
                // Dropping the driver kills it.
                Err(e) => failures.push(e),
            }
        }
        panic!("chromedriver did not start: {failures:?}")
    }

    fn wait_ready(&mut self) -> Result<(), String> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(2)))
            .build()
            .into();
        let deadline = Instant::now() + WAIT;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("chromedriver exited with {status}"));
            }
            if let Ok(mut reply) = agent.get(format!("{}/status", self.url())).call()
                && let Ok(body) = reply.body_mut().read_to_string()
                && serde_json::from_str::<Value>(&body).is_ok_and(|b| b["value"]["ready"] == true)
            {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("not ready on port {} within {WAIT:?}", self.port));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn capabilities(&self) -> serde_json::Map<String, Value> {
        let profile = format!("--user-data-dir={}", self.profile.path().display());
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--window-size=1280,900",
                    "--lang=en-GB", profile,
                ],
            },
            "goog:loggingPrefs": { "browser": "ALL" },
        });
        caps.as_object().unwrap().clone()
    }

    /// A chromedriver extension endpoint of the session (`se/log`, `goog/cdp/execute`), which
    /// fantoccini does not wrap.
    pub fn extension(&self, session: &str, endpoint: &str, body: Value) -> Value {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(WAIT))
            .build()
            .into();
        let mut reply = agent
            .post(format!("{}/session/{session}/{endpoint}", self.url()))
            .header("content-type", "application/json")
            .send(body.to_string())
            .unwrap_or_else(|e| panic!("chromedriver {endpoint}: {e}"));
        let text = reply.body_mut().read_to_string().unwrap();
        let mut reply: Value = serde_json::from_str(&text).unwrap();
        reply["value"].take()
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let group = -(self.child.id() as i32);
        // SAFETY: signalling a process group this test created.
        unsafe { libc::kill(group, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(2);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        // SAFETY: as above; whatever is left of the group (Chromium's helpers) goes too.
        unsafe { libc::kill(group, libc::SIGKILL) };
        let _ = self.child.wait();
        if std::thread::panicking()
            && let Ok(text) = std::fs::read_to_string(&self.log)
        {
            let tail: Vec<&str> = text.lines().rev().take(40).collect();
            eprintln!("--- chromedriver log (last lines) ---");
            for line in tail.iter().rev() {
                eprintln!("{line}");
            }
        }
    }
}

/// Runs `script` (a function body that returns a value) until it returns something truthy.
pub async fn wait_for(browser: &Client, what: &str, script: &str, args: Vec<Value>) -> Value {
    let deadline = Instant::now() + WAIT;
    loop {
        let value = browser
            .execute(script, args.clone())
            .await
            .unwrap_or_else(|e| panic!("script for {what}: {e}"));
        let truthy = match &value {
            Value::Null | Value::Bool(false) => false,
            Value::String(s) => !s.is_empty(),
            _ => true,
        };
        if truthy {
            return value;
        }
        if Instant::now() > deadline {
            panic!("timed out after {WAIT:?} waiting for {what} (last value {value})");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The preview's `src` once it names `needle` and has really loaded (decoded, with a size).
pub async fn preview_loaded(browser: &Client, needle: &str) -> String {
    let src = wait_for(
        browser,
        &format!("the preview to load a URL containing {needle}"),
        r#"const img = document.getElementById("preview");
           const src = img.getAttribute("src") || "";
           return src.includes(arguments[0]) && img.complete && img.naturalWidth > 0
               && document.getElementById("stage").getAttribute("aria-busy") === "false"
               ? src : null;"#,
        vec![json!(needle)],
    )
    .await;
    src.as_str().unwrap().to_owned()
}

/// Fetches `url` from inside the page (same origin, under the page's CSP).
pub async fn fetch_in_page(browser: &Client, url: &str) -> Value {
    browser
        .execute_async(
            r#"const [url, done] = arguments;
               fetch(url, { cache: "no-store" })
                 .then(async (r) => {
                   const bytes = new Uint8Array(await r.arrayBuffer());
                   done({ status: r.status, type: r.headers.get("content-type"),
                          length: bytes.length, head: Array.from(bytes.slice(0, 24)) });
                 })
                 .catch((e) => done({ error: String(e) }));"#,
            vec![json!(url)],
        )
        .await
        .unwrap_or_else(|e| panic!("fetch {url} in the page: {e}"))
}

pub fn bytes(value: &Value) -> Vec<u8> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_u64().unwrap() as u8)
        .collect()
}

pub async fn text_of(browser: &Client, id: &str) -> String {
    browser
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("#{id}: {e}"))
        .text()
        .await
        .unwrap()
}

pub async fn attr(browser: &Client, id: &str, name: &str) -> Option<String> {
    browser
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("#{id}: {e}"))
        .attr(name)
        .await
        .unwrap()
}

pub async fn stat_total(browser: &Client) -> Option<u64> {
    text_of(browser, "stat-total")
        .await
        .replace(',', "")
        .parse()
        .ok()
}

/// Writes `docs/ui.png`: the page at a 1280×900 viewport.
pub async fn screenshot(browser: &Client) {
    browser.set_window_size(1280, 900).await.unwrap();
    let inner = browser
        .execute("return [window.innerWidth, window.innerHeight];", vec![])
        .await
        .unwrap();
    let (w, h) = (inner[0].as_u64().unwrap(), inner[1].as_u64().unwrap());
    if (w, h) != (1280, 900) {
        browser
            .set_window_size(1280 + (1280 - w as u32), 900 + (900 - h as u32))
            .await
            .unwrap();
    }
    preview_loaded(browser, "logo/").await;
    // Let the relative "last generation" time and the bars settle.
    tokio::time::sleep(Duration::from_millis(600)).await;
    let png = browser.screenshot().await.unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ui.png");
    std::fs::write(&path, &png).unwrap();
    eprintln!("wrote {}", path.display());
}
