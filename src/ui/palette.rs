//! Class colours from the Okabe–Ito palette, distinguishable with every common colour-vision
//! deficiency.

pub const CLASS_COLOURS: [[u8; 3]; 5] = [[0, 114, 178], [230, 159, 0], [0, 158, 115], [204, 121, 167], [86, 180, 233]];

pub fn class_colour(class: usize) -> [u8; 3] {
    CLASS_COLOURS[class % CLASS_COLOURS.len()]
}

pub fn css(colour: [u8; 3]) -> String {
    format!("rgb({}, {}, {})", colour[0], colour[1], colour[2])
}

/// A cell's colour: the class colour, paler where the model is unsure.
pub fn shade(class: usize, confidence: u8) -> [u8; 3] {
    let strength = 0.12 + 0.7 * confidence as f32 / 255.0;
    class_colour(class).map(|c| (255.0 + (c as f32 - 255.0) * strength).round() as u8)
}
