//! Each lab's own part of the page, one file per lab: a new lab is a new file here and one arm in
//! `App`. What all labs share (figures, resources, charts, settings) stays in `App`.

mod digits;
mod shapes;
mod text;

use yew::prelude::*;

use crate::model::State;
use crate::ui::engine::Engine;

pub use digits::DigitsLab;
pub use shapes::ShapesLab;
pub use text::TextLab;

#[derive(Properties, PartialEq)]
pub struct LabProps {
    pub state: UseReducerHandle<State>,
    pub engine: Engine,
}
