//! Files made in the page and saved by the browser: nothing is uploaded. Text and bytes, a
//! canvas as PNG, and a chart's SVG as a standalone SVG or PNG.

use js_sys::{Array, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, Element, HtmlAnchorElement, HtmlCanvasElement, HtmlImageElement, Url};

fn describe(error: JsValue) -> String {
    error.as_string().or_else(|| js_sys::JSON::stringify(&error).ok().and_then(|s| s.as_string())).unwrap_or_default()
}

/// A blob of `bytes` of type `mime`.
pub fn blob(bytes: &[u8], mime: &str) -> Result<Blob, String> {
    let parts = Array::of1(&Uint8Array::from(bytes));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(describe)
}

/// An object URL for `bytes`, for a link the user clicks; the page revokes it when replaced.
pub fn object_url(bytes: &[u8], mime: &str) -> Result<String, String> {
    Url::create_object_url_with_blob(&blob(bytes, mime)?).map_err(describe)
}

/// Saves `blob` as the file `name`, through a link clicked on the user's behalf.
pub fn save_blob(blob: &Blob, name: &str) -> Result<(), String> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let url = Url::create_object_url_with_blob(blob).map_err(describe)?;
    let link: HtmlAnchorElement = document.create_element("a").map_err(describe)?.unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // The download has started from the URL by now; freeing it later keeps slow browsers safe.
    let revoke = Closure::once_into_js(move || {
        let _ = Url::revoke_object_url(&url);
    });
    if let Some(window) = web_sys::window() {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 60_000);
    }
    Ok(())
}

pub fn save_text(text: &str, name: &str, mime: &str) -> Result<(), String> {
    save_blob(&blob(text.as_bytes(), mime)?, name)
}

/// A canvas's pixels as a PNG, at the canvas's own size.
pub async fn canvas_png(canvas: &HtmlCanvasElement) -> Result<Blob, String> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let done = Closure::once_into_js(move |blob: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &blob);
        });
        if let Err(error) = canvas.to_blob(done.unchecked_ref()) {
            let _ = reject.call1(&JsValue::NULL, &error);
        }
    });
    let value = JsFuture::from(promise).await.map_err(describe)?;
    value.dyn_into::<Blob>().map_err(|_| "the browser could not encode the image".to_string())
}

/// The SVG element as a file that draws the same outside the page: every colour, width and
/// dash the page's stylesheet gives it is written onto the copy.
/// It keeps the chart's own size, `width`×`height`.
pub fn standalone_svg(svg: &Element, width: f32, height: f32) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let copy: Element = svg.clone_node_with_deep(true).map_err(describe)?.unchecked_into();
    copy.set_attribute("xmlns", "http://www.w3.org/2000/svg").map_err(describe)?;
    copy.set_attribute("width", &width.to_string()).map_err(describe)?;
    copy.set_attribute("height", &height.to_string()).map_err(describe)?;
    let originals = svg.query_selector_all("*").map_err(describe)?;
    let copies = copy.query_selector_all("*").map_err(describe)?;
    let properties = ["fill", "stroke", "stroke-width", "stroke-dasharray", "font-size", "font-family", "opacity"];
    for index in 0..originals.length() {
        let (Some(original), Some(copied)) = (originals.item(index), copies.item(index)) else { continue };
        let (original, copied): (Element, Element) = (original.unchecked_into(), copied.unchecked_into());
        let Ok(Some(style)) = window.get_computed_style(&original) else { continue };
        let inline: String = properties
            .iter()
            .filter_map(|p| style.get_property_value(p).ok().filter(|v| !v.is_empty()).map(|v| format!("{p}:{v};")))
            .collect();
        copied.set_attribute("style", &inline).map_err(describe)?;
    }
    let background = window
        .get_computed_style(svg)
        .ok()
        .flatten()
        .and_then(|s| s.get_property_value("--card").ok())
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "#ffffff".into());
    copy.set_attribute("style", &format!("background:{background}")).map_err(describe)?;
    Ok(copy.outer_html())
}

/// A standalone SVG drawn onto a canvas of `width`×`height` over `background`, as a PNG.
pub async fn svg_png(svg: &str, width: u32, height: u32, background: &str) -> Result<Blob, String> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let url = object_url(svg.as_bytes(), "image/svg+xml")?;
    let image = HtmlImageElement::new().map_err(describe)?;
    image.set_src(&url);
    let decoded = JsFuture::from(image.decode()).await;
    let _ = Url::revoke_object_url(&url);
    decoded.map_err(|e| format!("the chart could not be drawn ({})", describe(e)))?;
    let canvas: HtmlCanvasElement = document.create_element("canvas").map_err(describe)?.unchecked_into();
    canvas.set_width(width);
    canvas.set_height(height);
    let context: web_sys::CanvasRenderingContext2d =
        canvas.get_context("2d").map_err(describe)?.ok_or("no 2-D context")?.unchecked_into();
    context.set_fill_style_str(background);
    context.fill_rect(0.0, 0.0, width as f64, height as f64);
    context
        .draw_image_with_html_image_element_and_dw_and_dh(&image, 0.0, 0.0, width as f64, height as f64)
        .map_err(describe)?;
    canvas_png(&canvas).await
}
