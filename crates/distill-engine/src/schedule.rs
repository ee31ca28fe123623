//! When the engine trains, reads back, redraws and saves, as small clocks of plain Rust: the
//! worker passes the time in, so each rule is tested natively.

use distill_core::Phase;
use distill_core::protocol::BackendKind;

/// A chunk of steps should take about this long, read-back included: long enough to keep
/// read-backs rare, short enough that pause feels immediate.
pub const CHUNK_TARGET_MS: f64 = 60.0;
pub const MAX_CHUNK_STEPS: usize = 2000;
/// The first chunk on the CPU is one step: its figures show as soon as the run has trained at
/// all, and the quick chunks after it double to the target within a few reports.
const FIRST_CPU_CHUNK_STEPS: usize = 1;
/// On WebGPU each chunk ends in a read-back of the device, and its state is saved after the
/// first: ten steps.
const FIRST_GPU_CHUNK_STEPS: usize = 10;

/// How many steps the next chunk takes: doubled while chunks are quick, halved while slow.
#[derive(Debug, Clone, PartialEq)]
pub struct ChunkSizer {
    steps: usize,
}

impl ChunkSizer {
    /// The first chunk's size, on WebGPU when `on_gpu`, else on the CPU.
    pub fn starting(on_gpu: bool) -> Self {
        Self { steps: if on_gpu { FIRST_GPU_CHUNK_STEPS } else { FIRST_CPU_CHUNK_STEPS } }
    }

    pub fn steps(&self) -> usize {
        self.steps
    }

    /// A chunk asked for `asked` steps and took `elapsed_ms`. A chunk shorter than the current
    /// length (the Step button's single step) says nothing about it.
    pub fn record(&mut self, asked: usize, elapsed_ms: f64) {
        if asked < self.steps {
            return;
        }
        if elapsed_ms < CHUNK_TARGET_MS / 2.0 {
            self.steps = (self.steps * 2).min(MAX_CHUNK_STEPS);
        } else if elapsed_ms > CHUNK_TARGET_MS * 2.0 {
            self.steps = (self.steps / 2).max(1);
        }
    }
}

/// Decision maps are redrawn at most this often while training, and never take more than a
/// fifth of the time: on a slow device they cost more than the training between them.
pub const MAP_INTERVAL_MS: f64 = 300.0;
pub const MAP_SHARE: f64 = 0.2;

/// When the decision maps are due again.
#[derive(Debug, Clone, PartialEq)]
pub struct MapThrottle {
    last_ms: f64,
    cost_ms: f64,
    phase: Phase,
}

impl Default for MapThrottle {
    fn default() -> Self {
        Self { last_ms: f64::NEG_INFINITY, cost_ms: 0.0, phase: Phase::Teacher }
    }
}

impl MapThrottle {
    /// Due when the phase changed (the teacher froze) or the interval has passed; the phase is
    /// taken as seen either way.
    pub fn due(&mut self, now_ms: f64, phase: Phase) -> bool {
        let interval = MAP_INTERVAL_MS.max(self.cost_ms / MAP_SHARE);
        let due = phase != self.phase || now_ms - self.last_ms > interval;
        if due {
            self.phase = phase;
        }
        due
    }

    /// This run's maps have been drawn at least once.
    pub fn drawn_yet(&self) -> bool {
        self.last_ms.is_finite()
    }

    /// Maps were drawn from `started_ms` to `finished_ms`.
    pub fn drawn(&mut self, started_ms: f64, finished_ms: f64) {
        self.last_ms = finished_ms;
        self.cost_ms = finished_ms - started_ms;
    }
}

/// A chunk that starts within this long of the previous rate continues it; after a pause or a
/// single step, the rate starts afresh.
pub const CONTINUOUS_GAP_MS: f64 = 250.0;

/// Steps per second as the user sees them: while training runs on, each rate starts where the
/// previous one ended, so the time between chunks counts and the figure is the real throughput.
#[derive(Debug, Clone, PartialEq)]
pub struct RateMeter {
    last_ms: f64,
}

impl Default for RateMeter {
    fn default() -> Self {
        Self { last_ms: f64::NEG_INFINITY }
    }
}

impl RateMeter {
    /// A report without training (after a reset) ends the previous rate at `now_ms`.
    pub fn restart(&mut self, now_ms: f64) {
        self.last_ms = now_ms;
    }

    /// `steps` taken in a chunk that started at `started_ms`, reported at `now_ms`.
    pub fn rate(&mut self, started_ms: f64, steps: usize, now_ms: f64) -> f32 {
        let since = if started_ms - self.last_ms < CONTINUOUS_GAP_MS { self.last_ms } else { started_ms };
        self.last_ms = now_ms;
        (steps as f64 / ((now_ms - since).max(1e-3) / 1000.0)) as f32
    }
}

/// On the GPU the session is copied to the host this often, to continue on the CPU from there if
/// the device is lost: at most this much training is redone.
pub const CHECKPOINT_INTERVAL_MS: f64 = 2000.0;

#[derive(Debug, Clone, PartialEq)]
pub struct CheckpointClock {
    last_ms: f64,
}

