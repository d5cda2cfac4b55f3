//! Time helpers: RFC 3339 timestamps, the wall clock in milliseconds, and polling until a
//! condition holds.

use std::time::{Duration, Instant};

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
