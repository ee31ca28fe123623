//! "The next character": after the prompt, each model's probabilities for the character that
//! comes next, as bars for the teacher's ten likeliest; the ones a `top` API would reveal are
//! marked. The element carries every probability, for reading them exactly.

use std::rc::Rc;

use yew::prelude::*;

use super::shown;
use distill_core::Answers;
use distill_core::data::text::{VOCABULARY, char_of};
use distill_core::protocol::Written;
use distill_core::trio::Role;

/// Bars shown: the teacher's likeliest characters.
const SHOWN: usize = 10;

#[derive(Properties, PartialEq)]
pub struct NextCharProps {
    pub written: Option<Rc<Written>>,
    /// What the API reveals, to mark the characters it would send with their probabilities.
    pub answers: Answers,
}

fn joined(probabilities: &[f32]) -> String {
    probabilities.iter().map(|p| format!("{p:.5}")).collect::<Vec<_>>().join(",")
}

#[function_component]
pub fn NextChar(props: &NextCharProps) -> Html {
    let complete =
        |w: &&Rc<Written>| [&w.next.teacher, &w.next.student, &w.next.baseline].iter().all(|p| p.len() == VOCABULARY);
    let Some(written) = props.written.as_ref().filter(complete) else {
        return html! { <section class="next-char" aria-label="The next character"><h2>{ "The next character" }</h2><p>{ "The models answer once the lab has loaded." }</p></section> };
    };
    let next = &written.next;
    let mut ranked: Vec<usize> = (0..VOCABULARY).collect();
    ranked.sort_by(|&a, &b| next.teacher[b].total_cmp(&next.teacher[a]));
    let revealed = match props.answers {
        Answers::Top(k) => k as usize,
        Answers::Full => VOCABULARY,
        Answers::Label => 0,
    };
    let symbols: String = (0..VOCABULARY).map(|id| char_of(id as u8)).collect();
    let bar = |role: Role, id: usize| {
        let p = next[role][id];
        html! { <span class={classes!("bar", role.name())} style={format!("width:{:.1}%", 100.0 * p)} title={format!("{}: {:.1}%", role.name(), 100.0 * p)} /> }
    };
    html! {
        <section class="next-char" aria-label="The next character">
            <h2>{ "The next character" }</h2>
            <p class="note">{ "Each model's probabilities for the character after the prompt (the teacher's ten likeliest; teacher, distilled, baseline). " }
                { match props.answers {
                    Answers::Top(k) => format!("Marked: the {k} whose log-probabilities the API sends with each character."),
                    Answers::Full => "This API sends the whole distribution, every bar.".into(),
                    Answers::Label => "This API sends none of them: only the character it sampled.".into(),
                } }
            </p>
            <div class="bars" data-testid="next-char" data-teacher={joined(&next.teacher)} data-student={joined(&next.student)}
                data-baseline={joined(&next.baseline)} data-symbols={symbols}>
                { for ranked.iter().take(SHOWN).enumerate().map(|(rank, &id)| html! {
                    <div class={classes!("bar-row", (rank < revealed).then_some("revealed"))}>
                        <span class="symbol">{ shown(char_of(id as u8)) }</span>
                        <span class="bar-group">{ bar(Role::Teacher, id) }{ bar(Role::Student, id) }{ bar(Role::Baseline, id) }</span>
                        <span class="value">{ format!("{:.0}%", 100.0 * next.teacher[id]) }</span>
                    </div>
                }) }
            </div>
        </section>
    }
}
