//! The link's run, started before the page listens. The page's first script starts this engine
//! while the page's own code still loads, and names the worker after the page's query; the
//! engine builds and plays that link's run at once rather than wait idle for the page to ask.

use distill_core::burn::prelude::Device;
use distill_core::opening::link_opening;
use distill_core::protocol::{BackendReport, ToEngine};
use wasm_bindgen::JsCast;
use web_sys::DedicatedWorkerGlobalScope;

use super::situation;
use crate::backend::{self, Selection};
use crate::clock::scope;
use crate::placement::Placement;

/// How the page's first script names the worker: this, then the page's query.
const LINK_NAME: &str = "distill-link:";

/// The link's opening commands, when this engine can carry them out on its own: it was started
/// for a link, and the link's run trains here, on the CPU. A run that goes to the WebGPU engine
/// waits for the page, which carries the move out. Also returns where the run trains, for the
/// opening reset to use rather than ask the browser again.
pub async fn opening() -> (Vec<ToEngine>, Option<(Device, BackendReport)>) {
    let name = scope().unchecked_into::<DedicatedWorkerGlobalScope>().name();
    let Some(query) = name.strip_prefix(LINK_NAME) else { return (Vec::new(), None) };
    let (params, commands) = link_opening(query);
    let spec = params.run_spec();
    match backend::select(situation(&spec, &Placement::default()), &mut None).await {
        Selection::Here(device, report) => (commands, Some((device, report))),
        Selection::GpuEngine(_) => (Vec::new(), None),
    }
}
