//! The step-axis charts, as SVG polylines fed the page's history: held-out cross-entropy (the
//! same quantity for all three models), the distilled student's soft term on its own axis, and
//! test accuracy. All share one step axis, the teacher's own steps first.

use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use web_sys::Element;
use yew::prelude::*;

use crate::model::HistoryPoint;
use crate::ui::download::{save_blob, save_text, standalone_svg, svg_png};

// About the width a chart is drawn at (three to a row of the page), so that its text is drawn
// at close to its CSS size rather than shrunk to half of it.
const WIDTH: f32 = 330.0;
const HEIGHT: f32 = 190.0;
const PAD: f32 = 34.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    HeldOutLoss,
    SoftTerm,
    Accuracy,
    /// The text lab's held-out loss per character.
    TextLoss,
    /// The text lab's characters bought from the API.
    Bought,
}

struct Line {
    name: &'static str,
    class: &'static str,
    value: fn(&HistoryPoint) -> Option<f32>,
}

/// A student's figure means something only once it learns: after the teacher is frozen. (A
/// figure that is not a number was not measured at that point.)
fn student(point: &HistoryPoint, value: f32) -> Option<f32> {
    point.distilling.then_some(value).filter(|v| v.is_finite())
}

const LOSS_LINES: [Line; 3] = [
    Line { name: "teacher", class: "teacher", value: |p| Some(p.ce.teacher).filter(|v| v.is_finite()) },
    Line { name: "distilled student", class: "total", value: |p| student(p, p.ce.student) },
    Line { name: "baseline student", class: "baseline", value: |p| student(p, p.ce.baseline) },
];
const SOFT_LINES: [Line; 1] = [Line { name: "distilled: soft term", class: "soft", value: |p| p.soft }];
const BOUGHT_LINES: [Line; 1] = [Line { name: "characters bought", class: "total", value: |p| p.bought }];
const ACCURACY_LINES: [Line; 3] = [
    Line { name: "teacher", class: "teacher", value: |p| Some(p.accuracy.teacher) },
    Line { name: "distilled student", class: "total", value: |p| student(p, p.accuracy.student) },
    Line { name: "baseline student", class: "baseline", value: |p| student(p, p.accuracy.baseline) },
];

impl ChartKind {
    fn lines(self) -> &'static [Line] {
        match self {
            ChartKind::HeldOutLoss | ChartKind::TextLoss => &LOSS_LINES,
            ChartKind::Bought => &BOUGHT_LINES,
            ChartKind::SoftTerm => &SOFT_LINES,
            ChartKind::Accuracy => &ACCURACY_LINES,
        }
    }

    fn title(self) -> &'static str {
        match self {
            ChartKind::HeldOutLoss => {
                "Cross-entropy on held-out test points (lower is better; the same measure for all three)"
            }
            ChartKind::SoftTerm => {
                "The distilled student's soft term on its batches: how far it is from the teacher's answers"
            }
            ChartKind::Accuracy => "Test accuracy",
            ChartKind::TextLoss => {
                "Loss per character on the held-out plays, in nats (lower is better; the teacher's is measured once)"
            }
            ChartKind::Bought => "Characters bought from the teacher's API",
        }
    }

    /// What a newcomer might misread in the chart, in one line.
    fn caveat(self) -> Option<&'static str> {
        match self {
            ChartKind::HeldOutLoss => Some(
                "The baseline's loss may climb while its accuracy holds: it memorises its few labels and grows \
                 over-sure on the test points it gets wrong (overfitting).",
            ),
            _ => None,
        }
    }

    fn test_id(self) -> &'static str {
        match self {
            ChartKind::HeldOutLoss => "loss-chart",
            ChartKind::SoftTerm => "soft-chart",
            ChartKind::Accuracy => "acc-chart",
            ChartKind::TextLoss => "text-loss-chart",
            ChartKind::Bought => "api-chart",
        }
    }

    fn tick(self, value: f32) -> String {
        match self {
            ChartKind::Accuracy => format!("{:.0}%", 100.0 * value),
            ChartKind::Bought => format!("{value:.0}"),
            _ => format!("{value:.2}"),
        }
    }

    /// A value as the text alternative and the data table write it.
    fn exact(self, value: f32) -> String {
        match self {
            ChartKind::Accuracy => format!("{:.1}%", 100.0 * value),
            ChartKind::Bought => format!("{value:.0}"),
            _ => format!("{value:.4}"),
        }
    }

    /// The latest figures in words: the chart's text alternative.
    fn summary(self, history: &[HistoryPoint], frozen_at: Option<usize>) -> String {
        let Some(latest) = history.last() else { return "No figures yet: press Play.".into() };
        // The latest point with a figure (the text lab measures its losses now and then).
        let measured = |p: &&HistoryPoint| self.lines().iter().any(|line| (line.value)(p).is_some());
        let last = history.iter().rev().find(measured).unwrap_or(latest);
        let values: Vec<String> = self
            .lines()
            .iter()
            .filter_map(|line| (line.value)(last).map(|v| format!("{} {}", line.name, self.exact(v))))
            .collect();
        if values.is_empty() {
            return format!("At {}: the students start once the teacher is trained.", step_words(last.x, frozen_at));
        }
        format!("At {}: {}.", step_words(last.x, frozen_at), values.join(", "))
    }
}

