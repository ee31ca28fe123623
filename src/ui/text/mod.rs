//! The text lab's own panels: the prompt and the three models' continuations, the next
//! character's bars, the figures and the resources card.

mod explainer;
mod figures;
mod next_char;
mod panels;

pub use explainer::TextExplainer;
pub use figures::{TextFiguresPanel, TextResources, text_headline};
pub use next_char::NextChar;
pub use panels::{PromptBox, WrittenPanels};

/// A character as the page shows it in a bar's label: the invisible ones named.
pub fn shown(c: char) -> String {
    match c {
        '\n' => "⏎".into(),
        ' ' => "␣".into(),
        c => c.to_string(),
    }
}
