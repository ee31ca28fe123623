//! Where the shipped digits and teacher live in the repository.

use std::path::PathBuf;

pub fn root() -> PathBuf {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.ancestors().nth(2).unwrap_or(manifest).to_path_buf()
}

pub fn digits() -> PathBuf {
    root().join("www/data/digits.bin")
}

pub fn teacher() -> PathBuf {
    root().join("www/models/digits-teacher.bpk")
}