/// A point of the step axis in the step cards' words: the students' own steps once the teacher
/// is frozen, the teacher's before (the axis runs through both phases).
fn step_words(x: usize, frozen_at: Option<usize>) -> String {
    match frozen_at {
        Some(frozen) if x >= frozen => format!("student step {}", x - frozen),
        _ => format!("teacher step {x}"),
    }
}

/// Every point of the chart as a table, for screen readers and for reading exact values.
fn data_table(kind: ChartKind, history: &[HistoryPoint]) -> Html {
    let cell = |value: Option<f32>| value.map_or("—".to_string(), |v| kind.exact(v));
    html! {
        <table class="chart-table">
            <thead><tr><th scope="col">{ "step" }</th>{ for kind.lines().iter().map(|l| html! { <th scope="col">{ l.name }</th> }) }</tr></thead>
            <tbody>
                { for history.iter().map(|p| html! {
                    <tr><th scope="row">{ p.x }</th>{ for kind.lines().iter().map(|l| html! { <td>{ cell((l.value)(p)) }</td> }) }</tr>
                }) }
            </tbody>
        </table>
    }
}

/// A saved PNG is this many times the chart's drawing size: sharp on a slide.
const PNG_SCALE: f32 = 4.0;

/// Saves the chart `svg` as a standalone SVG file or, at `PNG_SCALE` times its size, as a PNG.
fn export(svg: Option<Element>, name: String, png: bool) {
    let Some(svg) = svg else { return };
    spawn_local(async move {
        let saved = async {
            let standalone = standalone_svg(&svg, WIDTH, HEIGHT)?;
            if !png {
                return save_text(&standalone, &format!("{name}.svg"), "image/svg+xml");
            }
            let background = web_sys::window()
                .and_then(|w| w.get_computed_style(&svg).ok().flatten())
                .and_then(|s| s.get_property_value("--card").ok())
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| "#ffffff".into());
            let image =
                svg_png(&standalone, (PNG_SCALE * WIDTH) as u32, (PNG_SCALE * HEIGHT) as u32, &background).await?;
            save_blob(&image, &format!("{name}.png"))
        };
        if let Err(why) = saved.await {
            web_sys::console::warn_1(&format!("the chart could not be saved: {why}").into());
        }
    });
}

#[derive(Properties, PartialEq)]
pub struct LineChartProps {
    pub kind: ChartKind,
    pub history: Rc<Vec<HistoryPoint>>,
    pub frozen_at: Option<usize>,
}

