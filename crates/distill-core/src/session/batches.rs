//! The order in which a model meets its examples: epoch-wise shuffled mini-batches of row indices.

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
#[serde(into = "OrderPosition", from = "OrderPosition")]
pub struct BatchOrder {
    rng: StdRng,
    seed: u64,
    order: Vec<usize>,
    cursor: usize,
    batch_size: usize,
    /// Shuffles so far: the generator cannot be cloned, but it can be replayed.
    epochs: usize,
}

impl BatchOrder {
    pub fn new(len: usize, batch_size: usize, seed: u64) -> Self {
        let mut order = Self {
            rng: StdRng::seed_from_u64(seed),
            seed,
            order: (0..len).collect(),
            cursor: len,
            batch_size: batch_size.clamp(1, len.max(1)),
            epochs: 0,
        };
        order.reshuffle_if_done();
        order
    }

    fn reshuffle_if_done(&mut self) {
        if self.cursor + self.batch_size > self.order.len() {
            self.order.shuffle(&mut self.rng);
            self.cursor = 0;
            self.epochs += 1;
        }
    }

    pub fn next_batch(&mut self) -> Vec<usize> {
        self.reshuffle_if_done();
        let batch = self.order[self.cursor..self.cursor + self.batch_size].to_vec();
        self.cursor += self.batch_size;
        batch
    }

    /// Rows per batch (the requested size, at most the rows there are).
    pub fn batch_size(&self) -> usize {
        self.batch_size
    }
}

/// Where an order stands, as plain numbers: enough to replay it anywhere.
#[derive(Serialize, Deserialize)]
struct OrderPosition {
    len: usize,
    batch_size: usize,
    seed: u64,
    epochs: usize,
    cursor: usize,
}

impl From<BatchOrder> for OrderPosition {
    fn from(order: BatchOrder) -> Self {
        let BatchOrder { order, batch_size, seed, epochs, cursor, .. } = order;
        OrderPosition { len: order.len(), batch_size, seed, epochs, cursor }
    }
}

impl From<OrderPosition> for BatchOrder {
    /// The same order at the same place, its shuffles replayed from the seed.
    fn from(at: OrderPosition) -> Self {
        let mut order = BatchOrder::new(at.len, at.batch_size, at.seed);
        while order.epochs < at.epochs {
            order.order.shuffle(&mut order.rng);
            order.epochs += 1;
        }
        order.cursor = at.cursor.min(at.len);
        order
    }
}

impl Clone for BatchOrder {
    fn clone(&self) -> Self {
        OrderPosition {
            len: self.order.len(),
            batch_size: self.batch_size,
            seed: self.seed,
            epochs: self.epochs,
            cursor: self.cursor,
        }
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::BatchOrder;

    #[test]
    fn a_cloned_batch_order_continues_with_the_same_batches() {
        let mut order = BatchOrder::new(10, 3, 7);
        for _ in 0..11 {
            order.next_batch();
        }
        let mut copy = order.clone();
        let ahead: Vec<Vec<usize>> = (0..9).map(|_| order.next_batch()).collect();
        let copied: Vec<Vec<usize>> = (0..9).map(|_| copy.next_batch()).collect();
        assert_eq!(ahead, copied);
    }

    #[test]
    fn every_row_comes_once_per_epoch() {
        let mut order = BatchOrder::new(12, 4, 3);
        let mut epoch: Vec<usize> = (0..3).flat_map(|_| order.next_batch()).collect();
        epoch.sort_unstable();
        assert_eq!(epoch, (0..12).collect::<Vec<_>>());
    }
}
