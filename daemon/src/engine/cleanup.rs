//! Cleanup: which stored files a request removes. The choice is a pure function of the index and
//! the time, so it is tested without a disk; [`super::Engine::cleanup`] carries it out.

use super::StoredFile;
use std::time::{Duration, SystemTime};

/// Which stored files to remove. With neither limit, every stored file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CleanupRequest {
    /// Only files older than this.
    pub older_than: Option<Duration>,
    /// Remove the oldest files until the rest hold at most this many bytes.
    pub max_total_bytes: Option<u64>,
    /// Report what would be removed without removing it.
    pub dry_run: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CleanupReport {
    /// The removed (or, in a dry run, doomed) names, oldest first.
    pub removed: Vec<String>,
    pub freed_bytes: u64,
    pub remaining: u64,
    pub dry_run: bool,
}

/// The files `request` removes, oldest first. `files` must be sorted oldest first.
pub fn select<'a>(
    files: &'a [StoredFile],
    request: &CleanupRequest,
    now: SystemTime,
) -> Vec<&'a StoredFile> {
    let everything = request.older_than.is_none() && request.max_total_bytes.is_none();
    let mut kept_bytes: u64 = files.iter().map(|f| f.bytes).sum();
    let mut doomed = Vec::new();
    for file in files {
        let too_old = request
            .older_than
            .is_some_and(|age| now.duration_since(file.created).unwrap_or_default() > age);
        let over_budget = request.max_total_bytes.is_some_and(|max| kept_bytes > max);
        if everything || too_old || over_budget {
            kept_bytes -= file.bytes;
            doomed.push(file);
        }
    }
    doomed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Format;

    fn file(name: &str, age_secs: u64, bytes: u64, now: SystemTime) -> StoredFile {
        StoredFile {
            name: name.to_owned(),
            style: "simple".to_owned(),
            variant: "power".to_owned(),
            size: 64,
            format: Format::Svg,
            bytes,
            created: now - Duration::from_secs(age_secs),
        }
    }

    fn names(files: Vec<&StoredFile>) -> Vec<&str> {
        files.iter().map(|f| f.name.as_str()).collect()
    }

    #[test]
    fn no_limit_removes_everything_and_each_limit_only_its_share() {
        let now = SystemTime::now();
        let files = [
            file("a", 300, 100, now),
            file("b", 200, 100, now),
            file("c", 10, 100, now),
        ];
        let all = CleanupRequest::default();
        assert_eq!(names(select(&files, &all, now)), ["a", "b", "c"]);
        let old = CleanupRequest {
            older_than: Some(Duration::from_secs(100)),
            ..CleanupRequest::default()
        };
        assert_eq!(names(select(&files, &old, now)), ["a", "b"]);
        let budget = CleanupRequest {
            max_total_bytes: Some(150),
            ..CleanupRequest::default()
        };
        assert_eq!(names(select(&files, &budget, now)), ["a", "b"]);
        let roomy = CleanupRequest {
            max_total_bytes: Some(300),
            ..CleanupRequest::default()
        };
        assert!(select(&files, &roomy, now).is_empty());
    }

    #[test]
    fn files_from_the_future_are_never_too_old() {
        let now = SystemTime::now();
        let files = [file("ahead", 0, 1, now + Duration::from_secs(3600))];
        let old = CleanupRequest {
            older_than: Some(Duration::from_secs(1)),
            ..CleanupRequest::default()
        };
        assert!(select(&files, &old, now).is_empty());
    }
}