#[function_component]
pub fn LineChart(props: &LineChartProps) -> Html {
    let kind = props.kind;
    let history = &props.history;
    let svg_ref = use_node_ref();
    let table_open = use_state(|| false);
    let on_toggle = {
        let table_open = table_open.clone();
        Callback::from(move |event: Event| {
            let details: web_sys::HtmlDetailsElement = event.target_unchecked_into();
            table_open.set(details.open());
        })
    };
    let save = |png: bool| {
        let (svg_ref, name) = (svg_ref.clone(), format!("distill-{}", kind.test_id()));
        Callback::from(move |_: MouseEvent| export(svg_ref.cast::<Element>(), name.clone(), png))
    };
    let values =
        || history.iter().flat_map(|p| kind.lines().iter().filter_map(|l| (l.value)(p))).filter(|v| v.is_finite());
    let max_x = history.last().map_or(1, |p| p.x).max(1) as f32;
    let (min_y, max_y) = match kind {
        // From the nearest 10% below the lowest accuracy: the differences that matter are small.
        ChartKind::Accuracy => ((values().fold(1.0f32, f32::min) * 10.0).floor() / 10.0, 1.0),
        _ => (0.0, values().fold(0.0f32, f32::max).max(1e-3)),
    };
    let span = (max_y - min_y).max(1e-3);
    let sx = |x: usize| PAD + (WIDTH - 2.0 * PAD) * x as f32 / max_x;
    let sy = |y: f32| HEIGHT - PAD - (HEIGHT - 2.0 * PAD) * ((y - min_y) / span).clamp(0.0, 1.0);
    let lines = kind.lines().iter().map(|line| {
        let points: String = history
            .iter()
            .filter_map(|p| (line.value)(p).filter(|v| v.is_finite()).map(|v| format!("{:.1},{:.1} ", sx(p.x), sy(v))))
            .collect();
        html! { <polyline class={classes!("series", line.class)} points={points} /> }
    });
    let freeze = props.frozen_at.filter(|&x| x > 0).map(|x| {
        let x = sx(x);
        html! {
            <g class="freeze">
                <line x1={x.to_string()} x2={x.to_string()} y1={PAD.to_string()} y2={(HEIGHT - PAD).to_string()} />
                <text x={(x + 4.0).to_string()} y={(PAD + 10.0).to_string()}>{ "teacher frozen" }</text>
            </g>
        }
    });
    html! {
        <figure class="line-chart" data-testid={kind.test_id()} data-points={history.len().to_string()}>
            <figcaption class="chart-title">{ kind.title() }</figcaption>
            if let Some(caveat) = kind.caveat() {
                <p class="chart-caveat" data-testid={format!("{}-caveat", kind.test_id())}>{ caveat }</p>
            }
            <svg ref={svg_ref.clone()} viewBox={format!("0 0 {WIDTH} {HEIGHT}")} role="img" aria-label={format!("{} {}", kind.title(), kind.summary(history, props.frozen_at))}>
                <line class="axis" x1={PAD.to_string()} y1={(HEIGHT - PAD).to_string()} x2={(WIDTH - PAD).to_string()} y2={(HEIGHT - PAD).to_string()} />
                <line class="axis" x1={PAD.to_string()} y1={PAD.to_string()} x2={PAD.to_string()} y2={(HEIGHT - PAD).to_string()} />
                <text class="tick" x="2" y={(PAD + 4.0).to_string()}>{ kind.tick(max_y) }</text>
                <text class="tick" x="2" y={(HEIGHT - PAD).to_string()}>{ kind.tick(min_y) }</text>
                <text class="tick" x={(WIDTH - PAD).to_string()} y={(HEIGHT - 8.0).to_string()} text-anchor="end">{ step_words(max_x as usize, props.frozen_at) }</text>
                { freeze }
                { for lines }
            </svg>
            <div class="legend">
                { for kind.lines().iter().map(|l| html! { <span class={classes!("key", l.class)}>{ l.name }</span> }) }
            </div>
            <p class="chart-summary" data-testid={format!("{}-summary", kind.test_id())}>{ kind.summary(history, props.frozen_at) }</p>
            <div class="chart-tools">
                <details class="chart-data" ontoggle={on_toggle} data-testid={format!("{}-table", kind.test_id())}>
                    <summary>{ "Data table" }</summary>
                    if *table_open { { data_table(kind, history) } }
                </details>
                <button class="small" data-testid={format!("{}-png", kind.test_id())} onclick={save(true)}>{ "PNG" }</button>
                <button class="small" data-testid={format!("{}-svg", kind.test_id())} onclick={save(false)}>{ "SVG" }</button>
            </div>
        </figure>
    }
}
