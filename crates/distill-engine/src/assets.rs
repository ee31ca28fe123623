//! Fetching the digits and text labs' shipped files from the page's own origin, with progress, and
//! unpacking them; the core decodes and checks them. The worker keeps them once loaded.

use std::cell::Cell;

use distill_core::RunError;
use distill_core::burn::prelude::Device;
use distill_core::data::text::TEXT_PATH;
use distill_core::scenario::{DIGITS_PATH, DigitsAssets, TEACHER_PATH};
use distill_core::text_lab::assets::TextAssets;
use distill_core::text_lab::language_model::TEXT_TEACHER_PATH;
use js_sys::{Array, ArrayBuffer, Function, Reflect, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStream, ReadableStreamDefaultReader, Response};

use crate::clock::scope;

/// Their sizes, for the progress bar when a server sends no length.
const DIGITS_BYTES_HINT: u64 = 1_610_000;
const TEACHER_BYTES_HINT: u64 = 1_340_000;
const TEXT_BYTES_HINT: u64 = 503_513;
const TEXT_TEACHER_BYTES_HINT: u64 = 1_659_842;

/// Fetches `path` whole, reporting `(bytes so far, bytes in all)` as they arrive.
async fn fetch_bytes(path: &str, progress: &dyn Fn(u64, Option<u64>)) -> Result<Vec<u8>, String> {
    let response = JsFuture::from(scope().fetch_with_str(path))
        .await
        .map_err(|_| format!("{path} could not be fetched (is the network or the server down?)"))?;
    let response: Response = response.dyn_into().map_err(|_| format!("{path}: the fetch returned no response"))?;
    if !response.ok() {
        return Err(format!("{path} is missing on the server (HTTP {})", response.status()));
    }
    let total = response.headers().get("content-length").ok().flatten().and_then(|v| v.parse::<u64>().ok());
    let body = response.body().ok_or_else(|| format!("{path}: the response has no body"))?;
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut bytes = Vec::with_capacity(total.unwrap_or(0) as usize);
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(|_| format!("{path} stopped downloading part-way"))?;
        let done = Reflect::get(&chunk, &"done".into()).ok().and_then(|d| d.as_bool()).unwrap_or(true);
        if done {
            return Ok(bytes);
        }
        let value: Uint8Array = Reflect::get(&chunk, &"value".into())
            .map_err(|_| format!("{path}: its body is not bytes"))?
            .dyn_into()
            .map_err(|_| format!("{path}: its body is not bytes"))?;
        bytes.extend(value.to_vec());
        progress(bytes.len() as u64, total);
    }
}

/// Unpacks gzip bytes with the browser's own decompressor. Bytes without gzip's mark are taken as
/// they are: a server that sent the file with `Content-Encoding: gzip` had the browser unpack it.
async fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(bytes.to_vec());
    }
    // DecompressionStream is not among web-sys's stable bindings: reached through JavaScript.
    let constructor: Function = Reflect::get(&js_sys::global(), &"DecompressionStream".into())
        .ok()
        .and_then(|c| c.dyn_into().ok())
        .ok_or_else(|| "this browser cannot unpack gzip".to_string())?;
    let unpacker = Reflect::construct(&constructor, &Array::of1(&"gzip".into()))
        .map_err(|_| "this browser cannot unpack gzip".to_string())?;
    let mut owned = bytes.to_vec();
    let packed =
        Response::new_with_opt_u8_array(Some(&mut owned)).map_err(|_| "the bytes cannot be read".to_string())?;
    let stream = packed.body().ok_or_else(|| "the bytes cannot be read".to_string())?;
    let pipe_through: Function = Reflect::get(&stream, &"pipeThrough".into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| "this browser cannot pipe streams".to_string())?;
    let unpacked: ReadableStream =
        pipe_through.call1(&stream, &unpacker).map_err(|_| "it cannot be unpacked".to_string())?.unchecked_into();
    let response =
        Response::new_with_opt_readable_stream(Some(&unpacked)).map_err(|_| "it cannot be unpacked".to_string())?;
    let body = response.array_buffer().map_err(|_| "it cannot be unpacked".to_string())?;
    let buffer: ArrayBuffer = JsFuture::from(body)
        .await
        .map_err(|_| "it does not unpack as gzip (cut short or corrupted)".to_string())?
        .dyn_into()
        .map_err(|_| "it does not unpack to bytes".to_string())?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// Fetches two files together, reporting the bytes received so far of both (the hints stand in
/// for a length a server does not send).
async fn fetch_pair(
    paths: [&str; 2],
    hints: [u64; 2],
    progress: &impl Fn(u64, u64),
) -> (Result<Vec<u8>, String>, Result<Vec<u8>, String>) {
    let received = Cell::new([0u64; 2]);
    let expected = Cell::new(hints);
    let report = |slot: usize| {
        let (received, expected) = (&received, &expected);
        move |bytes: u64, total: Option<u64>| {
            let mut now = received.get();
            now[slot] = bytes;
            received.set(now);
            let mut all = expected.get();
            all[slot] = total.unwrap_or(all[slot]).max(bytes);
            expected.set(all);
            progress(now.iter().sum(), all.iter().sum());
        }
    };
    let (first, second) = (report(0), report(1));
    futures::join!(fetch_bytes(paths[0], &first), fetch_bytes(paths[1], &second))
}

/// Fetches both files and decodes them. Errors are whole sentences for the page.
pub async fn load_digits(progress: impl Fn(u64, u64)) -> Result<DigitsAssets, RunError> {
    let (digits, teacher) =
        fetch_pair([DIGITS_PATH, TEACHER_PATH], [DIGITS_BYTES_HINT, TEACHER_BYTES_HINT], &progress).await;
    let digits = digits.map_err(|e| RunError::Assets(format!("The digits data could not be loaded: {e}.")))?;
    let teacher_weights =
        teacher.map_err(|e| RunError::Assets(format!("The digits teacher could not be loaded: {e}.")))?;
    let digits = gunzip(&digits)
        .await
        .map_err(|e| RunError::Assets(format!("The digits data file ({DIGITS_PATH}) is damaged: {e}.")))?;
    DigitsAssets::decode(&digits, DIGITS_PATH, teacher_weights)
}

/// The text lab's corpus and teacher, fetched, decoded and checked on `device`.
pub async fn load_text(progress: impl Fn(u64, u64), device: &Device) -> Result<TextAssets, RunError> {
    let (text, teacher) =
        fetch_pair([TEXT_PATH, TEXT_TEACHER_PATH], [TEXT_BYTES_HINT, TEXT_TEACHER_BYTES_HINT], &progress).await;
    let text = text.map_err(|e| RunError::Assets(format!("The text lab's corpus could not be loaded: {e}.")))?;
    let teacher = teacher.map_err(|e| RunError::Assets(format!("The text teacher could not be loaded: {e}.")))?;
    let text = gunzip(&text)
        .await
        .map_err(|e| RunError::Assets(format!("The text lab's corpus ({TEXT_PATH}) is damaged: {e}.")))?;
    TextAssets::decode(&text, TEXT_PATH, &teacher, TEXT_TEACHER_PATH, device)
}
