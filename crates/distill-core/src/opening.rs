//! The commands a link opens with. The page sends them when it starts; the CPU engine, which the
//! page's first script starts before the page's own code has loaded, may carry them out from the
//! link itself, so that training is under way by the time the page listens. Both build them
//! here, so that the engine can tell the page's commands for what it has already done.

use std::collections::VecDeque;

use crate::hooks::BenchHook;
use crate::params::Params;
use crate::protocol::ToEngine;
use crate::run_spec::RunSpec;

/// The first run's commands: build it, time W1 when the link asks (`bench=w1`), and play it when
/// the link asks (`autoplay=1`).
pub fn opening_commands(spec: RunSpec, benchmark: bool, play: bool) -> Vec<ToEngine> {
    let mut commands = vec![ToEngine::Reset { spec }];
    if benchmark {
        commands.push(ToEngine::Benchmark);
    }
    if play {
        commands.push(ToEngine::Play);
    }
    commands
}

/// The opening commands of the link whose query is `query`, as the page will send them.
pub fn link_opening(query: &str) -> (Params, Vec<ToEngine>) {
    let (params, _) = Params::from_query(query);
    let commands = opening_commands(params.run_spec(), params.bench == BenchHook::W1, params.autoplay);
    (params, commands)
}

/// Commands the engine carried out on its own before the page listened. The page's first
/// commands, while they are the same ones in the same order, are already done; the first that
/// differs (a page that changed the link's settings) and every one after it are carried out.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct DoneEarly {
    commands: VecDeque<ToEngine>,
}

impl DoneEarly {
    pub fn new(commands: Vec<ToEngine>) -> Self {
        Self { commands: commands.into() }
    }

    /// Whether `command`, the page's next one, was already carried out.
    pub fn already_done(&mut self, command: &ToEngine) -> bool {
        let done = self.commands.front() == Some(command);
        match done {
            true => {
                self.commands.pop_front();
            }
            false => self.commands.clear(),
        }
        done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_opens_with_its_run_then_the_benchmark_then_play() {
        let (params, commands) = link_opening("?dataset=moons&autoplay=1&bench=w1");
        let reset = ToEngine::Reset { spec: params.run_spec() };
        assert_eq!(commands, vec![reset.clone(), ToEngine::Benchmark, ToEngine::Play]);
        assert_eq!(link_opening("dataset=moons").1, vec![ToEngine::Reset { spec: params.run_spec() }]);
        assert_ne!(link_opening("dataset=circles").1[0], reset);
    }

    #[test]
    fn the_pages_matching_commands_are_done_once_and_a_different_one_ends_the_match() {
        let (params, commands) = link_opening("autoplay=1");
        let reset = ToEngine::Reset { spec: params.run_spec() };
        let mut early = DoneEarly::new(commands.clone());
        assert!(early.already_done(&reset));
        assert!(early.already_done(&ToEngine::Play));
        // The same commands again are the user's: a second Reset rebuilds the run.
        assert!(!early.already_done(&reset));

        let mut early = DoneEarly::new(commands);
        let other = ToEngine::Reset { spec: link_opening("seed=2").0.run_spec() };
        assert!(!early.already_done(&other));
        // After a difference nothing counts as done, not even the link's own Play.
        assert!(!early.already_done(&ToEngine::Play));
        assert!(!DoneEarly::default().already_done(&ToEngine::Play));
    }
}
