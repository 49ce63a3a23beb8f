//! Rebuilds the crate when the embedded sample corpus or codebooks change (include_dir does not track new files).

fn main() {
    println!("cargo:rerun-if-changed=sample_corpus");
    println!("cargo:rerun-if-changed=codebooks");
    println!("cargo:rerun-if-changed=build.rs");
}