impl Default for CheckpointClock {
    fn default() -> Self {
        Self { last_ms: f64::NEG_INFINITY }
    }
}

impl CheckpointClock {
    pub fn due(&self, now_ms: f64) -> bool {
        now_ms - self.last_ms >= CHECKPOINT_INTERVAL_MS
    }

    pub fn taken(&mut self, now_ms: f64) {
        self.last_ms = now_ms;
    }
}

/// Steps of the actual run timed on each backend when `backend=auto` races them, after a warm-up.
pub const RACE_WARMUP_STEPS: usize = 5;
pub const RACE_STEPS: usize = 30;

/// The backend that trained the same steps faster (WebGPU on a tie: it frees the CPU).
pub fn faster(webgpu_steps_per_second: f64, cpu_steps_per_second: f64) -> BackendKind {
    if webgpu_steps_per_second.is_finite() && webgpu_steps_per_second >= cpu_steps_per_second {
        BackendKind::WebGpu
    } else {
        BackendKind::Cpu
    }
}

/// The backend figure's reason after a race: both rates, and the winner.
pub fn race_reason(webgpu_steps_per_second: f64, cpu_steps_per_second: f64) -> String {
    let winner = match faster(webgpu_steps_per_second, cpu_steps_per_second) {
        BackendKind::WebGpu => "WebGPU",
        BackendKind::Cpu => "CPU",
    };
    format!("WebGPU {webgpu_steps_per_second:.0} steps/s, CPU {cpu_steps_per_second:.0} steps/s: {winner}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_race_keeps_the_faster_backend_and_says_both_rates() {
        assert_eq!(faster(410.0, 220.0), BackendKind::WebGpu);
        assert_eq!(faster(120.0, 220.0), BackendKind::Cpu);
        assert_eq!(faster(220.0, 220.0), BackendKind::WebGpu);
        assert_eq!(faster(f64::NAN, 220.0), BackendKind::Cpu);
        assert_eq!(race_reason(410.4, 219.6), "WebGPU 410 steps/s, CPU 220 steps/s: WebGPU");
        assert_eq!(race_reason(1.3, 5000.0), "WebGPU 1 steps/s, CPU 5000 steps/s: CPU");
    }

    #[test]
    fn chunks_grow_while_quick_shrink_while_slow_and_ignore_single_steps() {
        assert_eq!(ChunkSizer::starting(true).steps(), 10);
        let mut chunk = ChunkSizer::starting(false);
        assert_eq!(chunk.steps(), 1, "on the CPU the first step is reported as soon as it is taken");
        for doubled in [2, 4, 8, 16] {
            chunk.record(chunk.steps(), 5.0);
            assert_eq!(chunk.steps(), doubled);
        }
        chunk.record(1, 500.0);
        assert_eq!(chunk.steps(), 16, "a single step says nothing");
        chunk.record(16, 60.0);
        assert_eq!(chunk.steps(), 16, "on target");
        chunk.record(16, 500.0);
        assert_eq!(chunk.steps(), 8);
        for _ in 0..20 {
            chunk.record(chunk.steps(), 1.0);
        }
        assert_eq!(chunk.steps(), MAX_CHUNK_STEPS);
        for _ in 0..20 {
            chunk.record(chunk.steps(), 1e4);
        }
        assert_eq!(chunk.steps(), 1);
    }

    #[test]
    fn maps_wait_for_the_interval_or_a_new_phase_and_never_take_more_than_their_share() {
        let mut maps = MapThrottle::default();
        assert!(maps.due(0.0, Phase::Teacher), "the first maps are due at once");
        assert!(!maps.drawn_yet());
        maps.drawn(0.0, 10.0);
        assert!(maps.drawn_yet());
        assert!(!maps.due(200.0, Phase::Teacher));
        assert!(maps.due(200.0, Phase::Distill), "the teacher froze");
        maps.drawn(200.0, 210.0);
        assert!(!maps.due(500.0, Phase::Distill));
        assert!(maps.due(511.0, Phase::Distill));
        // Maps that took 100 ms wait 500 ms: a fifth of the time.
        maps.drawn(1000.0, 1100.0);
        assert!(!maps.due(1500.0, Phase::Distill));
        assert!(maps.due(1601.0, Phase::Distill));
    }

    #[test]
    fn the_rate_counts_the_time_between_chunks_unless_training_paused() {
        let mut rate = RateMeter::default();
        rate.restart(0.0);
        // 100 steps in a chunk from 1000 to 1100 ms: after a pause, the chunk alone counts.
        assert_eq!(rate.rate(1000.0, 100, 1100.0), 1000.0);
        // The next chunk starts 100 ms later: those 100 ms count too.
        assert_eq!(rate.rate(1200.0, 100, 1300.0), 500.0);
        // After a pause of a second, the rate starts afresh.
        assert_eq!(rate.rate(2300.0, 100, 2400.0), 1000.0);
    }

    #[test]
    fn checkpoints_come_every_interval() {
        let mut clock = CheckpointClock::default();
        assert!(clock.due(0.0));
        clock.taken(0.0);
        assert!(!clock.due(CHECKPOINT_INTERVAL_MS - 1.0));
        assert!(clock.due(CHECKPOINT_INTERVAL_MS));
    }
}
