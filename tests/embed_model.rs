//! Loading the model file: a truncated or altered copy is refused in one line naming the file, and the
//! SHA-256 is computed once per file version (recorded by path, size and modification time), not on every load.
//!
//! The tests with a good copy need the model (`MARGINALIA_MODEL` or `marginalia model fetch`) and are skipped,
//! saying so, without it; the refusals run everywhere.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, SystemTime};

use marginalia::embed::{EmbedError, Embedder, fetch};

fn one_line(e: &EmbedError) -> String {
    let text = e.to_string();
    assert!(!text.contains('\n'), "one line: {text}");
    text
}

#[test]
fn a_truncated_model_is_refused_in_one_line_naming_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("e5-small-q4.bin");
    std::fs::write(
        &path,
        b"E5S1\x01\0\0\0 the rest went missing in the download",
    )
    .unwrap();
    let record = tmp.path().join("verified.txt");
    let e = Embedder::load_verified(&path, Some(&record)).unwrap_err();
    let text = one_line(&e);
    assert!(text.contains("e5-small-q4.bin"), "{text}");
    assert!(text.contains("truncated"), "{text}");
    assert!(
        !record.exists(),
        "a refused file is never recorded as verified"
    );
}

#[test]
fn a_file_of_the_right_size_but_other_content_fails_the_hash_and_is_not_recorded() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("e5-small-q4.bin");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(fetch::MODEL_SIZE).unwrap();
    drop(file);
    let record = tmp.path().join("verified.txt");
    let e = Embedder::load_verified(&path, Some(&record)).unwrap_err();
    let text = one_line(&e);
    assert!(text.contains("SHA-256"), "{text}");
    assert!(text.contains("model fetch"), "{text}");
    assert!(!record.exists());
}

#[test]
fn a_verified_copy_is_recorded_and_an_altered_copy_is_caught_again() {
    let Ok(model) = fetch::require_model() else {
        eprintln!("SKIPPED: no model (set {})", fetch::ENV_VAR);
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("kopi av modellen.bin");
    std::fs::copy(&model, &path).unwrap();
    let record = tmp.path().join("models").join("verified.txt");
    Embedder::load_verified(&path, Some(&record)).unwrap();
    let line = std::fs::read_to_string(&record).unwrap();
    assert!(line.contains(fetch::MODEL_SHA256), "{line}");
    assert!(line.contains("kopi av modellen.bin"), "{line}");
    // Loading again trusts the record (same path, size and time) and still works.
    Embedder::load_verified(&path, Some(&record)).unwrap();

    // One weight byte changed, size kept: the modification time moves, so the hash is computed again.
    let mut bytes = std::fs::read(&path).unwrap();
    let last = bytes.len() - 100;
    bytes[last] ^= 0x55;
    std::fs::write(&path, &bytes).unwrap();
    let later = SystemTime::now() + Duration::from_secs(5);
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(later)
        .unwrap();
    let e = Embedder::load_verified(&path, Some(&record)).unwrap_err();
    let text = one_line(&e);
    assert!(text.contains("SHA-256"), "{text}");
    assert!(text.contains("kopi av modellen.bin"), "{text}");

    // Truncated in place: refused by size before anything else.
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let text = one_line(&Embedder::load_verified(&path, Some(&record)).unwrap_err());
    assert!(text.contains("truncated"), "{text}");
}
