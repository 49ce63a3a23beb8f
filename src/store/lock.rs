//! The project lock file: one writer per project. A lock whose process is provably dead (same computer, and
//! no such process, or a process with that id started later: the id was reused) is cleared automatically.

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
    /// The owning process's id.
    pub pid: u32,
    /// The name of the computer the owner runs on.
    pub host: String,
    /// When the lock was taken (RFC 3339).
    pub since: String,
    /// When the owning process started, as the platform identifies it (empty when unknown).
    pub started: String,
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

/// Whether a process with this id exists. Unknown counts as alive.
fn process_alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Some(pid) = i32::try_from(pid)
            .ok()
            .and_then(rustix::process::Pid::from_raw)
        else {
            return false;
        };
        // Signal 0 checks existence; EPERM means it exists but belongs to someone else.
        !matches!(
            rustix::process::test_kill_process(pid),
            Err(rustix::io::Errno::SRCH)
        )
    }
    #[cfg(windows)]
    {
        std::process::Command::new("tasklist")
            .args(["/FI", &format!("PID eq {pid}"), "/NH", "/FO", "CSV"])
            .output()
            .map(|out| String::from_utf8_lossy(&out.stdout).contains(&format!("\"{pid}\"")))
            .unwrap_or(true)
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = pid;
        true
    }
}

/// An identity of a process's start (so a reused id is told apart), or "" where it cannot be read.
fn process_started(pid: u32) -> String {
    #[cfg(target_os = "linux")]
    {
        // Field 22 of /proc/PID/stat: start time in clock ticks since boot; the boot id tells boots apart.
        let boot = fs::read_to_string("/proc/sys/kernel/random/boot_id").unwrap_or_default();
        let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
        let start = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(19))
            .unwrap_or("");
        if start.is_empty() {
            return String::new();
        }
        format!("{}:{start}", boot.trim())
    }
    #[cfg(target_os = "macos")]
    {
        std::process::Command::new("ps")
            .args(["-o", "lstart=", "-p", &pid.to_string()])
            .output()
            .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
            .unwrap_or_default()
    }
    #[cfg(not(any(target_os = "linux", target_os = "macos")))]
    {
        let _ = pid;
        String::new()
    }
}

fn parse_owner(text: &str) -> Option<LockOwner> {
    let mut owner = LockOwner {
        pid: 0,
        host: String::new(),
        since: String::new(),
        started: String::new(),
    };
    let mut pid = None;
    for line in text.lines() {
        let (key, value) = line.split_once('=')?;
        let value = value.trim().to_string();
        match key.trim() {
            "pid" => pid = value.parse().ok(),
            "host" => owner.host = value,
            "since" => owner.since = value,
            "started" => owner.started = value,
            _ => {}
        }
    }
    owner.pid = pid?;
    Some(owner)
}

/// How often a lock that vanished between a failed link and reading its owner is tried again.
const VANISHED_LOCK_ATTEMPTS: usize = 20;

/// Where a process writes its lock before linking it in: beside the lock, named by the process and a counter
/// (threads of one process take locks too).
fn staging_path(path: &Path, pid: u32) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{pid}.{n}.new"));
    path.with_file_name(name)
}

impl LockOwner {
    /// True when the owner certainly no longer runs: same computer, and no such process, or a process with
    /// that id that started at another time (the id was reused, e.g. after a reboot).
    pub fn is_provably_dead(&self) -> bool {
        if self.host != host_name() || self.pid == std::process::id() {
            return false;
        }
        if !process_alive(self.pid) {
            return true;
        }
        !self.started.is_empty() && {
            let now = process_started(self.pid);
            !now.is_empty() && now != self.started
        }
    }
}

/// True when a lock file exists and its process may be alive.
pub fn held_by_live_process(path: &Path) -> bool {
    ProjectLock::owner(path).is_some_and(|owner| !owner.is_provably_dead())
}

