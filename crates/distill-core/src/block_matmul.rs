//! The MLPs' matrix product. On WebGPU it runs a kernel of its own, in which each invocation
//! computes an 8×8 block of the output and reads its inputs through their strides. Burn's
//! default there, a unit-tiled kernel sized for GPUs with many cores per workgroup, runs a
//! 128×784 by 784×128 product in a handful of workgroups, and a software adapter (which runs
//! workgroups on CPU threads) then spends most of a step in it; cubek's naive kernel (one
//! output element per invocation) was faster but copied every row-major right operand first.
//! Burn's `autotune` would find a faster kernel but cannot be used: on wasm a candidate that
//! fails shader validation panics cubecl's runtime. On the CPU backend this is Burn's own product.

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
pub trait BlockMatmul: Backend {
    /// `lhs` (m×k) times `rhs` (k×n).
    #[fusion(dtype = lhs, shape = product_shape(lhs, rhs))]
    fn block_matmul(lhs: FloatTensor<Self>, rhs: FloatTensor<Self>) -> FloatTensor<Self>;
}

#[cfg(feature = "fusion")]
fn product_shape(lhs: &Shape, rhs: &Shape) -> Shape {
    Shape::new([lhs[0], rhs[1]])
}

/// `lhs` (m×k) times `rhs` (k×n), differentiable.
pub fn matmul(lhs: Tensor<2>, rhs: Tensor<2>) -> Tensor<2> {
    Tensor::from_dispatch(<Dispatch as BlockMatmul>::block_matmul(lhs.into_dispatch(), rhs.into_dispatch()))
}

impl BlockMatmul for Flex {
    fn block_matmul(lhs: FloatTensor<Self>, rhs: FloatTensor<Self>) -> FloatTensor<Self> {
        Flex::float_matmul(lhs, rhs)
    }
}

#[cfg(feature = "wgpu")]
impl BlockMatmul for burn_cubecl::CubeBackend {
    fn block_matmul(lhs: FloatTensor<Self>, rhs: FloatTensor<Self>) -> FloatTensor<Self> {
        use burn::backend::cubecl::dtype_to_storage_type;
        use burn_cubecl::cubecl::prelude::{CubeCount, CubeDim};

        let out = burn_cubecl::kernel::matmul::init_matmul_output(&lhs, &rhs, lhs.dtype);
        let [rows, columns] = [out.meta.shape()[0], out.meta.shape()[1]];
        let group = CubeDim::new_2d(GROUP.0, GROUP.1);
        let count = CubeCount::Static(
            columns.div_ceil(BLOCK * GROUP.0 as usize) as u32,
            rows.div_ceil(BLOCK * GROUP.1 as usize) as u32,
            1,
        );
        let dtype = dtype_to_storage_type(lhs.dtype);
        kernel::strided_product::launch(
            &out.client,
            count,
            group,
            lhs.into_tensor_arg(),
            rhs.into_tensor_arg(),
            out.clone().into_tensor_arg(),
            BLOCK,
            dtype,
        );
        out
    }
}

/// Each invocation computes a `BLOCK`×`BLOCK` block of the output: it reads `2·BLOCK` inputs for
/// `BLOCK²` products at each step of the sum, where one element per invocation reads two for
/// one (a software adapter spends most of a product in its bounds-checked loads).
#[cfg(feature = "wgpu")]
const BLOCK: usize = 8;
/// Invocations per workgroup, along the output's columns and rows.
#[cfg(feature = "wgpu")]
const GROUP: (u32, u32) = (4, 4);

/// The product, each input read through its strides: a transposed view (as in every backward)
/// needs no copy first.
#[cfg(feature = "wgpu")]
mod kernel {
    use burn_cubecl::cubecl;
    use cubecl::prelude::*;

