use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

/// Keeps the split's random stream apart from the generator's, which shares the user's seed.
const SPLIT_STREAM: u64 = 0x5EED_0001;

/// Labelled points in a flat row-major layout, ready to become a tensor.
#[derive(Debug, Clone, PartialEq)]
pub struct Points {
    pub features: Vec<f32>,
    pub labels: Vec<usize>,
    pub dims: usize,
    pub classes: usize,
}

impl Points {
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    pub fn row(&self, index: usize) -> &[f32] {
        &self.features[index * self.dims..(index + 1) * self.dims]
    }

    fn subset(&self, indices: &[usize]) -> Points {
        Points {
            features: indices.iter().flat_map(|&i| self.row(i).iter().copied()).collect(),
            labels: indices.iter().map(|&i| self.labels[i]).collect(),
            dims: self.dims,
            classes: self.classes,
        }
    }
}

/// A deterministic split of one dataset into training and held-out test points.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    pub train: Points,
    pub test: Points,
}

impl Split {
    /// Stratified by class, so that both halves keep the class balance; the same seed gives the
    /// same split.
    pub fn stratified(points: &Points, train_fraction: f32, seed: u64) -> Split {
        let mut rng = StdRng::seed_from_u64(seed ^ SPLIT_STREAM);
        let mut train = Vec::new();
        let mut test = Vec::new();
        for class in 0..points.classes {
            let mut members: Vec<usize> = (0..points.len()).filter(|&i| points.labels[i] == class).collect();
            members.shuffle(&mut rng);
            let cut = (members.len() as f32 * train_fraction).round() as usize;
            train.extend_from_slice(&members[..cut]);
            test.extend_from_slice(&members[cut..]);
        }
        train.sort_unstable();
        test.sort_unstable();
        Split { train: points.subset(&train), test: points.subset(&test) }
    }
}