impl ProjectLock {
    /// Takes the lock at `path` (clearing one whose owner is provably dead), or explains who holds it.
    pub fn acquire(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        match Self::create(path) {
            Err(Error::Locked { .. } | Error::StaleLock { .. }) if Self::clear_dead(path)? => {
                Self::create(path)
            }
            other => other,
        }
    }

    fn create(path: &Path) -> Result<Self> {
        let since = crate::now()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        let pid = std::process::id();
        let content = format!(
            "pid={pid}\nhost={}\nsince={since}\nstarted={}\n",
            host_name(),
            process_started(pid)
        );
        // The lock appears with its owner already written: the content goes to a file of this process's own,
        // which is then linked in under the lock's name (a link fails when the name exists). Creating the lock
        // file and writing it afterwards left an empty, unreadable lock behind a kill between the two, and let
        // another process read it empty meanwhile.
        let staged = staging_path(path, pid);
        let written = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&staged)
            .and_then(|mut file| {
                file.write_all(content.as_bytes())?;
                file.sync_all()
            });
        if let Err(e) = written {
            let _ = fs::remove_file(&staged);
            return Err(Error::io(&staged, e));
        }
        // A lock released between our failed link and reading its owner is simply tried again (a few times:
        // another process may take and release it meanwhile); only a lock that stays there is a refusal.
        let mut attempts = 0;
        let result = loop {
            attempts += 1;
            match fs::hard_link(&staged, path) {
                Ok(()) => {
                    break Ok(Self {
                        path: path.to_path_buf(),
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    match fs::read_to_string(path) {
                        Err(gone)
                            if gone.kind() == std::io::ErrorKind::NotFound
                                && attempts < VANISHED_LOCK_ATTEMPTS =>
                        {
                            continue;
                        }
                        text => break Err(Self::refusal(path, text.ok().as_deref())),
                    }
                }
                // A file system without links (some network and FUSE mounts): create, then write.
                Err(_) => break Self::create_in_place(path, &content),
            }
        };
        let _ = fs::remove_file(&staged);
        result
    }

    /// Creates the lock file and then writes it (only where links are not available).
    fn create_in_place(path: &Path, content: &str) -> Result<Self> {
        match OpenOptions::new().write(true).create_new(true).open(path) {
            Ok(mut file) => {
                file.write_all(content.as_bytes())
                    .and_then(|()| file.sync_all())
                    .map_err(|e| Error::io(path, e))?;
                Ok(Self {
                    path: path.to_path_buf(),
                })
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(Self::refusal(
                path,
                fs::read_to_string(path).ok().as_deref(),
            )),
            Err(e) => Err(Error::io(path, e)),
        }
    }

    /// Why the lock at `path` cannot be taken.
    fn refusal(path: &Path, text: Option<&str>) -> Error {
        match text.and_then(parse_owner) {
            Some(owner) if owner.is_provably_dead() => Error::StaleLock {
                path: path.into(),
                pid: owner.pid,
                host: owner.host,
            },
            Some(owner) => Error::Locked {
                path: path.into(),
                pid: owner.pid,
                host: owner.host,
                since: owner.since,
            },
            None => Error::invalid(
                path,
                "unreadable lock file; if no other Marginalia uses this project, remove it with `marginalia unlock`",
            ),
        }
    }

    /// Removes the lock when its owner is provably dead; true when it was removed.
    fn clear_dead(path: &Path) -> Result<bool> {
        let Ok(text) = fs::read_to_string(path) else {
            return Ok(false);
        };
        if !parse_owner(&text).is_some_and(|o| o.is_provably_dead()) {
            return Ok(false);
        }
        // Only remove the very lock we judged (another process may have just replaced it).
        if fs::read_to_string(path).ok().as_deref() != Some(text.as_str()) {
            return Ok(false);
        }
        match fs::remove_file(path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
            Err(e) => Err(Error::io(path, e)),
        }
    }

    /// Reads who holds a lock, if anyone.
    pub fn owner(path: &Path) -> Option<LockOwner> {
        parse_owner(&fs::read_to_string(path).ok()?)
    }

    /// Removes a lock file left behind (`marginalia unlock`); refuses while its owner certainly runs on this
    /// computer. A lock from another computer is removed: the user says its owner is gone.
    pub fn break_stale(path: &Path) -> Result<bool> {
        if let Some(owner) = Self::owner(path)
            && owner.host == host_name()
            && owner.pid != std::process::id()
            && !owner.is_provably_dead()
        {
            return Err(Error::Locked {
                path: path.into(),
                pid: owner.pid,
                host: owner.host,
                since: owner.since,
            });
        }
        match fs::remove_file(path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(Error::io(path, e)),
        }
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
        // The lock appeared whole (its owner written before it was linked in), and nothing else is left.
        assert!(ProjectLock::owner(&path).is_some_and(|o| o.pid == std::process::id()));
        let names: Vec<_> = fs::read_dir(dir.path())
            .expect("dir")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("lock")]);
        let err = ProjectLock::acquire(&path).expect_err("second lock must fail");
        assert!(matches!(err, Error::Locked { .. }), "{err}");
        drop(lock);
        assert!(!path.exists());
        ProjectLock::acquire(&path).expect("lock again after release");
    }