    #[cube(launch)]
    pub fn strided_product<F: Float>(
        lhs: &Tensor<F>,
        rhs: &Tensor<F>,
        out: &mut Tensor<F>,
        #[comptime] block: usize,
        #[define(F)] _dtype: ElemType,
    ) {
        let (rows, columns) = (out.shape(0), out.shape(1));
        let first_row = ABSOLUTE_POS_Y as usize * block;
        let first_column = ABSOLUTE_POS_X as usize * block;
        if first_row >= rows || first_column >= columns {
            terminate!();
        }
        // Rows and columns past the edge read the last one; their sums are not written.
        let mut lhs_at = Array::<usize>::new(block);
        let mut rhs_at = Array::<usize>::new(block);
        #[unroll]
        for i in 0..block {
            let (row, column) = (first_row + i, first_column + i);
            lhs_at[i] = select(row < rows, row, rows - 1) * lhs.stride(0);
            rhs_at[i] = select(column < columns, column, columns - 1) * rhs.stride(1);
        }
        let mut sums = Array::<F>::new(block * block);
        #[unroll]
        for i in 0..block * block {
            sums[i] = F::new(0.0);
        }
        let mut a = Array::<F>::new(block);
        let mut b = Array::<F>::new(block);
        let (lhs_step, rhs_step) = (lhs.stride(1), rhs.stride(0));
        for k in 0..lhs.shape(1) {
            #[unroll]
            for i in 0..block {
                a[i] = lhs[lhs_at[i] + k * lhs_step];
                b[i] = rhs[rhs_at[i] + k * rhs_step];
            }
            #[unroll]
            for i in 0..block {
                #[unroll]
                for j in 0..block {
                    sums[i * block + j] += a[i] * b[j];
                }
            }
        }
        #[unroll]
        for i in 0..block {
            #[unroll]
            for j in 0..block {
                let (row, column) = (first_row + i, first_column + j);
                if row < rows && column < columns {
                    let at = row * out.stride(0) + column * out.stride(1);
                    out[at] = sums[i * block + j];
                }
            }
        }
    }
}

/// Gradients as for any product: d lhs = grad · rhsᵀ, d rhs = lhsᵀ · grad, each only where
/// its input is tracked (never for the input data).
#[derive(Debug)]
struct ProductBackward;

impl<B: Backend + BlockMatmul> Backward<B, 2> for ProductBackward {
    type State = (Option<FloatTensor<B>>, Option<FloatTensor<B>>);

    fn backward(self, ops: Ops<Self::State, 2>, grads: &mut Gradients, _checkpointer: &mut Checkpointer) {
        let [lhs_node, rhs_node] = ops.parents;
        let grad = grads.consume::<B>(&ops.node);
        let (lhs, rhs) = ops.state;
        if let (Some(node), Some(rhs)) = (lhs_node, rhs) {
            grads.register::<B>(node.id, B::block_matmul(grad.clone(), B::float_transpose(rhs)));
        }
        if let (Some(node), Some(lhs)) = (rhs_node, lhs) {
            grads.register::<B>(node.id, B::block_matmul(B::float_transpose(lhs), grad));
        }
    }
}

impl<B: Backend + BlockMatmul, C: CheckpointStrategy> BlockMatmul for Autodiff<B, C> {
    fn block_matmul(lhs: FloatTensor<Self>, rhs: FloatTensor<Self>) -> FloatTensor<Self> {
        let (lhs_tracked, rhs_tracked) = (lhs.is_tracked(), rhs.is_tracked());
        match ProductBackward.prepare::<C>([lhs.node(), rhs.node()]).compute_bound().stateful() {
            OpsKind::Tracked(prep) => {
                let (lhs, rhs) = (lhs.into_primitive(), rhs.into_primitive());
                // Each input is kept only for the other one's gradient.
                let state = (rhs_tracked.then(|| lhs.clone()), lhs_tracked.then(|| rhs.clone()));
                prep.finish(state, B::block_matmul(lhs, rhs))
            }
            OpsKind::UnTracked(prep) => prep.finish(B::block_matmul(lhs.into_primitive(), rhs.into_primitive())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_tensors::uniform;
    use burn::tensor::Tolerance;

    fn random(shape: [usize; 2], seed: u64, device: &Device) -> Tensor<2> {
        uniform(shape, 1.0, seed, device)
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
