//! Keeping what the run made, and bringing it back, all inside the browser: the metrics as CSV
//! (each lab's own columns), the distilled student as Burn's record of its weights plus its
//! settings as JSON (which the `distill` CLI reads too), and the import of either file.

use std::rc::Rc;

use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::{HtmlInputElement, Url};
use yew::prelude::*;

use crate::model::{ExportedStudent, State};
use crate::ui::download::{object_url, save_text};
use distill_core::report_row::{COLUMNS, ReportRow};
use distill_core::run_spec::Scenario;
use distill_core::student_file::StudentFile;
use distill_core::text_lab::report::csv as text_csv;

pub const WEIGHTS_FILE: &str = "distill-student.bpk";
pub const SETTINGS_FILE: &str = "distill-student.json";

/// The reports as CSV text, one row per report under the header.
pub fn csv(reports: &[ReportRow]) -> String {
    let mut text = COLUMNS.join(",");
    text.push('\n');
    for row in reports {
        text.push_str(&row.fields().join(","));
        text.push('\n');
    }
    text
}

/// The metrics CSV of the lab in `state`: the columns of `distill --csv`, or the text lab's own.
pub fn metrics_csv(state: &State) -> MetricsCsv {
    if state.params.scenario == Scenario::Text {
        let history = state.text.history.clone();
        return MetricsCsv {
            rows: history.len(),
            file_name: "distill-text-metrics.csv",
            columns: "every report of this run: steps, characters and numbers bought, held-out losses, the soft term",
            text: Callback::from(move |()| text_csv(&history)),
        };
    }
    let reports = state.reports.clone();
    MetricsCsv {
        rows: reports.len(),
        file_name: "distill-metrics.csv",
        columns: "every report of this run, with the columns of distill --csv",
        text: Callback::from(move |()| reports.with_rows(csv)),
    }
}

/// A file the user chose: its name and bytes.
pub type Chosen = (String, Vec<u8>);

async fn read_files(input: &HtmlInputElement) -> Result<Vec<Chosen>, String> {
    let files = input.files().ok_or("no files were chosen")?;
    let mut chosen = Vec::new();
    for index in 0..files.length() {
        let Some(file) = files.get(index) else { continue };
        let buffer =
            JsFuture::from(file.array_buffer()).await.map_err(|_| format!("{} could not be read", file.name()))?;
        chosen.push((file.name(), js_sys::Uint8Array::new(&buffer).to_vec()));
    }
    Ok(chosen)
}

/// The run's metrics as a CSV file: its rows so far, and the text when asked.
#[derive(Clone, PartialEq)]
pub struct MetricsCsv {
    pub rows: usize,
    pub file_name: &'static str,
    /// What the columns hold, for the button's title.
    pub columns: &'static str,
    pub text: Callback<(), String>,
}

#[derive(Properties, PartialEq)]
pub struct ExportsProps {
    pub metrics: MetricsCsv,
    pub student: Option<Rc<ExportedStudent>>,
    pub on_export_student: Callback<()>,
    pub on_import: Callback<Vec<Chosen>>,
    pub on_problem: Callback<String>,
}

/// Object URLs of the exported student's two files; freed when the next export replaces them.
#[derive(PartialEq)]
struct StudentLinks {
    weights: String,
    settings: String,
    summary: String,
}

impl Drop for StudentLinks {
    fn drop(&mut self) {
        let _ = Url::revoke_object_url(&self.weights);
        let _ = Url::revoke_object_url(&self.settings);
    }
}

#[function_component]
pub fn Exports(props: &ExportsProps) -> Html {
    let links = use_memo(props.student.clone(), |exported| {
        let ExportedStudent { export: student, params, added_points } = exported.as_deref()?;
        let file = StudentFile::new(params, student.label.clone(), student.step, student.score);
        let unsaved = match added_points {
            0 => String::new(),
            n => format!("; the settings file does not hold the {n} points you added"),
        };
        Some(StudentLinks {
            weights: object_url(&student.weights, "application/octet-stream").ok()?,
            settings: object_url(file.to_json().as_bytes(), "application/json").ok()?,
            summary: format!(
                "{}, step {}, {} ({} bytes){unsaved}",
                student.label,
                student.step,
                student.score.describe(),
                student.weights.len()
            ),
        })
    });
    let metrics = &props.metrics;
    let save_csv = {
        let (metrics, on_problem) = (metrics.clone(), props.on_problem.clone());
        Callback::from(move |_: MouseEvent| {
            if let Err(why) = save_text(&metrics.text.emit(()), metrics.file_name, "text/csv") {
                on_problem.emit(format!("The metrics could not be saved: {why}"));
            }
        })
    };
    let export_student = {
        let on_export = props.on_export_student.clone();
        Callback::from(move |_: MouseEvent| on_export.emit(()))
    };
    let import = {
        let (on_import, on_problem) = (props.on_import.clone(), props.on_problem.clone());
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let (on_import, on_problem) = (on_import.clone(), on_problem.clone());
            spawn_local(async move {
                match read_files(&input).await {
                    Ok(files) => on_import.emit(files),
                    Err(why) => on_problem.emit(format!("Import failed: {why}.")),
                }
                // The same file chosen again is a new import.
                input.set_value("");
            });
        })
    };
    html! {
        <section class="exports" aria-label="Export and import">
            <h2>{ "Keep it" }</h2>
            <div class="export-row">
                <button data-testid="export-csv" onclick={save_csv} disabled={metrics.rows == 0} title={metrics.columns}>
                    { format!("Metrics CSV ({} rows)", metrics.rows) }
                </button>
                <button data-testid="export-weights" onclick={export_student}
                    title="the distilled student's weights (Burn's record format) and its settings (JSON)">{ "Export the student" }</button>
                if let Some(links) = links.as_ref() {
                    <a href={links.weights.clone()} download={WEIGHTS_FILE} data-testid="download-weights">{ format!("⬇ {WEIGHTS_FILE}") }</a>
                    <a href={links.settings.clone()} download={SETTINGS_FILE} data-testid="download-settings">{ format!("⬇ {SETTINGS_FILE}") }</a>
                    <span class="muted" data-testid="student-summary">{ links.summary.clone() }</span>
                }
            </div>
            <div class="export-row">
                <label class="import">
                    { "Import settings (.json) or a student (.bpk): " }
                    <input type="file" multiple=true accept=".json,.bpk,application/json" data-testid="import-files" onchange={import} />
                </label>
            </div>
            <p class="muted small">{ "Nothing leaves your browser: files are made and read here. " }
                { "The CLI reads them too: distill --settings distill-student.json --student distill-student.bpk --evaluate" }</p>
        </section>
    }
}

/// Sorts chosen files into a settings file (parsed) and student weights; problems are messages.
pub fn sort_imports(files: Vec<Chosen>) -> (Option<StudentFile>, Option<Vec<u8>>, Vec<String>) {
    let (mut settings, mut weights, mut problems) = (None, None, Vec::new());
    for (name, bytes) in files {
        let looks_like_json = name.to_ascii_lowercase().ends_with(".json") || bytes.first() == Some(&b'{');
        if looks_like_json {
            match std::str::from_utf8(&bytes).map_err(|e| e.to_string()).and_then(StudentFile::from_json) {
                Ok(file) => settings = Some(file),
                Err(why) => problems.push(format!("{name}: {why}")),
            }
        } else {
            weights = Some(bytes);
        }
    }
    (settings, weights, problems)
}
