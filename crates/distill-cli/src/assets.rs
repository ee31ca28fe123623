//! Where the shipped digits and teacher live in the repository, and reading them.

use std::io::Read;
use std::path::{Path, PathBuf};

use distill_core::burn::prelude::Device;
use distill_core::scenario::{DIGITS_PATH, DigitsAssets, TEACHER_PATH};
use futures_lite::future::block_on;

pub fn root() -> PathBuf {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.ancestors().nth(2).unwrap_or(manifest).to_path_buf()
}

/// The shipped digits, gzipped as the page fetches them.
pub fn digits() -> PathBuf {
    root().join("www").join(DIGITS_PATH)
}

pub fn teacher() -> PathBuf {
    root().join("www").join(TEACHER_PATH)
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

/// The digits lab's files, decoded and checked as the page checks them.
pub fn load_digits(digits_file: &Path, teacher_file: &Path) -> Result<DigitsAssets, String> {
    let digits = read(digits_file)?;
    let teacher_weights = std::fs::read(teacher_file).map_err(|e| format!("{}: {e}", teacher_file.display()))?;
    let assets = DigitsAssets::decode(&digits, &digits_file.display().to_string(), teacher_weights)?;
    block_on(assets.check_teacher(&teacher_file.display().to_string(), &Device::flex()))?;
    Ok(assets)
}

/// The shipped digits lab's files.
pub fn shipped_digits() -> Result<DigitsAssets, String> {
    load_digits(&digits(), &teacher())
}
