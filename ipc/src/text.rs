//! Words for people, shared by the CLI and the TUI so both report results alike.

use crate::proto::CleanupResult;

/// `5.1 KB`: binary units, one decimal from a kilobyte up.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 3] = ["KB", "MB", "GB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// `removed 3 files, freed 5.1 KB (2 remaining)`, or `would remove …` for a dry run.
pub fn cleanup_summary(r: &CleanupResult) -> String {
    let plural = |n: u64| if n == 1 { "" } else { "s" };
    let (verb, freed) = if r.dry_run {
        ("would remove", "freeing")
    } else {
        ("removed", "freed")
    };
    format!(
        "{verb} {} file{}, {freed} {} ({} remaining)",
        r.removed,
        plural(r.removed),
        human_bytes(r.freed_bytes),
        r.remaining
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_for_people() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(1023), "1023 B");
        assert_eq!(human_bytes(5222), "5.1 KB");
        assert_eq!(human_bytes(1_258_291), "1.2 MB");
        assert_eq!(human_bytes(3 << 30), "3.0 GB");
    }

    #[test]
    fn cleanup_summaries() {
        let mut r = CleanupResult {
            removed: 3,
            freed_bytes: 4096,
            remaining: 1,
            dry_run: false,
            files: vec![],
        };
        assert_eq!(
            cleanup_summary(&r),
            "removed 3 files, freed 4.0 KB (1 remaining)"
        );
        r.dry_run = true;
        r.removed = 1;
        assert_eq!(
            cleanup_summary(&r),
            "would remove 1 file, freeing 4.0 KB (1 remaining)"
        );
    }
}
