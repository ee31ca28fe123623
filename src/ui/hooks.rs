//! The page's test and benchmark hooks, all here: `debug=panic` and `bench=w1`.

use yew::prelude::*;

use distill_core::hooks::{BenchHook, DebugHook};
use distill_core::params::Params;
use distill_core::protocol::W1Report;

/// `debug=panic` proves that a panic becomes the error panel, not a dead page.
#[hook]
pub fn use_debug_panic(params: &Params) {
    use_effect_with(params.debug == DebugHook::Panic, |&panic| {
        if panic {
            panic!("debug=panic: a panic on purpose, to show the error panel");
        }
    });
}

/// `bench=w1`: the page asks the engine to time reference workload W1 once.
pub fn benchmark_requested(params: &Params) -> bool {
    params.bench == BenchHook::W1
}

/// W1's result as the benchmark script reads it.
pub fn benchmark_view(report: Option<&W1Report>) -> Html {
    html! {
        <p class="benchmark">{ "W1 (784-128-10, batch 128): " }
            <span data-testid="bench-w1" data-steps-per-second={report.map(|b| b.steps_per_second.to_string())}
                data-warm-up-steps={report.map(|b| b.warm_up_steps.to_string())}
                data-warm-up-seconds={report.map(|b| b.warm_up_seconds.to_string())}
                data-steps={report.map(|b| b.steps.to_string())}
                data-dispatches-per-step={report.map(|b| b.dispatches_per_step.to_string())}
                data-wall-ms={report.map(|b| b.time_per_step.wall_ms.to_string())}
                data-webgpu-calls-ms={report.map(|b| b.time_per_step.webgpu_calls_ms.to_string())}
                data-device-wait-ms={report.map(|b| b.time_per_step.device_wait_ms.to_string())}
                data-pipelines-per-step={report.map(|b| b.time_per_step.pipelines_created.to_string())}>
                { report.map_or("running…".into(), |b| format!(
                    "{:.1} steps/s over {} steps after {} warm-up steps, final loss {:.4}",
                    b.steps_per_second, b.steps, b.warm_up_steps, b.final_loss
                )) }
            </span>
        </p>
    }
}
