//! A change of settings, typed: a field of the settings panel names itself by its row of the
//! parameter table, and the page's own changes (keys, the theme button) carry typed values.

use distill_core::params::{Params, Spec, TEMPERATURE_STOPS, Theme, nearest_stop};
use distill_core::run_spec::Scenario;

#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// A panel field's text, as typed: parsed and corrected by the table's rules.
    Field(&'static Spec, String),
    /// The temperature this many stops up (down when negative) from where it is (the speaker's T
    /// keys): from the state the change applies to, so that keys pressed faster than the page
    /// redraws each move it one stop.
    TemperatureStops(isize),
    /// The other lab: settings still at the old lab's defaults take the new lab's.
    Lab(Scenario),
    Theme(Theme),
}

impl Edit {
    /// Applies the change; the notice says what was corrected, if anything.
    pub fn apply(self, params: &mut Params) -> Option<String> {
        match self {
            Edit::Field(spec, raw) => params.set(spec.name, &raw),
            Edit::TemperatureStops(by) => {
                let at = nearest_stop(&TEMPERATURE_STOPS, params.temperature) as isize + by;
                let stop = TEMPERATURE_STOPS[at.clamp(0, TEMPERATURE_STOPS.len() as isize - 1) as usize];
                params.set("temperature", &stop.to_string())
            }
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
