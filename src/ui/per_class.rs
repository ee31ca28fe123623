//! Accuracy on each class's test points, for the three models side by side: where distillation
//! helps, and which class a left-out-class run is missing.

use yew::prelude::*;

use distill_core::Metrics;

#[derive(Properties, PartialEq)]
pub struct PerClassProps {
    pub metrics: Option<Metrics>,
    /// The class left out of the transfer set, if any.
    pub omitted: Option<usize>,
}

#[function_component]
pub fn PerClass(props: &PerClassProps) -> Html {
    let Some(m) = props.metrics.as_ref() else { return html! {} };
    let classes = m.models.teacher.per_class.len();
    let row = |name: &'static str, test_id: &'static str, values: &[f32]| {
        html! {
            <tr data-testid={test_id}>
                <th scope="row">{ name }</th>
                { for values.iter().map(|v| html! { <td>{ format!("{:.0}%", v * 100.0) }</td> }) }
            </tr>
        }
    };
    html! {
        <section class="per-class" data-testid="per-class">
            <h2>{ "Accuracy per class on the test digits" }</h2>
            <table>
                <thead><tr><th></th>{ for (0..classes).map(|c| html! {
                    <th scope="col" class={(Some(c) == props.omitted).then_some("omitted")}
                        title={(Some(c) == props.omitted).then_some("left out of the transfer set")}>{ c }</th>
                }) }</tr></thead>
                <tbody>
                    { row("Teacher", "per-class-teacher", &m.models.teacher.per_class) }
                    { row("Distilled", "per-class-student", &m.models.student.per_class) }
                    { row("Baseline", "per-class-baseline", &m.models.baseline.per_class) }
                </tbody>
            </table>
        </section>
    }
}
