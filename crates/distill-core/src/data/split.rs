//! Labelled points and their split into training, test and unlabelled query points.

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

    /// Adds one point; `features` must have `dims` values and `label` must be below `classes`.
    pub fn push(&mut self, features: &[f32], label: usize) {
        debug_assert!(features.len() == self.dims && label < self.classes);
        self.features.extend_from_slice(features);
        self.labels.push(label);
    }

    /// The rows at `indices`, in that order.
    pub fn subset(&self, indices: &[usize]) -> Points {
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
    /// Inputs like the data whose labels nobody reads: what a student may ask the teacher about
    /// (fresh points from the same 2-D generator). `None`: the training inputs serve.
    pub unlabelled: Option<Points>,
}

impl Split {
    /// Stratified by class, so that both halves keep the class balance; the same seed gives the
    /// same split. The training half holds `round(len · train_fraction)` points exactly: classes
    /// whose share has the largest remainder get the odd points.
    pub fn stratified(points: &Points, train_fraction: f32, seed: u64) -> Split {
        let mut rng = StdRng::seed_from_u64(seed ^ SPLIT_STREAM);
        let fraction = train_fraction.clamp(0.0, 1.0) as f64;
        let members: Vec<Vec<usize>> = (0..points.classes)
            .map(|class| {
                let mut rows: Vec<usize> = (0..points.len()).filter(|&i| points.labels[i] == class).collect();
                rows.shuffle(&mut rng);
                rows
            })
            .collect();
        let shares: Vec<f64> = members.iter().map(|rows| rows.len() as f64 * fraction).collect();
        let mut cuts: Vec<usize> = shares.iter().map(|share| share.floor() as usize).collect();
        let target = (points.len() as f64 * fraction).round() as usize;
        let mut by_remainder: Vec<usize> = (0..members.len()).collect();
        by_remainder.sort_by(|&a, &b| (shares[b] - shares[b].floor()).total_cmp(&(shares[a] - shares[a].floor())));
        for &class in by_remainder.iter().cycle().take(members.len() * 2) {
            if cuts.iter().sum::<usize>() >= target {
                break;
            }
            if cuts[class] < members[class].len() {
                cuts[class] += 1;
            }
        }
        let mut train = Vec::new();
        let mut test = Vec::new();
        for (rows, cut) in members.iter().zip(cuts) {
            train.extend_from_slice(&rows[..cut]);
            test.extend_from_slice(&rows[cut..]);
        }
        train.sort_unstable();
        test.sort_unstable();
        Split { train: points.subset(&train), test: points.subset(&test), unlabelled: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unbalanced_classes_split_to_the_exact_total_and_keep_their_shares() {
        let labels: Vec<usize> = (0..1003).map(|i| if i % 7 == 0 { 2 } else { i % 2 }).collect();
        let points = Points { features: (0..1003).map(|i| i as f32).collect(), labels, dims: 1, classes: 3 };
        let split = Split::stratified(&points, 0.8, 4);
        assert_eq!(split.train.len(), 802);
        assert_eq!(split.test.len(), 201);
        for class in 0..3 {
            let all = points.labels.iter().filter(|&&l| l == class).count() as f32;
            let train = split.train.labels.iter().filter(|&&l| l == class).count() as f32;
            assert!((train - all * 0.8).abs() <= 1.0, "class {class}: {train} of {all}");
        }
        let mut rows: Vec<f32> = split.train.features.iter().chain(&split.test.features).copied().collect();
        rows.sort_by(f32::total_cmp);
        assert_eq!(rows, points.features, "every point lands in exactly one half");
        assert_eq!(split, Split::stratified(&points, 0.8, 4));
    }
}
