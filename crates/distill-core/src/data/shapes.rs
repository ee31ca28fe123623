//! Seeded generators for the 2-D datasets. Every point lies in the plane [-1, 1]².

use std::f32::consts::TAU;

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Normal};
use serde::{Deserialize, Serialize};

use super::Points;

/// Turns of each spiral arm: enough to need a curved boundary, few enough for a tiny student.
const SPIRAL_TURNS: f32 = 1.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ShapeKind {
    Spiral,
    Moons,
    Circles,
    Xor,
    Gaussians,
}

impl ShapeKind {
    pub const ALL: [ShapeKind; 5] =
        [ShapeKind::Spiral, ShapeKind::Moons, ShapeKind::Circles, ShapeKind::Xor, ShapeKind::Gaussians];

    pub fn name(self) -> &'static str {
        match self {
            ShapeKind::Spiral => "spiral",
            ShapeKind::Moons => "moons",
            ShapeKind::Circles => "circles",
            ShapeKind::Xor => "xor",
            ShapeKind::Gaussians => "gaussians",
        }
    }

    pub fn from_name(name: &str) -> Option<ShapeKind> {
        ShapeKind::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// Moons, circles and xor are two-class problems by construction.
    pub fn supports_classes(self, classes: usize) -> bool {
        match self {
            ShapeKind::Spiral | ShapeKind::Gaussians => (2..=5).contains(&classes),
            _ => classes == 2,
        }
    }
}

/// `count` points split evenly over `classes`; `noise` is the spread of a Gaussian jitter in
/// plane units (0 gives the clean shape).
pub fn generate(kind: ShapeKind, count: usize, classes: usize, noise: f32, seed: u64) -> Points {
    let classes = if kind.supports_classes(classes) { classes } else { 2 };
    let mut rng = StdRng::seed_from_u64(seed);
    let jitter = Normal::new(0.0f32, noise.max(0.0)).expect("a non-negative spread is valid");
    let mut features = Vec::with_capacity(count * 2);
    let mut labels = Vec::with_capacity(count);
    for index in 0..count {
        let class = index % classes;
        // Position of this point along its class's curve, in [0, 1).
        let along = (index / classes) as f32 / count.div_ceil(classes) as f32;
        let [x, y] = match kind {
            ShapeKind::Spiral => {
                let radius = 0.05 + 0.85 * along;
                let angle = SPIRAL_TURNS * TAU * along + class as f32 * TAU / classes as f32;
                [radius * angle.sin(), radius * angle.cos()]
            }
            ShapeKind::Moons => {
                let angle = std::f32::consts::PI * rng.random::<f32>();
                if class == 0 {
                    [0.55 * angle.cos() - 0.25, 0.55 * angle.sin() - 0.15]
                } else {
                    [0.25 - 0.55 * angle.cos(), 0.15 - 0.55 * angle.sin()]
                }
            }
            ShapeKind::Circles => {
                let radius = if class == 0 { 0.45 * rng.random::<f32>() } else { 0.6 + 0.3 * rng.random::<f32>() };
                let angle = TAU * rng.random::<f32>();
                [radius * angle.sin(), radius * angle.cos()]
            }
            ShapeKind::Xor => {
                // A margin keeps clean points off the axes, where the label flips.
                let mut coordinate = || 0.08 + 0.82 * rng.random::<f32>();
                let (a, b) = (coordinate(), coordinate());
                // Class 0 in the quadrants where x·y > 0.
                let flip = rng.random::<bool>();
                let sign = if flip { -1.0 } else { 1.0 };
                if class == 0 { [sign * a, sign * b] } else { [sign * a, -sign * b] }
            }
            ShapeKind::Gaussians => {
                let angle = class as f32 * TAU / classes as f32 + 0.4;
                let centre = [0.5 * angle.cos(), 0.5 * angle.sin()];
                let spread = Normal::new(0.0f32, 0.15).expect("valid spread");
                [centre[0] + spread.sample(&mut rng), centre[1] + spread.sample(&mut rng)]
            }
        };
        let x = (x + jitter.sample(&mut rng)).clamp(-1.0, 1.0);
        let y = (y + jitter.sample(&mut rng)).clamp(-1.0, 1.0);
        features.extend_from_slice(&[x, y]);
        labels.push(class);
    }
    Points { features, labels, dims: 2, classes }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_points_and_other_seed_other_points() {
        for kind in ShapeKind::ALL {
            let a = generate(kind, 200, 2, 0.1, 7);
            assert_eq!(a, generate(kind, 200, 2, 0.1, 7), "{kind:?}");
            assert_ne!(a.features, generate(kind, 200, 2, 0.1, 8).features, "{kind:?}");
        }
    }

    #[test]
    fn classes_are_balanced_and_points_stay_in_the_plane() {
        for kind in ShapeKind::ALL {
            let classes = if kind.supports_classes(3) { 3 } else { 2 };
            let points = generate(kind, 300, classes, 0.3, 1);
            for class in 0..classes {
                let count = points.labels.iter().filter(|&&l| l == class).count();
                assert_eq!(count, 300 / classes, "{kind:?} class {class}");
            }
            assert!(points.features.iter().all(|v| (-1.0..=1.0).contains(v)));
        }
    }

    #[test]
    fn names_round_trip() {
        for kind in ShapeKind::ALL {
            assert_eq!(ShapeKind::from_name(kind.name()), Some(kind));
        }
        assert_eq!(ShapeKind::from_name("torus"), None);
    }
}
