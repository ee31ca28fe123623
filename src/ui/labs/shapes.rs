//! The 2-D shapes lab: the points tools and the three decision maps, with their disagreement.

use yew::prelude::*;

use super::LabProps;
use crate::model::Action;
use crate::ui::callbacks::{dispatch, use_dispatch};
use crate::ui::decision_map::DecisionMapView;
use crate::ui::disagreement_map::DisagreementMap;
use crate::ui::engine::use_reset;
use crate::ui::point_tools::PointTools;
use distill_core::protocol::Maps;
use distill_core::{DecisionMap, Transfer, layers_in_words};

#[function_component]
pub fn ShapesLab(props: &LabProps) -> Html {
    let state = &props.state;
    let params = &state.params;
    let on_add = use_dispatch(state, |(x, y): (f32, f32)| Action::AddPoint(x, y));
    let (on_select, on_clear) =
        (use_dispatch(state, Action::SelectClass), use_dispatch(state, |_: ()| Action::ClearPoints));
    let on_regenerate = use_dispatch(state, |_: ()| Action::Regenerate);
    let on_retrain = use_reset(state, &props.engine.send, true);
    let labels = state.models.as_ref().map(|m| (m.teacher_label.clone(), m.student_label.clone()));
    let (teacher_label, student_label) = labels.unwrap_or_default();
    let asks = params.transfer == Transfer::Queries;
    let map = |title: &'static str, subtitle: String, test_id: &'static str, pick: fn(&Maps) -> &DecisionMap| {
        let gloss = layers_in_words(if test_id == "map-teacher" { &teacher_label } else { &student_label });
        html! {
            <DecisionMapView title={title} subtitle={subtitle} gloss={gloss} test_id={test_id}
                map={state.maps.as_deref().map(|m| pick(m).clone())} points={state.points.clone()}
                show_test_points={state.show_test_points} on_add={on_add.clone()}
                show_queries={asks && state.show_queries && test_id == "map-student"} />
        }
    };
    html! {
        <>
            if !params.hides("maps") {
                <section class="maps" aria-label="Decision maps">
                    { map("Teacher", teacher_label.clone(), "map-teacher", |m| &m.teacher) }
                    { map("Distilled student", format!("{student_label}, learns from the teacher"), "map-student", |m| &m.student) }
                    { map("Baseline student", format!("{student_label}, learns from labels only"), "map-baseline", |m| &m.baseline) }
                    <DisagreementMap maps={state.maps.clone()} />
                </section>
                <label class="toggle">
                    <input type="checkbox" checked={state.show_test_points} onchange={dispatch(state, |_: Event| Action::ToggleTestPoints)} />
                    { " show test points (hollow); large dark-ringed points are the students' own labelled examples" }
                </label>
                if asks {
                    <label class="toggle">
                        <input type="checkbox" data-testid="queries-on-map" checked={state.show_queries}
                            onchange={dispatch(state, |_: Event| Action::ToggleQueries)} />
                        { format!(" show the distilled student's {} queries (×) on its map: what it asked the teacher about",
                            state.points.as_ref().map_or(params.queries, |p| p.queries.len())) }
                    </label>
                }
            }
            // Under the maps: the picture comes first, and a click on a map adds the class chosen here.
            if !params.hides("points") {
                <PointTools classes={params.classes as u8} selected={state.add_class} added={state.added.len()}
                    on_select={on_select} on_clear={on_clear} on_regenerate={on_regenerate} on_retrain={on_retrain} />
            }
        </>
    }
}
