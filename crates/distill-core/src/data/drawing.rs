//! A drawing prepared as the MNIST digits were: the ink's bounding box scaled into a 20×20 box
//! keeping its aspect, with grey levels from the scaling, then placed in 28×28 so that its centre
//! of mass sits at the centre. Models trained on MNIST only recognise digits prepared this way.

/// Side of the prepared image, in pixels.
pub const SIDE: usize = 28;
/// Side of the box the ink is scaled into.
const INK_BOX: f32 = 20.0;
/// Coverage below this is no ink (anti-aliasing fringes of an empty canvas).
const INK_THRESHOLD: f32 = 0.05;

/// `ink`: a row-major `width × height` grid of ink coverage in 0..=1 (a canvas's alpha, say).
/// Returns `SIDE × SIDE` values in 0..=1, row-major, or `None` when nothing is drawn.
pub fn mnist_like(ink: &[f32], width: usize, height: usize) -> Option<Vec<f32>> {
    if width == 0 || height == 0 || ink.len() != width * height {
        return None;
    }
    let inked = |x: usize, y: usize| ink[y * width + x] > INK_THRESHOLD;
    let rows: Vec<usize> = (0..height).filter(|&y| (0..width).any(|x| inked(x, y))).collect();
    let cols: Vec<usize> = (0..width).filter(|&x| (0..height).any(|y| inked(x, y))).collect();
    let (&top, &bottom) = (rows.first()?, rows.last()?);
    let (&left, &right) = (cols.first()?, cols.last()?);
    let (box_w, box_h) = ((right - left + 1) as f32, (bottom - top + 1) as f32);
    let scale = INK_BOX / box_w.max(box_h);
    let (out_w, out_h) = (((box_w * scale).round() as usize).max(1), ((box_h * scale).round() as usize).max(1));

    // Each scaled pixel averages the source pixels it covers (at least the nearest one).
    let mut scaled = vec![0.0f32; out_w * out_h];
    for ty in 0..out_h {
        for tx in 0..out_w {
            let x0 = left as f32 + tx as f32 / scale;
            let y0 = top as f32 + ty as f32 / scale;
            let (x1, y1) = (x0 + 1.0 / scale, y0 + 1.0 / scale);
            let (sx0, sy0) = (x0.floor() as usize, y0.floor() as usize);
            let sx1 = (x1.ceil() as usize).clamp(sx0 + 1, right + 1);
            let sy1 = (y1.ceil() as usize).clamp(sy0 + 1, bottom + 1);
            let (mut sum, mut count) = (0.0, 0.0);
            for sy in sy0..sy1 {
                for sx in sx0..sx1 {
                    sum += ink[sy * width + sx];
                    count += 1.0;
                }
            }
            scaled[ty * out_w + tx] = (sum / count).clamp(0.0, 1.0);
        }
    }

    // Centre of mass of the scaled ink, moved to the image's centre (and kept inside the frame).
    let mass: f32 = scaled.iter().sum();
    if mass <= 0.0 {
        return None;
    }
    let (mut cx, mut cy) = (0.0, 0.0);
    for (i, &v) in scaled.iter().enumerate() {
        cx += (i % out_w) as f32 * v;
        cy += (i / out_w) as f32 * v;
    }
    let centre = (SIDE as f32 - 1.0) / 2.0;
    let place = |com: f32, len: usize| (centre - com / mass).round().clamp(0.0, (SIDE - len) as f32) as usize;
    let (dx, dy) = (place(cx, out_w), place(cy, out_h));
    let mut image = vec![0.0f32; SIDE * SIDE];
    for y in 0..out_h {
        for x in 0..out_w {
            image[(y + dy) * SIDE + x + dx] = scaled[y * out_w + x];
        }
    }
    Some(image)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canvas(width: usize, height: usize, ink: impl Fn(usize, usize) -> bool) -> Vec<f32> {
        (0..width * height).map(|i| if ink(i % width, i / width) { 1.0 } else { 0.0 }).collect()
    }

    fn bounds(image: &[f32]) -> (usize, usize, usize, usize) {
        let inked: Vec<(usize, usize)> =
            (0..SIDE * SIDE).filter(|&i| image[i] > 0.0).map(|i| (i % SIDE, i / SIDE)).collect();
        let xs = inked.iter().map(|p| p.0);
        let ys = inked.iter().map(|p| p.1);
        (xs.clone().min().unwrap(), xs.max().unwrap(), ys.clone().min().unwrap(), ys.max().unwrap())
    }

    #[test]
    fn an_empty_canvas_is_no_digit() {
        assert_eq!(mnist_like(&vec![0.0; 100 * 100], 100, 100), None);
        assert_eq!(mnist_like(&[], 0, 0), None);
    }

    #[test]
    fn a_tall_stroke_fills_20_pixels_of_height_centred_by_its_mass() {
        // A vertical bar in the top-left corner of a 280×280 pad.
        let image =
            mnist_like(&canvas(280, 280, |x, y| (10..30).contains(&x) && (5..205).contains(&y)), 280, 280).unwrap();
        let (x0, x1, y0, y1) = bounds(&image);
        assert_eq!(y1 - y0 + 1, 20, "the long side becomes 20 pixels");
        assert_eq!(x1 - x0 + 1, 2, "the short side keeps the aspect");
        assert!((y0 as i32 - 4).abs() <= 1 && (x0 as i32 - 13).abs() <= 1, "centred: {x0}..{x1}, {y0}..{y1}");
        assert!(image.iter().all(|v| (0.0..=1.0).contains(v)));
    }

    #[test]
    fn the_same_shape_anywhere_and_at_any_size_prepares_alike() {
        let ring = |cx: f32, cy: f32, r: f32| {
            move |x: usize, y: usize| {
                let d = ((x as f32 - cx).powi(2) + (y as f32 - cy).powi(2)).sqrt();
                (r * 0.7..r).contains(&d)
            }
        };
        let small = mnist_like(&canvas(280, 280, ring(60.0, 200.0, 40.0)), 280, 280).unwrap();
        let large = mnist_like(&canvas(280, 280, ring(150.0, 140.0, 120.0)), 280, 280).unwrap();
        let differing = small.iter().zip(&large).filter(|(a, b)| (*a - *b).abs() > 0.5).count();
        assert!(differing < 40, "{differing} of 784 pixels differ");
        assert_eq!(small[14 * SIDE + 14], 0.0, "a ring stays hollow");
    }
}
