//! Path completion for the export dialog: Tab completes the last component like a shell does.

use std::path::{Path, PathBuf};

/// The result of one Tab.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Completion {
    /// The typed text, completed as far as it is unambiguous.
    pub text: String,
    /// The names that still match when there is more than one (directories end in `/`).
    pub candidates: Vec<String>,
}

/// The path `typed` names: `~/` is the home directory; relative paths start at `cwd`.
pub fn resolve(typed: &str, cwd: &Path, home: Option<&Path>) -> PathBuf {
    match (typed.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => home.join(rest),
        _ if typed == "~" && home.is_some() => home.unwrap_or(cwd).to_path_buf(),
        _ => cwd.join(typed),
    }
}

/// Completes the last component of `typed`. Hidden entries are offered only when the
/// component starts with a dot.
pub fn complete(typed: &str, cwd: &Path, home: Option<&Path>) -> Completion {
    let (dir_part, prefix) = match typed.rfind('/') {
        Some(i) => typed.split_at(i + 1),
        None => ("", typed),
    };
    let dir = resolve(dir_part, cwd, home);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            if !name.starts_with(prefix) || (name.starts_with('.') && !prefix.starts_with('.')) {
                return None;
            }
            // Follows symlinks, so a link to a directory completes like one.
            let is_dir = std::fs::metadata(entry.path()).is_ok_and(|m| m.is_dir());
            Some(if is_dir { name + "/" } else { name })
        })
        .collect();
    names.sort();
    match names.as_slice() {
        [] => Completion {
            text: typed.to_owned(),
            candidates: Vec::new(),
        },
        [only] => Completion {
            text: format!("{dir_part}{only}"),
            candidates: Vec::new(),
        },
        [first, rest @ ..] => {
            let common = rest.iter().fold(first.as_str(), |common, name| {
                let len = common
                    .char_indices()
                    .zip(name.chars())
                    .take_while(|((_, a), b)| a == b)
                    .last()
                    .map_or(0, |((i, a), _)| i + a.len_utf8());
                &common[..len]
            });
            Completion {
                text: format!("{dir_part}{common}"),
                candidates: names.clone(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("logos/dark")).unwrap();
        std::fs::create_dir_all(dir.path().join("logbook")).unwrap();
        std::fs::write(dir.path().join("logos/moon.svg"), "").unwrap();
        std::fs::write(dir.path().join(".hidden"), "").unwrap();
        dir
    }

    #[test]
    fn a_unique_match_completes_and_directories_get_a_slash() {
        let dir = tree();
        let done = complete("logos/d", dir.path(), None);
        assert_eq!(done.text, "logos/dark/");
        assert!(done.candidates.is_empty());
        assert_eq!(complete("logos/m", dir.path(), None).text, "logos/moon.svg");
    }

    #[test]
    fn several_matches_complete_the_common_prefix_and_list_them() {
        let dir = tree();
        let done = complete("lo", dir.path(), None);
        assert_eq!(done.text, "log");
        assert_eq!(done.candidates, ["logbook/", "logos/"]);
    }

    #[test]
    fn hidden_files_only_when_asked_and_no_match_changes_nothing() {
        let dir = tree();
        assert_eq!(
            complete("", dir.path(), None).candidates,
            ["logbook/", "logos/"]
        );
        assert_eq!(complete(".h", dir.path(), None).text, ".hidden");
        let done = complete("zzz", dir.path(), None);
        assert_eq!((done.text.as_str(), done.candidates.len()), ("zzz", 0));
        assert_eq!(complete("nope/x", dir.path(), None).text, "nope/x");
    }

    #[test]
    fn tilde_is_home() {
        let dir = tree();
        assert_eq!(
            complete("~/logos/m", Path::new("/"), Some(dir.path())).text,
            "~/logos/moon.svg"
        );
        assert_eq!(
            resolve("~/a.svg", Path::new("/x"), Some(Path::new("/home/u"))),
            Path::new("/home/u/a.svg")
        );
        assert_eq!(
            resolve("a.svg", Path::new("/x"), None),
            Path::new("/x/a.svg")
        );
    }
}
