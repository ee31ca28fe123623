//! What the page draws besides the figures: the decision maps, and the models' inference time.
//! A new run's first ones wait until no command does, so a run played at once shows its first
//! step before them.

use distill_core::protocol::FromEngine;
use distill_core::run_spec::ScenarioSpec;

use super::Engine;
use crate::clock::now_ms;
use crate::messages::post;

/// Timed forward passes per model for the latency figures (their median counts).
const INFERENCE_REPEATS: usize = 5;
/// Grid cells per side of a decision map.
const MAP_RESOLUTION: usize = 100;

impl Engine {
    /// A new run's maps (unless its first training chunk drew them already) and inference time.
    pub(super) async fn send_views(&mut self) {
        self.views_due = false;
        if !self.run.as_ref().is_some_and(|run| run.maps.drawn_yet()) {
            self.send_maps().await;
        }
        self.send_inference_time().await;
    }

    /// Times both models' forward passes on this backend, once per run: the resources card's
    /// latency figures.
    async fn send_inference_time(&mut self) {
        let Some(run) = self.run.as_ref() else { return };
        match run.session.inference_ms_per_input(now_ms, INFERENCE_REPEATS).await {
            Ok([teacher_ms, student_ms]) => post(&FromEngine::Inference { teacher_ms, student_ms }),
            Err(error) if self.moved_off_lost_gpu(&error) => {}
            Err(error) => post(&FromEngine::Notice(format!("Inference could not be timed: {error}."))),
        }
    }

    pub(super) async fn send_maps(&mut self) {
        let Some(run) = self.run.as_ref().filter(|run| matches!(run.spec.scenario, ScenarioSpec::Shapes(_))) else {
            return;
        };
        let started = now_ms();
        match run.session.decision_maps(MAP_RESOLUTION).await {
            Ok(maps) => {
                post(&FromEngine::Maps(maps));
                if let Some(run) = self.run.as_mut() {
                    run.maps.drawn(started, now_ms());
                }
            }
            Err(error) if self.moved_off_lost_gpu(&error) => {}
            Err(error) => self.fail(error.reworded(|why| format!("Drawing the decision maps failed: {why}"))),
        }
    }
}
