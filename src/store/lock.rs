//! The project lock file: one writer per project; a lock left by a dead process is reported, not broken.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Held while a process may write the project; removes the lock file when dropped.
#[derive(Debug)]
pub struct ProjectLock {
    path: PathBuf,
}

/// What a lock file says about its owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockOwner {
    pub pid: u32,
    pub host: String,
    pub since: String,
}

fn host_name() -> String {
    fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .unwrap_or_else(|| "this computer".into())
}

/// Whether a process is alive, where the platform lets us tell (Linux: /proc). Unknown counts as alive.
fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        true
    }
}

fn parse_owner(text: &str) -> Option<LockOwner> {
    let mut pid = None;
    let mut host = None;
    let mut since = None;
    for line in text.lines() {
        let (key, value) = line.split_once('=')?;
        match key.trim() {
            "pid" => pid = value.trim().parse().ok(),
            "host" => host = Some(value.trim().to_string()),
            "since" => since = Some(value.trim().to_string()),
            _ => {}
        }
    }
    Some(LockOwner {
        pid: pid?,
        host: host.unwrap_or_default(),
        since: since.unwrap_or_default(),
    })
}

/// True when a lock file exists and its process is (or may be) alive.
pub fn held_by_live_process(path: &Path) -> bool {
    match ProjectLock::owner(path) {
        Some(owner) => owner.host != host_name() || process_alive(owner.pid),
        None => false,
    }
}

impl ProjectLock {
    /// Takes the lock at `path`, or explains who holds it.
    pub fn acquire(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        let since = crate::now()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        let content = format!(
            "pid={}\nhost={}\nsince={since}\n",
            std::process::id(),
            host_name()
        );
        match OpenOptions::new().write(true).create_new(true).open(path) {
            Ok(mut file) => {
                file.write_all(content.as_bytes())
                    .and_then(|()| file.sync_all())
                    .map_err(|e| Error::io(path, e))?;
                Ok(Self {
                    path: path.to_path_buf(),
                })
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let text = fs::read_to_string(path).unwrap_or_default();
                let Some(owner) = parse_owner(&text) else {
                    return Err(Error::invalid(
                        path,
                        "unreadable lock file; if no other Marginalia uses this project, remove it with `marginalia unlock`",
                    ));
                };
                let here = owner.host == host_name();
                if owner.pid == std::process::id() && here {
                    return Err(Error::Locked {
                        path: path.into(),
                        pid: owner.pid,
                        host: owner.host,
                        since: owner.since,
                    });
                }
                if here && !process_alive(owner.pid) {
                    Err(Error::StaleLock {
                        path: path.into(),
                        pid: owner.pid,
                        host: owner.host,
                    })
                } else {
                    Err(Error::Locked {
                        path: path.into(),
                        pid: owner.pid,
                        host: owner.host,
                        since: owner.since,
                    })
                }
            }
            Err(e) => Err(Error::io(path, e)),
        }
    }

    /// Reads who holds a lock, if anyone.
    pub fn owner(path: &Path) -> Option<LockOwner> {
        parse_owner(&fs::read_to_string(path).ok()?)
    }

    /// Removes a lock file left behind; refuses while its process is alive on this computer.
    pub fn break_stale(path: &Path) -> Result<bool> {
        let Some(owner) = Self::owner(path) else {
            return match fs::remove_file(path) {
                Ok(()) => Ok(true),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
                Err(e) => Err(Error::io(path, e)),
            };
        };
        if owner.host == host_name() && process_alive(owner.pid) && owner.pid != std::process::id()
        {
            return Err(Error::Locked {
                path: path.into(),
                pid: owner.pid,
                host: owner.host,
                since: owner.since,
            });
        }
        fs::remove_file(path).map_err(|e| Error::io(path, e))?;
        Ok(true)
    }
}

impl Drop for ProjectLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_is_refused_and_released_on_drop() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("lock");
        let lock = ProjectLock::acquire(&path).expect("first lock");
        let err = ProjectLock::acquire(&path).expect_err("second lock must fail");
        assert!(matches!(err, Error::Locked { .. }), "{err}");
        drop(lock);
        assert!(!path.exists());
        ProjectLock::acquire(&path).expect("lock again after release");
    }

    #[test]
    fn a_dead_process_lock_is_reported_as_stale_and_can_be_broken() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("lock");
        // PIDs above the kernel's pid_max never run.
        fs::write(
            &path,
            format!(
                "pid=4194999\nhost={}\nsince=2026-01-01T00:00:00Z\n",
                host_name()
            ),
        )
        .expect("write");
        let err = ProjectLock::acquire(&path).expect_err("stale lock must be reported");
        if cfg!(target_os = "linux") {
            assert!(
                matches!(err, Error::StaleLock { pid: 4_194_999, .. }),
                "{err}"
            );
            assert!(err.to_string().contains("marginalia unlock"));
        }
        assert!(path.exists(), "a stale lock is never broken silently");
        assert!(ProjectLock::break_stale(&path).expect("break"));
        ProjectLock::acquire(&path).expect("lock after unlock");
    }
}
