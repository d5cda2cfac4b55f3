//! End-to-end harness for `lunad`: the real binary on a private temporary socket, and a small
//! synchronous line client. Shared by several test binaries, so not every helper is used by each.
#![allow(dead_code)]

mod conn;
mod containers;
mod daemon;
mod env;
mod lines;
mod python;
mod redis;
mod rng;
mod time;

// Each test crate uses a subset of these, so an unused re-export is no warning.
#[allow(unused_imports)]
pub use self::{
    conn::{Conn, READ_TIMEOUT},
    containers::{
        BASE_IMAGE, Container, LUNA_IMAGE, Podman, SYSTEMD_IMAGE, podman, podman_compose,
    },
    daemon::{Daemon, START_TIMEOUT, lunad_bin},
    env::{Env, free_port},
    lines::{check_line_shape, decode_data, short},
    python::pypi_tool,
    redis::{REDIS_PASSWORD, RedisServer},
    rng::{Rng, STYLES, VARIANTS},
    time::{now_ms, parse_rfc3339_utc, wait_until},
};
