// W1 on TensorFlow.js: one distillation step of a 784-128-10 ReLU student, batch 128, T = 4,
// alpha = 0.9, Adam lr 1e-3, reading the loss every 10 steps. The plan is the engine's
// (`distill_core::bench::W1_PLAN`): warm up for at least 3 s and 10 steps, then time at least 3 s
// and 100 steps, each phase ending on a read-back.
// Plain ops on tf.variable weights (no Layers model) so the work matches the engine's.
const tf = window.tf;
const query = new URLSearchParams(location.search);
const backend = query.get('backend') ?? 'wasm';
const PLAN = { warmUpMs: 3000, warmUpSteps: 10, timedMs: 3000, timedSteps: 100 };
const [BATCH, IN, HIDDEN, OUT, T, ALPHA] = [128, 784, 128, 10, 4, 0.9];

const loadScript = (src) =>
  new Promise((resolve, reject) => {
    const script = Object.assign(document.createElement('script'), { src, onload: resolve });
    script.onerror = () => reject(new Error(`cannot load ${src}`));
    document.head.append(script);
  });

async function start() {
  const bundle = { wasm: 'tfjs-backend-wasm/dist/tf-backend-wasm.min.js', webgpu: 'tfjs-backend-webgpu/dist/tf-backend-webgpu.min.js' }[backend];
  if (!bundle) throw new Error(`unknown backend ${backend}`);
  // tf-core's bundle ships no gradient functions (the @tensorflow/tfjs union adds them). Core's
  // own ESM copy registers them into the registry it shares with the bundle through globalThis.
  await import('/tfjs/tfjs-core/dist/register_all_gradients.js');
  await loadScript(`/tfjs/${bundle}`);
  // The .wasm files are served next to the bundle, not next to this page.
  if (backend === 'wasm') tf.wasm.setWasmPaths('/tfjs/tfjs-backend-wasm/dist/');
  // tfjs only logs why webgpu failed; ask first so the result can say so.
  if (backend === 'webgpu' && !(await navigator.gpu?.requestAdapter())) throw new Error('no WebGPU adapter');
  // setBackend resolves false, rather than throwing, when the backend cannot start.
  if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') failed`);
  await tf.ready();
}

function glorot(shape, seed) {
  const limit = Math.sqrt(6 / (shape[0] + shape[1]));
  return tf.variable(tf.randomUniform(shape, -limit, limit, 'float32', seed));
}

async function run() {
  await start();
  const w1 = glorot([IN, HIDDEN], 1);
  const b1 = tf.variable(tf.zeros([HIDDEN]));
  const w2 = glorot([HIDDEN, OUT], 2);
  const b2 = tf.variable(tf.zeros([OUT]));
  // Fixed random batch: the timing is about the step, not the data.
  const x = tf.randomUniform([BATCH, IN], 0, 1, 'float32', 3);
  const teacher = tf.randomNormal([BATCH, OUT], 0, 3, 'float32', 4);
  const labels = tf.cast(tf.oneHot(tf.randomUniform([BATCH], 0, OUT, 'int32', 5), OUT), 'float32');
  // The teacher's log-probabilities at T, computed once, as the engine's W1 (and a session) does.
  const logPt = tf.logSoftmax(tf.div(teacher, T));
  // Burn's AdamConfig defaults (betas 0.9/0.999, epsilon 1e-5), which the engine uses.
  const optimizer = tf.train.adam(1e-3, 0.9, 0.999, 1e-5);

  // Functional ops only: tf-core's UMD bundle does not register the chained (tensor.op) forms.
  const loss = () => {
    const hidden = tf.relu(tf.add(tf.matMul(x, w1), b1));
    const student = tf.add(tf.matMul(hidden, w2), b2);
    const logPs = tf.logSoftmax(tf.div(student, T));
    // KL(p_t || p_s), summed over classes, mean over the batch.
    const kl = tf.mean(tf.sum(tf.mul(tf.exp(logPt), tf.sub(logPt, logPs)), 1));
    const ce = tf.neg(tf.mean(tf.sum(tf.mul(labels, tf.logSoftmax(student)), 1)));
    return tf.add(tf.mul(kl, ALPHA * T * T), tf.mul(ce, 1 - ALPHA));
  };

  // Steps until both bounds are met, reading back every 10th loss so queued GPU work is inside the
  // timing; returns the steps taken and the milliseconds they took.
  let finalLoss = NaN;
  const train = async (minMs, minSteps) => {
    const t0 = performance.now();
    for (let i = 1; ; i++) {
      const value = optimizer.minimize(loss, true, [w1, b1, w2, b2]);
      const readBack = i % 10 === 0;
      if (readBack) finalLoss = (await value.data())[0];
      value.dispose();
      const ms = performance.now() - t0;
      if (readBack && i >= minSteps && ms >= minMs) return { steps: i, ms };
    }
  };

  const dispatchesBefore = window.__dispatches ?? 0;
  const warm = await train(PLAN.warmUpMs, PLAN.warmUpSteps);
  const warmup = warm.steps;
  const timed = await train(PLAN.timedMs, PLAN.timedSteps);
  const [steps, seconds] = [timed.steps, timed.ms / 1000];
  // Counted by run.mjs on WebGPU, as the engine counts its own: the same profile for both.
  const dispatchesPerStep = ((window.__dispatches ?? 0) - dispatchesBefore) / (warmup + steps);

  const result = {
    backend, ok: true, stepsPerSecond: steps / seconds, steps, warmup, warmupStepsPerSecond: warmup / (warm.ms / 1000),
    finalLoss, seconds, dispatchesPerStep,
  };
  if (backend === 'wasm') {
    result.wasmFeatures = {
      simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
      threads: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
      threadsCount: tf.wasm.getThreadsCount?.(),
    };
  }
  if (backend === 'webgpu') result.adapter = tf.backend().adapterInfo ?? null;
  return result;
}

run()
  .catch((error) => ({ backend, ok: false, error: String(error?.message ?? error) }))
  .then((result) => {
    window.__peer = result;
    document.getElementById('out').textContent = JSON.stringify(result, null, 2);
  });
