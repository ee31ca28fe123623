//! The page's engine host: start-up, the move to the WebGPU engine and back, failed loads, and
//! commands or resets that arrive during a move.

use distill_core::RunError;
use distill_core::host::{Effect, EngineId, EngineKind, Event, Host, Timer};
use distill_core::params::Params;
use distill_core::protocol::{FromEngine, Status, ToEngine};
use distill_core::transport::{FromWorker, Handover, ToWorker};

use Effect::{Arm, Deliver, End, Post, Spawn};

const CPU: EngineId = EngineId { number: 1, kind: EngineKind::Cpu };

fn reset(query: &str) -> ToEngine {
    ToEngine::Reset { spec: Params::from_query(query).0.run_spec() }
}

fn message(host: &mut Host, from: EngineId, message: FromWorker) -> Vec<Effect> {
    host.on(Event::Message(from, message))
}

fn command(host: &mut Host, command: ToEngine) -> Vec<Effect> {
    host.on(Event::Command(command))
}

/// A host whose CPU engine listens and runs `reset`, then asked for the WebGPU engine.
fn loading_gpu_engine(first: &ToEngine) -> (Host, EngineId) {
    let mut host = Host::default();
    host.on(Event::Started);
    message(&mut host, CPU, FromWorker::Listening);
    command(&mut host, first.clone());
    let gpu = EngineId { number: 2, kind: EngineKind::Gpu };
    assert_eq!(message(&mut host, CPU, FromWorker::WebGpuEngineNeeded), [Spawn(gpu), Arm(Timer::GpuGiveUp)]);
    (host, gpu)
}

/// A host whose run moved to the WebGPU engine.
fn on_gpu(first: &ToEngine) -> (Host, EngineId) {
    let (mut host, gpu) = loading_gpu_engine(first);
    assert_eq!(message(&mut host, gpu, FromWorker::Listening), [End(CPU), Post(gpu, lab(first.clone()))]);
    (host, gpu)
}

fn lab(command: ToEngine) -> ToWorker {
    ToWorker::Lab(command)
}

fn handover(of: &ToEngine) -> Handover {
    let ToEngine::Reset { spec } = of.clone() else { panic!("not a reset") };
    Handover { spec, checkpoint: vec![1, 2, 3], play: true, why: "lost".into() }
}

#[test]
fn commands_wait_until_the_first_engine_listens_then_go_in_order() {
    let mut host = Host::default();
    assert_eq!(host.on(Event::Started), [Spawn(CPU), Arm(Timer::Restart), Arm(Timer::StartupReport)]);
    let first = reset("seed=1");
    assert_eq!(command(&mut host, first.clone()), []);
    assert_eq!(command(&mut host, ToEngine::Play), []);
    assert_eq!(message(&mut host, CPU, FromWorker::Listening), [Post(CPU, lab(first)), Post(CPU, lab(ToEngine::Play))]);
    assert_eq!(command(&mut host, ToEngine::Pause), [Post(CPU, lab(ToEngine::Pause))]);
    // The start-up timers find nothing to do once it listens.
    assert_eq!(host.on(Event::Fired(Timer::Restart)), []);
    assert_eq!(host.on(Event::Fired(Timer::StartupReport)), []);
    assert_eq!(
        message(&mut host, CPU, FromWorker::Lab(FromEngine::Status(Status::Training))),
        [Deliver(FromEngine::Status(Status::Training))]
    );
}

#[test]
fn two_requests_to_play_stay_two_requests_to_play() {
    let mut host = Host::default();
    host.on(Event::Started);
    command(&mut host, reset("autoplay=1"));
    command(&mut host, ToEngine::Play);
    command(&mut host, ToEngine::Play);
    let posted = message(&mut host, CPU, FromWorker::Listening);
    assert_eq!(posted[1..], [Post(CPU, lab(ToEngine::Play)), Post(CPU, lab(ToEngine::Play))]);
}

