//! A change of settings, typed: a field of the settings panel names itself by its row of the
//! parameter table, and the page's own changes (keys, the theme button) carry typed values.

use distill_core::params::{Params, Spec, Theme};
use distill_core::run_spec::Scenario;

#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// A panel field's text, as typed: parsed and corrected by the table's rules.
    Field(&'static Spec, String),
    /// A temperature stop (the speaker's T keys).
    Temperature(f64),
    /// The other lab: settings still at the old lab's defaults take the new lab's.
    Lab(Scenario),
    Theme(Theme),
}

impl Edit {
    /// Applies the change; the notice says what was corrected, if anything.
    pub fn apply(self, params: &mut Params) -> Option<String> {
        match self {
            Edit::Field(spec, raw) => params.set(spec.name, &raw),
            Edit::Temperature(t) => params.set("temperature", &t.to_string()),
            Edit::Lab(lab) => {
                params.switch_lab(lab);
                None
            }
            Edit::Theme(theme) => {
                params.theme = theme;
                None
            }
        }
    }
}
