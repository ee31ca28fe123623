//! The commands an engine has received and not yet carried out. While a stroke is drawn the page
//! sends the drawing several times a second; a slow device (a software WebGPU adapter, a busy
//! machine) would classify each in turn and answer the finished stroke long after the pen lifted.
//! The page shows the answer to its latest drawing alone, so a drawing still waiting when a newer
//! one arrives is dropped; so is a text-lab request to write, which the page sends every few
//! seconds and after each pause in typing.

use std::collections::VecDeque;

use crate::protocol::ToEngine;
use crate::transport::ToWorker;

#[derive(Debug, Default)]
pub struct Backlog {
    waiting: VecDeque<ToWorker>,
}

impl Backlog {
    /// Queues `command` behind the others; a drawing replaces any drawing still waiting, and a
    /// request to write any such request.
    pub fn push(&mut self, command: ToWorker) {
        for superseded in [is_drawing, is_writing] {
            if superseded(&command) {
                self.waiting.retain(|waiting| !superseded(waiting));
            }
        }
        self.waiting.push_back(command);
    }

    /// The oldest command waiting.
    pub fn pop(&mut self) -> Option<ToWorker> {
        self.waiting.pop_front()
    }
}

fn is_drawing(command: &ToWorker) -> bool {
    matches!(command, ToWorker::Lab(ToEngine::Classify { .. }))
}

fn is_writing(command: &ToWorker) -> bool {
    matches!(command, ToWorker::Lab(ToEngine::Write(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drawing(drawing: u32) -> ToWorker {
        ToWorker::Lab(ToEngine::Classify { drawing, pixels: vec![0; 784] })
    }

    fn drain(mut backlog: Backlog) -> Vec<ToWorker> {
        std::iter::from_fn(|| backlog.pop()).collect()
    }

    #[test]
    fn only_the_latest_waiting_drawing_is_classified_and_other_commands_keep_their_order() {
        let mut backlog = Backlog::default();
        for command in [drawing(1), ToWorker::Lab(ToEngine::Pause), drawing(2), ToWorker::StayOnCpu, drawing(3)] {
            backlog.push(command);
        }
        assert_eq!(drain(backlog), [ToWorker::Lab(ToEngine::Pause), ToWorker::StayOnCpu, drawing(3)]);
    }

    #[test]
    fn only_the_latest_waiting_request_to_write_is_carried_out() {
        use crate::protocol::WriteRequest;
        let write =
            |draw| ToWorker::Lab(ToEngine::Write(WriteRequest { draw, prompt: vec![1], chars: 8, temperature: 1.0 }));
        let mut backlog = Backlog::default();
        for command in [write(0), drawing(1), write(1), ToWorker::Lab(ToEngine::Play), write(2)] {
            backlog.push(command);
        }
        assert_eq!(drain(backlog), [drawing(1), ToWorker::Lab(ToEngine::Play), write(2)]);
    }

    #[test]
    fn a_drawing_already_taken_is_not_dropped_by_the_next() {
        let mut backlog = Backlog::default();
        backlog.push(drawing(1));
        assert_eq!(backlog.pop(), Some(drawing(1)));
        backlog.push(drawing(2));
        assert_eq!(drain(backlog), [drawing(2)]);
    }
}
