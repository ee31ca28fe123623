//! The MLPs' matrix product. On WebGPU it runs cubek's naive kernel, one invocation per output
//! element: Burn's default there, a unit-tiled kernel sized for GPUs with many cores per
//! workgroup, runs a 128×784 by 784×128 product in a handful of workgroups, and a software
//! adapter (which runs workgroups on CPU threads) then spends most of a step in it. Burn's
//! `autotune` would find a faster kernel but cannot be used: on wasm a candidate that fails
//! shader validation panics cubecl's runtime. On the CPU backend this is Burn's own product.

use burn::backend::autodiff::Autodiff;
use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::ops::FloatTensorOps;
use burn::backend::tensor::FloatTensor;
use burn::backend::{Backend, Dispatch, Flex, backend_extension};
use burn::prelude::*;

#[backend_extension(Cube: cfg(feature = "wgpu"), Fusion: cfg(feature = "fusion"), Flex, Autodiff)]
pub trait PerElementMatmul: Backend {
    /// `lhs` (m×k) times `rhs` (k×n).
    #[fusion(dtype = lhs, shape = product_shape(lhs, rhs))]
    fn per_element_matmul(lhs: FloatTensor<Self>, rhs: FloatTensor<Self>) -> FloatTensor<Self>;
}

#[cfg(feature = "fusion")]
fn product_shape(lhs: &Shape, rhs: &Shape) -> Shape {
    Shape::new([lhs[0], rhs[1]])
}

/// `lhs` (m×k) times `rhs` (k×n), differentiable.
pub fn matmul(lhs: Tensor<2>, rhs: Tensor<2>) -> Tensor<2> {
    Tensor::from_dispatch(<Dispatch as PerElementMatmul>::per_element_matmul(lhs.into_dispatch(), rhs.into_dispatch()))
}

impl PerElementMatmul for Flex {
    fn per_element_matmul(lhs: FloatTensor<Self>, rhs: FloatTensor<Self>) -> FloatTensor<Self> {
        Flex::float_matmul(lhs, rhs)
    }
}

#[cfg(feature = "wgpu")]
impl PerElementMatmul for burn_cubecl::CubeBackend {
    fn per_element_matmul(lhs: FloatTensor<Self>, rhs: FloatTensor<Self>) -> FloatTensor<Self> {
        use burn::backend::cubecl::dtype_to_storage_type;
        use cubek::matmul::definition::{MatmulElems, MatmulGlobalElems};
        use cubek::matmul::{multi_level, strategy::Strategy};
        use cubek::std::InputBinding;

        let out = burn_cubecl::kernel::matmul::init_matmul_output(&lhs, &rhs, lhs.dtype);
        let storage = dtype_to_storage_type(lhs.dtype);
        let mut dtypes = MatmulElems::from_globals(&MatmulGlobalElems { lhs: storage, rhs: storage, out: storage });
        let client = out.client.clone();
        let launched = cubek::matmul::launch::launch_ref(
            &Strategy::MultiLevel(multi_level::Strategy::Naive),
            &client,
            InputBinding::new(lhs.binding(), storage),
            InputBinding::new(rhs.binding(), storage),
            out.clone().binding(),
            &mut dtypes,
        );
        // The naive kernel takes any float shapes and layouts (it copies strided inputs first).
        launched.unwrap_or_else(|e| panic!("the matrix product could not be launched: {e:?}"));
        out
    }
}

/// Gradients as for any product: d lhs = grad · rhsᵀ, d rhs = lhsᵀ · grad, each only where
/// its input is tracked (never for the input data).
#[derive(Debug)]
struct ProductBackward;

impl<B: Backend + PerElementMatmul> Backward<B, 2> for ProductBackward {
    type State = (Option<FloatTensor<B>>, Option<FloatTensor<B>>);

    fn backward(self, ops: Ops<Self::State, 2>, grads: &mut Gradients, _checkpointer: &mut Checkpointer) {
        let [lhs_node, rhs_node] = ops.parents;
        let grad = grads.consume::<B>(&ops.node);
        let (lhs, rhs) = ops.state;
        if let (Some(node), Some(rhs)) = (lhs_node, rhs) {
            grads.register::<B>(node.id, B::per_element_matmul(grad.clone(), B::float_transpose(rhs)));
        }
        if let (Some(node), Some(lhs)) = (rhs_node, lhs) {
            grads.register::<B>(node.id, B::per_element_matmul(B::float_transpose(lhs), grad));
        }
    }
}

impl<B: Backend + PerElementMatmul, C: CheckpointStrategy> PerElementMatmul for Autodiff<B, C> {
    fn per_element_matmul(lhs: FloatTensor<Self>, rhs: FloatTensor<Self>) -> FloatTensor<Self> {
        let (lhs_tracked, rhs_tracked) = (lhs.is_tracked(), rhs.is_tracked());
        match ProductBackward.prepare::<C>([lhs.node(), rhs.node()]).compute_bound().stateful() {
            OpsKind::Tracked(prep) => {
                let (lhs, rhs) = (lhs.into_primitive(), rhs.into_primitive());
                // Each input is kept only for the other one's gradient.
                let state = (rhs_tracked.then(|| lhs.clone()), lhs_tracked.then(|| rhs.clone()));
                prep.finish(state, B::per_element_matmul(lhs, rhs))
            }
            OpsKind::UnTracked(prep) => prep.finish(B::per_element_matmul(lhs.into_primitive(), rhs.into_primitive())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::Tolerance;

    fn random(shape: [usize; 2], seed: u64, device: &Device) -> Tensor<2> {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let values: Vec<f32> = (0..shape[0] * shape[1]).map(|_| rng.random_range(-1.0..1.0)).collect();
        Tensor::from_data(TensorData::new(values, shape), device)
    }

    /// The product and both gradients agree with Burn's own, and an untracked input gets none.
    #[test]
    fn products_and_gradients_match_burns() {
        let device = Device::default().autodiff();
        let x = random([5, 7], 1, &device);
        let w = random([7, 3], 2, &device).require_grad();
        let h = random([3, 4], 3, &device).require_grad();
        let ours = matmul(matmul(x.clone(), w.clone()).tanh(), h.clone());
        let burns = x.clone().matmul(w.clone()).tanh().matmul(h.clone());
        ours.to_data().assert_approx_eq::<f32>(&burns.to_data(), Tolerance::default());
        let (ours, burns) = (ours.sum().backward(), burns.sum().backward());
        for param in [&w, &h] {
            let (a, b) = (param.grad(&ours).expect("a gradient"), param.grad(&burns).expect("a gradient"));
            a.to_data().assert_approx_eq::<f32>(&b.to_data(), Tolerance::default());
        }
        assert!(x.grad(&ours).is_none(), "the input data is not tracked");
    }
}
