//! Loss curves as SVG polylines: the teacher's own training, then the distilled student's terms
//! and the baseline's cross-entropy.

use std::rc::Rc;

use yew::prelude::*;

use crate::ui::state::LossPoint;

const WIDTH: f32 = 640.0;
const HEIGHT: f32 = 220.0;
const PAD: f32 = 34.0;

#[derive(Properties, PartialEq)]
pub struct LossChartProps {
    pub history: Rc<Vec<LossPoint>>,
    pub frozen_at: Option<usize>,
}

struct Series {
    name: &'static str,
    class: &'static str,
    value: fn(&LossPoint) -> Option<f32>,
}

const SERIES: [Series; 5] = [
    Series { name: "teacher (own training)", class: "teacher", value: |p| p.teacher },
    Series { name: "distilled: total", class: "total", value: |p| p.total },
    Series { name: "distilled: soft", class: "soft", value: |p| p.soft },
    Series { name: "distilled: hard", class: "hard", value: |p| p.hard },
    Series { name: "baseline: hard", class: "baseline", value: |p| p.baseline },
];

#[function_component]
pub fn LossChart(props: &LossChartProps) -> Html {
    let history = &props.history;
    let max_x = history.last().map_or(1, |p| p.x).max(1) as f32;
    let max_y = history
        .iter()
        .flat_map(|p| SERIES.iter().filter_map(|s| (s.value)(p)))
        .filter(|v| v.is_finite())
        .fold(0.0f32, f32::max)
        .max(1e-3);
    let sx = |x: usize| PAD + (WIDTH - 2.0 * PAD) * x as f32 / max_x;
    let sy = |y: f32| HEIGHT - PAD - (HEIGHT - 2.0 * PAD) * (y / max_y).clamp(0.0, 1.0);
    let lines = SERIES.iter().map(|series| {
        let points: String = history
            .iter()
            .filter_map(|p| {
                (series.value)(p).filter(|v| v.is_finite()).map(|v| format!("{:.1},{:.1} ", sx(p.x), sy(v)))
            })
            .collect();
        html! { <polyline class={classes!("series", series.class)} points={points} /> }
    });
    let freeze = props.frozen_at.map(|x| {
        let x = sx(x);
        html! {
            <g class="freeze">
                <line x1={x.to_string()} x2={x.to_string()} y1={PAD.to_string()} y2={(HEIGHT - PAD).to_string()} />
                <text x={(x + 4.0).to_string()} y={(PAD + 10.0).to_string()}>{ "teacher frozen" }</text>
            </g>
        }
    });
    html! {
        <figure class="loss-chart" data-testid="loss-chart" data-points={history.len().to_string()}>
            <svg viewBox={format!("0 0 {WIDTH} {HEIGHT}")} role="img" aria-label="Loss curves">
                <line class="axis" x1={PAD.to_string()} y1={(HEIGHT - PAD).to_string()} x2={(WIDTH - PAD).to_string()} y2={(HEIGHT - PAD).to_string()} />
                <line class="axis" x1={PAD.to_string()} y1={PAD.to_string()} x2={PAD.to_string()} y2={(HEIGHT - PAD).to_string()} />
                <text class="tick" x="4" y={(PAD + 4.0).to_string()}>{ format!("{max_y:.2}") }</text>
                <text class="tick" x="4" y={(HEIGHT - PAD).to_string()}>{ "0" }</text>
                <text class="tick" x={(WIDTH - PAD).to_string()} y={(HEIGHT - 8.0).to_string()} text-anchor="end">{ format!("step {}", max_x as usize) }</text>
                { freeze }
                { for lines }
            </svg>
            <figcaption class="legend">
                { for SERIES.iter().map(|s| html! { <span class={classes!("key", s.class)}>{ s.name }</span> }) }
            </figcaption>
        </figure>
    }
}
