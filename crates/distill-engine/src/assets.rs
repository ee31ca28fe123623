//! The digits lab's shipped files, fetched from the page's own origin once per worker and kept:
//! after the first load the lab works offline.

use std::rc::Rc;

use distill_core::data::{Digits, Split};
use distill_core::protocol::DigitsView;
use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Response;

use crate::clock::scope;

/// Beside the page, so that the app works from any folder it is served from.
pub const DIGITS_PATH: &str = "data/digits.bin";
pub const TEACHER_PATH: &str = "models/digits-teacher.bpk";
/// Test digits per class in the page's gallery.
const GALLERY_PER_CLASS: usize = 3;

pub struct DigitsAssets {
    pub split: Rc<Split>,
    pub teacher_weights: Vec<u8>,
    /// Test rows the page shows, and the images themselves.
    pub gallery_rows: Vec<usize>,
    pub gallery: DigitsView,
}

async fn fetch_bytes(path: &str) -> Result<Vec<u8>, String> {
    let response = JsFuture::from(scope().fetch_with_str(path))
        .await
        .map_err(|_| format!("{path} could not be fetched (is the network or the server down?)"))?;
    let response: Response = response.dyn_into().map_err(|_| format!("{path}: the fetch returned no response"))?;
    if !response.ok() {
        return Err(format!("{path} is missing on the server (HTTP {})", response.status()));
    }
    let body = response.array_buffer().map_err(|_| format!("{path}: its body cannot be read"))?;
    let buffer: ArrayBuffer = JsFuture::from(body)
        .await
        .map_err(|_| format!("{path} stopped downloading part-way"))?
        .dyn_into()
        .map_err(|_| format!("{path}: its body is not bytes"))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// Fetches and checks both files. Errors are whole sentences for the page.
pub async fn load_digits() -> Result<Rc<DigitsAssets>, String> {
    let (digits, teacher) = futures::join!(fetch_bytes(DIGITS_PATH), fetch_bytes(TEACHER_PATH));
    let digits = digits.map_err(|e| format!("The digits data could not be loaded: {e}."))?;
    let teacher_weights = teacher.map_err(|e| format!("The digits teacher could not be loaded: {e}."))?;
    let digits = Digits::decode(&digits).map_err(|e| format!("The digits data file ({DIGITS_PATH}) is damaged: {e}."))?;
    let split = digits.split();
    let gallery_rows = Digits::gallery_rows(&split.test.labels, split.test.classes, GALLERY_PER_CLASS);
    let image = split.test.dims;
    let gallery = DigitsView {
        width: digits.width,
        height: digits.height,
        pixels: gallery_rows
            .iter()
            .flat_map(|&row| split.test.features[row * image..(row + 1) * image].iter())
            .map(|&v| (v * 255.0).round().clamp(0.0, 255.0) as u8)
            .collect(),
        labels: gallery_rows.iter().map(|&row| split.test.labels[row] as u8).collect(),
    };
    Ok(Rc::new(DigitsAssets { split: Rc::new(split), teacher_weights, gallery_rows, gallery }))
}
