//! The 2-D shapes lab: the points tools and the three decision maps, with their disagreement.

use yew::prelude::*;

use super::LabProps;
use crate::model::Action;
use crate::ui::callbacks::dispatch;
use crate::ui::decision_map::DecisionMapView;
use crate::ui::disagreement_map::DisagreementMap;
use crate::ui::engine::reset;
use crate::ui::point_tools::PointTools;
use distill_core::DecisionMap;
use distill_core::protocol::Maps;

#[function_component]
pub fn ShapesLab(props: &LabProps) -> Html {
    let state = &props.state;
    let params = &state.params;
    let on_add = dispatch(state, |(x, y): (f32, f32)| Action::AddPoint(x, y));
    let labels = state.models.as_ref().map(|m| (m.teacher_label.clone(), m.student_label.clone()));
    let (teacher_label, student_label) = labels.unwrap_or_default();
    let map = |title: &'static str, subtitle: String, test_id: &'static str, pick: fn(&Maps) -> &DecisionMap| {
        html! {
            <DecisionMapView title={title} subtitle={subtitle} test_id={test_id}
                map={state.maps.as_deref().map(|m| pick(m).clone())} points={state.points.clone()}
                show_test_points={state.show_test_points} on_add={on_add.clone()} />
        }
    };
    html! {
        <>
            if !params.hides("points") {
                <PointTools classes={params.classes as u8} selected={state.add_class} added={state.added.len()}
                    on_select={dispatch(state, Action::SelectClass)} on_clear={dispatch(state, |_: ()| Action::ClearPoints)}
                    on_regenerate={dispatch(state, |_: ()| Action::Regenerate)} on_retrain={reset(state, &props.engine.send, true)} />
            }
            if !params.hides("maps") {
                <section class="maps" aria-label="Decision maps">
                    { map("Teacher", teacher_label, "map-teacher", |m| &m.teacher) }
                    { map("Distilled student", format!("{student_label}, learns from the teacher"), "map-student", |m| &m.student) }
                    { map("Baseline student", format!("{student_label}, learns from labels only"), "map-baseline", |m| &m.baseline) }
                    <DisagreementMap maps={state.maps.clone()} />
                </section>
                <label class="toggle">
                    <input type="checkbox" checked={state.show_test_points} onchange={dispatch(state, |_: Event| Action::ToggleTestPoints)} />
                    { " show test points (hollow); large dark-ringed points are the students' own labelled examples" }
                </label>
            }
        </>
    }
}
