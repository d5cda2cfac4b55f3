//! HTTP test helpers: a real lunad with its HTTP listener on a loopback port it picked itself, and a real
//! HTTP client (ureq) that reports every status instead of treating 4xx/5xx as errors.
#![allow(dead_code)]

use crate::support::{Daemon, Env};
use std::collections::HashMap;
use std::sync::Arc;

pub struct Server {
    pub daemon: Daemon,
    pub env: Arc<Env>,
    pub base: String,
    agent: ureq::Agent,
}

pub struct Reply {
    pub status: u16,
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }

    /// The stable error code of a JSON error body.
    pub fn code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

impl Server {
    /// A daemon whose config file holds `config` (TOML), plus any extra environment.
    pub fn start(config: &str, envs: &[(&str, &str)]) -> Server {
        let env = Env::new();
        let config_path = env.write_config("lunad.toml", config);
        // Port 0: lunad binds a port the kernel picks and logs it, so no other process can take
        // it between a probe and lunad's bind.
        let daemon = Daemon::start_in_with(&env, |cmd| {
            cmd.arg("--config")
                .arg(&config_path)
                .arg("--http-listen")
                .arg("127.0.0.1:0");
            for (k, v) in envs {
                cmd.env(k, v);
            }
        });
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let server = Server {
            base: format!("http://{}", daemon.http_addr()),
            daemon,
            env,
            agent,
        };
        // The socket answers before HTTP is guaranteed to; wait for /health.
        for _ in 0..200 {
            if server.try_get("/health").is_some() {
                return server;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        panic!("HTTP never came up on {}", server.base);
    }

    fn try_get(&self, path: &str) -> Option<Reply> {
        self.agent
            .get(format!("{}{path}", self.base))
            .call()
            .ok()
            .map(read)
    }

    pub fn get(&self, path: &str) -> Reply {
        self.get_with(path, &[])
    }

    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut request = self.agent.get(format!("{}{path}", self.base));
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        read(request.call().unwrap_or_else(|e| panic!("GET {path}: {e}")))
    }

    pub fn head(&self, path: &str) -> Reply {
        read(
            self.agent
                .head(format!("{}{path}", self.base))
                .call()
                .unwrap(),
        )
    }

    pub fn post_json(&self, path: &str, body: &str) -> Reply {
        self.post(
            path,
            body.as_bytes(),
            &[("content-type", "application/json")],
        )
    }

    pub fn post(&self, path: &str, body: &[u8], headers: &[(&str, &str)]) -> Reply {
        let mut request = self.agent.post(format!("{}{path}", self.base));
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        read(
            request
                .send(body)
                .unwrap_or_else(|e| panic!("POST {path}: {e}")),
        )
    }

    pub fn delete(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut request = self.agent.delete(format!("{}{path}", self.base));
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        read(request.call().unwrap())
    }

    pub fn request(&self, method: &str, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut builder = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base));
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        let request = builder.body(()).unwrap();
        read(self.agent.run(request).unwrap())
    }
}

fn read(mut response: ureq::http::Response<ureq::Body>) -> Reply {
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                v.to_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let body = response
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_vec()
        .unwrap_or_default();
    Reply {
        status,
        headers,
        body,
    }
}