#[test]
fn a_hanging_first_engine_is_started_again_once_and_then_reported() {
    let mut host = Host::default();
    host.on(Event::Started);
    command(&mut host, reset("seed=1"));
    let second = EngineId { number: 2, kind: EngineKind::Cpu };
    assert_eq!(host.on(Event::Fired(Timer::Restart)), [End(CPU), Spawn(second)]);
    assert_eq!(host.active(), Some(second));
    let effects = host.on(Event::Fired(Timer::StartupReport));
    assert!(matches!(&effects[..], [Deliver(FromEngine::Notice(n))] if n.contains("has not started after 20 s")));
    // The ended engine is not heard; the new one gets what waited.
    assert_eq!(message(&mut host, CPU, FromWorker::Listening), []);
    assert_eq!(message(&mut host, second, FromWorker::Listening), [Post(second, lab(reset("seed=1")))]);
}

#[test]
fn the_webgpu_engine_is_fetched_once_and_takes_the_run_over_from_its_last_reset() {
    let first = reset("backend=webgpu");
    let (mut host, gpu) = loading_gpu_engine(&first);
    // The CPU engine still hears commands while the WebGPU engine loads; they are replayed.
    assert_eq!(command(&mut host, ToEngine::Play), [Post(CPU, lab(ToEngine::Play))]);
    assert_eq!(command(&mut host, ToEngine::Classify { drawing: 1, pixels: vec![0; 784] }).len(), 1);
    assert_eq!(message(&mut host, CPU, FromWorker::WebGpuEngineNeeded), []);
    // A loading engine has nothing to say to the page yet.
    assert_eq!(message(&mut host, gpu, FromWorker::Lab(FromEngine::Status(Status::Idle))), []);
    assert_eq!(
        message(&mut host, gpu, FromWorker::Listening),
        [End(CPU), Post(gpu, lab(first)), Post(gpu, lab(ToEngine::Play))]
    );
    assert_eq!(host.active(), Some(gpu));
    assert_eq!(host.on(Event::Fired(Timer::GpuGiveUp)), []);
    // The ended CPU engine is not heard any more.
    assert_eq!(message(&mut host, CPU, FromWorker::Lab(FromEngine::Status(Status::Done))), []);
}

#[test]
fn a_webgpu_engine_that_cannot_load_leaves_the_run_on_the_cpu_engine() {
    let first = reset("backend=webgpu");
    let kept = |gpu| vec![End(gpu), Post(CPU, ToWorker::StayOnCpu), Post(CPU, lab(first.clone()))];
    // Its script fails...
    let (mut host, gpu) = loading_gpu_engine(&first);
    let effects = host.on(Event::Failed(gpu, None));
    assert_eq!(effects[..3], kept(gpu)[..]);
    assert!(matches!(&effects[3], Deliver(FromEngine::Notice(n)) if n.contains("could not load")));
    // ...its worker cannot be created...
    let (mut host, gpu) = loading_gpu_engine(&first);
    let effects = host.on(Event::SpawnFailed(gpu, "no workers".into()));
    assert_eq!(effects[..3], kept(gpu)[..]);
    assert_eq!(effects[3], Deliver(FromEngine::Notice("no workers; training stays on the CPU.".into())));
    // ...or it never listens.
    let (mut host, gpu) = loading_gpu_engine(&first);
    let effects = host.on(Event::Fired(Timer::GpuGiveUp));
    assert_eq!(effects[..3], kept(gpu)[..]);
    assert!(matches!(&effects[3], Deliver(FromEngine::Notice(n)) if n.contains("did not start within 30 s")));
    // Either way it is never asked for again, and a late Listening changes nothing.
    assert_eq!(message(&mut host, gpu, FromWorker::Listening), []);
    assert_eq!(message(&mut host, CPU, FromWorker::WebGpuEngineNeeded), []);
    assert_eq!(host.active(), Some(CPU));
}

