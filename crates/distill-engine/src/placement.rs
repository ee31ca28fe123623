//! Where this engine stands with the lab's run: it keeps it, it is handing it to the WebGPU
//! engine, or it handed it on after losing its GPU; and so which commands it still acts on.
//! Plain Rust, tested natively; the page's side of the same moves is `distill_core::host`.

use distill_core::protocol::ToEngine;
use distill_core::transport::ToWorker;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// It trains the run it is given (or waits for one).
    #[default]
    Keeping,
    /// A CPU engine that asked for the WebGPU engine: the page replays the run's commands there.
    HandingOver,
    /// A WebGPU engine that handed its run to a CPU engine after losing its GPU: it is done.
    Left,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    stage: Stage,
    /// The WebGPU device was lost once: this worker stays on the CPU.
    pub gpu_lost: bool,
    /// The page could not load the WebGPU engine: this CPU engine keeps its runs.
    pub gpu_engine_failed: bool,
}

impl Placement {
    /// Whether the engine acts on `command`. One handing its run over still hears resets (the
    /// next run may stay here) and that the WebGPU engine failed; one that left hears nothing.
    pub fn hears(&self, message: &ToWorker) -> bool {
        match self.stage {
            Stage::Keeping => true,
            Stage::HandingOver => matches!(message, ToWorker::Lab(ToEngine::Reset { .. }) | ToWorker::StayOnCpu),
            Stage::Left => false,
        }
    }

    /// A run starts here (after a reset, or taken over from a lost GPU).
    pub fn keep(&mut self) {
        if self.stage != Stage::Left {
            self.stage = Stage::Keeping;
        }
    }

    /// The page is to load the WebGPU engine for the run.
    pub fn hand_over(&mut self) {
        self.stage = Stage::HandingOver;
    }

    /// The GPU was lost: this engine stays on the CPU from now on...
    pub fn lose_gpu(&mut self) {
        self.gpu_lost = true;
    }

    /// ...and, when another engine takes its run, it is done.
    pub fn leave(&mut self) {
        self.lose_gpu();
        self.stage = Stage::Left;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_engine_handing_its_run_over_hears_only_resets_and_a_failed_webgpu_engine() {
        let mut placement = Placement::default();
        assert!(placement.hears(&ToWorker::Lab(ToEngine::Play)));
        placement.hand_over();
        assert!(
            !placement.hears(&ToWorker::Lab(ToEngine::Play)) && !placement.hears(&ToWorker::Lab(ToEngine::Benchmark))
        );
        assert!(placement.hears(&ToWorker::StayOnCpu));
        // A reset that stays on the CPU keeps the run here again.
        placement.keep();
        assert!(placement.hears(&ToWorker::Lab(ToEngine::Play)));
    }

    #[test]
    fn an_engine_that_left_after_a_lost_gpu_hears_nothing_and_stays_off_the_gpu() {
        let mut placement = Placement::default();
        placement.leave();
        assert!(placement.gpu_lost);
        assert!(!placement.hears(&ToWorker::Lab(ToEngine::Play)) && !placement.hears(&ToWorker::StayOnCpu));
        placement.keep();
        assert!(!placement.hears(&ToWorker::Lab(ToEngine::Pause)));
    }
}
