//! The text lab's teacher network, natively on the CPU backend: causal, seeded, and weights that
//! go to a file and back. (How it writes for the API: `text_lab::writer`.)

use distill_core::burn::prelude::*;
use distill_core::data::text::{VOCABULARY, Work, encode};
use distill_core::model::Precision;
use distill_core::text_lab::language_model::{CharTransformer, TransformerSpec, consecutive_windows, mean_loss};

const TINY: TransformerSpec = TransformerSpec { context: 8, width: 16, layers: 1, heads: 2 };

fn ids(text: &str, device: &Device) -> Tensor<2, Int> {
    let ids: Vec<i64> = encode(text).ids.iter().map(|&id| id as i64).collect();
    Tensor::from_data(TensorData::new(ids, [1, text.len()]), device)
}

fn values(tensor: Tensor<3>) -> Vec<f32> {
    tensor.into_data().convert::<f32>().try_to_vec::<f32>().unwrap()
}

#[test]
fn a_position_sees_only_the_characters_before_it() {
    let device = Device::flex();
    let model = TINY.init(3, &device);
    let (a, b) = (values(model.forward(ids("To be or", &device))), values(model.forward(ids("To be no", &device))));
    assert_eq!(a.len(), 8 * VOCABULARY);
    // The first six positions read the same characters; the last two differ.
    let close = |x: &[f32], y: &[f32]| x.iter().zip(y).all(|(x, y)| (x - y).abs() < 1e-5);
    assert!(close(&a[..6 * VOCABULARY], &b[..6 * VOCABULARY]), "a later character changed an earlier output");
    assert!(!close(&a[7 * VOCABULARY..], &b[7 * VOCABULARY..]));
}

#[test]
fn weights_round_trip_through_a_file_and_a_damaged_one_is_an_assets_error() {
    let device = Device::flex();
    let model = TINY.init(5, &device);
    let works = [Work { title: "W".into(), ids: encode(&"Who's there? Nay, answer me. ".repeat(20)).ids }];
    let windows = consecutive_windows(&works, TINY.context);
    let loss = mean_loss(&model, &windows, TINY.context, 4, &device);
    assert!((loss - (VOCABULARY as f32).ln()).abs() < 1.0, "an untrained model is near uniform: {loss}");
    let full = CharTransformer::from_bytes(&TINY, &model.to_bytes(Precision::Full).unwrap(), &device).unwrap();
    assert!((mean_loss(&full, &windows, TINY.context, 4, &device) - loss).abs() < 1e-5);
    let half = CharTransformer::from_bytes(&TINY, &model.to_bytes(Precision::Half).unwrap(), &device).unwrap();
    assert!((mean_loss(&half, &windows, TINY.context, 4, &device) - loss).abs() < 1e-2);
    let bytes = model.to_bytes(Precision::Half).unwrap();
    assert!(CharTransformer::from_bytes(&TINY, &bytes[..bytes.len() / 2], &device).is_err());
    let other = TransformerSpec { width: 32, ..TINY };
    assert!(CharTransformer::from_bytes(&other, &bytes, &device).is_err());
}

#[test]
fn the_same_seed_gives_the_same_network() {
    let device = Device::flex();
    let text = ids("Who's th", &device);
    assert_eq!(
        values(TINY.init(9, &device).forward(text.clone())),
        values(TINY.init(9, &device).forward(text.clone()))
    );
    assert_ne!(values(TINY.init(9, &device).forward(text.clone())), values(TINY.init(10, &device).forward(text)));
}