#[test]
fn a_lost_gpu_moves_the_run_to_a_fresh_cpu_engine_with_its_checkpoint_and_what_came_meanwhile() {
    let first = reset("backend=webgpu");
    let (mut host, gpu) = on_gpu(&first);
    let cpu = EngineId { number: 3, kind: EngineKind::Cpu };
    assert_eq!(
        message(&mut host, gpu, FromWorker::MoveToCpuEngine(handover(&first))),
        [Spawn(cpu), Arm(Timer::Return)]
    );
    assert_eq!(command(&mut host, ToEngine::Pause), []);
    assert_eq!(
        message(&mut host, cpu, FromWorker::Listening),
        [End(gpu), Post(cpu, ToWorker::Resume(handover(&first))), Post(cpu, lab(ToEngine::Pause))]
    );
    assert_eq!(host.active(), Some(cpu));
    assert_eq!(host.on(Event::Fired(Timer::Return)), []);
    assert_eq!(command(&mut host, ToEngine::Play), [Post(cpu, lab(ToEngine::Play))]);
}

#[test]
fn a_reset_during_the_move_wins_over_the_checkpoint() {
    let first = reset("backend=webgpu&seed=1");
    let (mut host, gpu) = on_gpu(&first);
    let second = reset("backend=webgpu&seed=2");
    command(&mut host, second.clone());
    let cpu = EngineId { number: 3, kind: EngineKind::Cpu };
    message(&mut host, gpu, FromWorker::MoveToCpuEngine(handover(&first)));
    assert_eq!(
        message(&mut host, cpu, FromWorker::Listening),
        [End(gpu), Post(cpu, ToWorker::StayOnCpu), Post(cpu, lab(second))]
    );
}

#[test]
fn a_cpu_engine_that_never_takes_the_run_back_is_reported_and_ended() {
    let first = reset("backend=webgpu");
    let (mut host, gpu) = on_gpu(&first);
    message(&mut host, gpu, FromWorker::MoveToCpuEngine(handover(&first)));
    let cpu = EngineId { number: 3, kind: EngineKind::Cpu };
    let effects = host.on(Event::Fired(Timer::Return));
    assert_eq!(effects[0], End(cpu));
    assert!(
        matches!(&effects[1], Deliver(FromEngine::Error(RunError::Engine(e))) if e.contains("did not start to take the run over"))
    );
    // One whose script fails says so at once.
    let (mut host, gpu) = on_gpu(&first);
    message(&mut host, gpu, FromWorker::MoveToCpuEngine(handover(&first)));
    let effects = host.on(Event::Failed(cpu, Some("404".into())));
    assert_eq!(effects[0], End(cpu));
    assert!(
        matches!(&effects[1], Deliver(FromEngine::Error(RunError::Engine(e))) if e.contains("could not take the run over (404)"))
    );
    assert_eq!(host.on(Event::Fired(Timer::Return)), []);
}

#[test]
fn an_engine_that_fails_is_reported_as_not_loading_at_start_and_as_stopped_later() {
    let mut host = Host::default();
    host.on(Event::Started);
    let effects = host.on(Event::Failed(CPU, Some("Uncaught 404".into())));
    assert!(
        matches!(&effects[..], [Deliver(FromEngine::Error(RunError::Engine(e)))] if e.contains("failed to load (Uncaught 404)"))
    );
    let mut host = Host::default();
    host.on(Event::Started);
    message(&mut host, CPU, FromWorker::Listening);
    let effects = host.on(Event::Failed(CPU, Some("out of memory".into())));
    assert!(
        matches!(&effects[..], [Deliver(FromEngine::Error(RunError::Engine(e)))] if e.contains("stopped: out of memory"))
    );
    // An engine that could not be created at all says why.
    let mut host = Host::default();
    host.on(Event::Started);
    let effects = host.on(Event::SpawnFailed(CPU, "The training engine could not start".into()));
    assert_eq!(effects, [Deliver(FromEngine::Error(RunError::Engine("The training engine could not start".into())))]);
}