    #[test]
    fn a_lock_released_while_another_is_refused_is_never_unreadable() {
        // Many takers of one lock, each releasing it at once: a taker whose link failed may find the lock gone
        // when it reads the owner; it must try again, never call the lock unreadable.
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("lock");
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| {
                    for _ in 0..300 {
                        match ProjectLock::acquire(&path) {
                            Ok(lock) => drop(lock),
                            Err(Error::Locked { .. }) => {}
                            Err(other) => panic!("a lock taker failed: {other}"),
                        }
                    }
                });
            }
        });
        assert!(!path.exists());
        assert_eq!(
            fs::read_dir(dir.path()).expect("dir").count(),
            0,
            "no staged files are left"
        );
    }

    fn write_lock(path: &Path, pid: u32, started: &str) {
        let text = format!(
            "pid={pid}\nhost={}\nsince=2026-01-01T00:00:00Z\nstarted={started}\n",
            host_name()
        );
        fs::write(path, text).expect("write");
    }

    #[cfg(unix)]
    #[test]
    fn a_dead_process_lock_is_cleared_automatically() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("lock");
        // PIDs above the kernel's pid_max never run.
        write_lock(&path, 4_194_999, "");
        let lock = ProjectLock::acquire(&path).expect("a provably dead owner's lock is cleared");
        assert_eq!(
            ProjectLock::owner(&path).map(|o| o.pid),
            Some(std::process::id())
        );
        drop(lock);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_reused_pid_is_recognised_and_unlock_removes_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("lock");
        // PID 1 is alive, but it did not start at this (made-up) time: the lock's owner is gone.
        write_lock(&path, 1, "00000000-0000-0000-0000-000000000000:1");
        assert!(!held_by_live_process(&path));
        ProjectLock::acquire(&path).expect("reused pid: cleared");
        // A lock of a live process with an unknown start time is respected, and unlock refuses it.
        let path = dir.path().join("lock2");
        write_lock(&path, 1, "");
        assert!(matches!(
            ProjectLock::acquire(&path),
            Err(Error::Locked { pid: 1, .. })
        ));
        assert!(ProjectLock::break_stale(&path).is_err());
    }

    #[test]
    fn a_lock_from_another_computer_is_never_cleared_automatically() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("lock");
        fs::write(&path, "pid=12\nhost=another-laptop\nsince=x\n").expect("write");
        assert!(matches!(
            ProjectLock::acquire(&path),
            Err(Error::Locked { .. })
        ));
        assert!(ProjectLock::break_stale(&path).expect("unlock"));
    }
}
