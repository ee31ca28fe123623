//! Where the shipped digits and teacher live in the repository.

use std::io::Read;
use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.ancestors().nth(2).unwrap_or(manifest).to_path_buf()
}

/// The shipped digits, gzipped as the page fetches them.
pub fn digits() -> PathBuf {
    root().join("www/data/digits.bin.gz")
}

/// A file's bytes, unpacked when its name ends in `.gz`.
pub fn read(path: &Path) -> Result<Vec<u8>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if path.extension().is_none_or(|ext| ext != "gz") {
        return Ok(bytes);
    }
    let mut unpacked = Vec::new();
    flate2::read::GzDecoder::new(bytes.as_slice())
        .read_to_end(&mut unpacked)
        .map_err(|e| format!("{}: it does not unpack as gzip: {e}", path.display()))?;
    Ok(unpacked)
}

pub fn teacher() -> PathBuf {
    root().join("www/models/digits-teacher.bpk")
}
