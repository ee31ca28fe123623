// Every reference workload (W1–W4 of the design), natively and in headless Chromium on the CPU
// path and the WebGPU path (Chromium's software adapter here), with TensorFlow.js as the peer
// on W1. Writes BENCHMARKS.md (or the file named by BENCH_OUT); run through scripts/bench.sh.
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { serve, launch, text as figure } from '../tests/browser/harness.mjs';
import { runPeer } from './peer/run.mjs';
import { kernelTimes } from './kernel-times.mjs';
import { watchFirstStep } from './first-step.mjs';
import { section as textSection, TITLE as TEXT_TITLE } from './bench-text.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TRAIN_SECONDS = Number(process.env.BENCH_TRAIN_SECONDS ?? 30);
/** W2 on the software adapter cannot finish in reasonable time; it gets this long. */
const W2_GPU_SECONDS = Number(process.env.BENCH_W2_GPU_SECONDS ?? 120);
const SOAK_STEPS = 20_000;
const OUT = process.env.BENCH_OUT ?? 'BENCHMARKS.md';

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const show = (values, digits = 0) =>
  `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;
const progress = (line) => process.stderr.write(`${line}\n`);

/** Records long tasks and the moment the first training step shows (see `first-step.mjs`);
 *  returns `shown`, a promise of that moment. */
async function instrument(page) {
  const { shown } = await watchFirstStep(page, 600_000);
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longTasks.push([entry.startTime, entry.duration]);
    }).observe({ type: 'longtask', buffered: true });
  });
  return { shown };
}

async function startup(browser, url) {
  const page = await browser.newPage();
  const { shown } = await instrument(page);
  await page.goto(url);
  await shown;
  const result = await page.evaluate(() => ({
    paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
    firstStep: window.__firstStep,
  }));
  await page.close();
  return result;
}

async function responsiveness(browser, url) {
  const page = await browser.newPage();
  const { shown } = await instrument(page);
  await page.goto(url);
  await shown;
  const from = await page.evaluate(() => performance.now());
  await page.waitForTimeout(TRAIN_SECONDS * 1000);
  const result = await page.evaluate((start) => {
    const during = window.__longTasks.filter(([t]) => t >= start);
    return {
      count: during.length,
      longest: during.reduce((m, [, d]) => Math.max(m, d), 0),
      steps: Number(document.querySelector('[data-testid="teacher-step"]').textContent)
        + Number(document.querySelector('[data-testid="step"]').textContent),
    };
  }, from);
  await page.close();
  return result;
}

/** W1 in the engine (`bench=w1`): steps per second as the page reports them. */
async function w1(browser, url) {
  const page = await browser.newPage();
  await page.goto(url);
  const value = await page.waitForFunction(
    () => document.querySelector('[data-testid="bench-w1"]')?.dataset.stepsPerSecond,
    null,
    { timeout: 600_000, polling: 500 },
  );
  const rate = Number(await value.jsonValue());
  const read = async (name) => Number(await page.locator('[data-testid="bench-w1"]').getAttribute(`data-${name}`));
  const warmUpRate = (await read('warm-up-steps')) / (await read('warm-up-seconds'));
  const dispatches = await read('dispatches-per-step');
  const time = {
    wall: await read('wall-ms'),
    calls: await read('webgpu-calls-ms'),
    wait: await read('device-wait-ms'),
    pipelines: await read('pipelines-per-step'),
  };
  await page.close();
  return { rate, warmUpRate, dispatches, time };
}

/** W2: seconds from the first training step until the distilled student reaches 95% of the
 *  teacher's test accuracy, and the page's steps/s figure beside the rate measured from outside. */
async function w2(browser, url, limitSeconds) {
  const page = await browser.newPage();
  const { shown } = await instrument(page);
  await page.goto(url);
  await shown;
  const start = Date.now();
  const samples = [];
  for (;;) {
    const sample = {
      at: Date.now(),
      step: Number(await figure(page, 'step')),
      teacher: parseFloat(await figure(page, 'acc-teacher')),
      student: parseFloat(await figure(page, 'acc-student')),
      rate: parseFloat(await figure(page, 'steps-per-second')),
    };
    if (sample.step > 0) samples.push(sample);
    if (sample.step > 0 && sample.student >= 0.95 * sample.teacher) {
      await page.close();
      return { seconds: (sample.at - start) / 1000, step: sample.step, reached: true, ...rates(samples) };
    }
    if ((Date.now() - start) / 1000 > limitSeconds) {
      await page.close();
      return { seconds: limitSeconds, step: sample.step, student: sample.student, reached: false, ...rates(samples) };
    }
    await page.waitForTimeout(200);
  }
}

/** The page's steps/s figure and the rate measured from outside, over the same samples: the
 *  last two thirds of the run, once the engine has settled on its chunk length. */
function rates(samples) {
  const settled = samples.slice(Math.floor(samples.length / 3));
  const [first, last] = [settled[0], settled[settled.length - 1]];
  const measured = first && last.at > first.at ? ((last.step - first.step) * 1000) / (last.at - first.at) : NaN;
  const shown = settled.map((s) => s.rate).filter(Number.isFinite);
  return { measured, shown: shown.length ? median(shown) : NaN };
}

async function soak(browser, url) {
  const page = await browser.newPage();
  const devtools = await page.context().newCDPSession(page);
  const sample = async () => {
    // The DevTools protocol's collection first: live bytes, not garbage. A single `gc()` left a
    // varying amount behind, enough to swing the change by tens of percent between runs.
    await devtools.send('HeapProfiler.collectGarbage');
    return page.evaluate(() => ({
      step: Number(document.querySelector('[data-testid="step"]').textContent),
      engine: Number(document.querySelector('[data-testid="engine-memory"]').dataset.bytes),
      heap: performance.memory?.usedJSHeapSize ?? NaN,
    }));
  };
  await page.goto(url);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="step"]')?.textContent) >= 1000, null, { timeout: 600_000 });
  const early = await sample();
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent === 'done', null, { timeout: 3_600_000 });
  const late = await sample();
  await page.close();
  return { early, late };
}

function wire() {
  const dist = join(process.cwd(), 'dist');
  const files = readdirSync(dist).filter((f) => /\.(wasm|js|css|html)$/.test(f));
  const gzip = (pattern) => files.filter((f) => pattern.test(f)).reduce((sum, f) => sum + gzipSync(readFileSync(join(dist, f)), { level: 9 }).length, 0);
  const page = gzip(/^(app-|index\.html)/);
  const cpuEngine = gzip(/^engine(-[0-9a-f]{16})?(_bg\.wasm|\.js|_loader\.js)$/);
  const gpuEngine = gzip(/^engine-gpu/);
  return { page, cpuEngine, gpuEngine, files: files.map((f) => [f, readFileSync(join(dist, f)).length, gzipSync(readFileSync(join(dist, f)), { level: 9 }).length]) };
}

const sh = (command, args) => execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
const out = [];
const log = (line = '') => out.push(line);
const targets = [];
const target = (what, value, goal, met) => targets.push(`| ${what} | ${value} | ${goal} | ${met ? 'met' : '**not met**'} |`);

// BENCH_ONLY=text measures the text lab's workload alone and rewrites its section of the file.
if (process.env.BENCH_ONLY === 'text') {
  const server = await serve();
  const lines = await textSection(server, RUNS);
  await server.close();
  const old = readFileSync(OUT, 'utf8');
  // The section goes where it was, else before the targets, else at the end.
  const start = old.indexOf(TEXT_TITLE);
  const next = (from) => {
    const at = old.indexOf('\n## ', from);
    return at < 0 ? old.length : at + 1;
  };
  const targets = old.indexOf('\n## Targets');
  const [cut, resume] = start >= 0 ? [start, next(start + 1)] : targets >= 0 ? [targets + 1, targets + 1] : [old.length, old.length];
  writeFileSync(OUT, `${old.slice(0, cut)}${lines.join('\n')}\n${old.slice(resume)}`);
  progress(`wrote the text lab's section of ${OUT}`);
  process.exit(0);
}

progress('native benchmarks (cargo run --release --bin benchmark)');
const native = sh('cargo', ['run', '--quiet', '--release', '--locked', '--bin', 'benchmark', '--', '--runs', String(Math.max(RUNS, 3))]);

const server = await serve();
const paths = {
  cpu: { mode: 'cpu', query: '', peer: 'wasm' },
  webgpu: { mode: 'webgpu', query: 'backend=webgpu&', peer: 'webgpu' },
};
const results = {};
for (const [name, path] of Object.entries(paths)) {
  const r = { paint: [], first: [], count: [], longest: [], steps: [], w1: [], w1WarmUp: [], peer: [], peerWarmUp: [], w2: [], dispatches: [], peerDispatches: [], time: [] };
  for (let run = 0; run < RUNS; run += 1) {
    const browser = await launch(path.mode);
    try {
      const s = await startup(browser, `${server.url}?${path.query}autoplay=1`);
      r.paint.push(s.paint);
      r.first.push(s.firstStep);
      const t = await responsiveness(browser, `${server.url}?${path.query}autoplay=1&max_steps=1000000`);
      r.count.push(t.count);
      r.longest.push(t.longest);
      r.steps.push(t.steps);
      const ours = await w1(browser, `${server.url}?${path.query}bench=w1`);
      r.w1.push(ours.rate);
      r.w1WarmUp.push(ours.warmUpRate);
      r.dispatches.push(ours.dispatches);
      r.time.push(ours.time);
      const peer = await runPeer(browser, path.peer);
      if (!peer.ok) throw new Error(`TensorFlow.js ${path.peer}: ${peer.error}`);
      r.peer.push(peer.stepsPerSecond);
      r.peerWarmUp.push(peer.warmupStepsPerSecond);
      r.peerDispatches.push(peer.dispatchesPerStep);
      r.peerFeatures = peer.wasmFeatures ?? peer.adapter;
      const limit = name === 'cpu' ? 600 : W2_GPU_SECONDS;
      r.w2.push(await w2(browser, `${server.url}?${path.query}scenario=digits&autoplay=1`, limit));
    } finally {
      await browser.close();
    }
    progress(`${name} run ${run + 1} of ${RUNS} done`);
  }
  results[name] = r;
}

/** `backend=auto` with the race hook on the software adapter: what a hardware adapter gets. */
let race;
{
  const browser = await launch('webgpu');
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}?debug=race&teacher_steps=20&max_steps=20&autoplay=1`);
    await page.waitForFunction(() => /steps\/s/.test(document.querySelector('[data-testid="backend-reason"]')?.textContent ?? ''), null, { timeout: 300_000 });
    race = await figure(page, 'backend-reason');
    await page.close();
  } finally {
    await browser.close();
  }
}

/** Where a W1 step's GPU time goes, kernel by kernel: one run, its own (the timestamps slow it a little). */
let kernels;
{
  const browser = await launch('webgpu');
  try {
    kernels = await kernelTimes(browser, `${server.url}?bench=w1&backend=webgpu`);
  } finally {
    await browser.close();
  }
}

progress('the text lab\'s workload');
const textLines = await textSection(server, RUNS);

let memory;
{
  const browser = await launch('cpu', ['--enable-precise-memory-info']);
  try {
    memory = await soak(browser, `${server.url}?autoplay=1&max_steps=${SOAK_STEPS}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

const bytes = wire();
const chromium = sh('chromium', ['--version']);
const rustc = sh('rustc', ['--version']);
const cores = cpus().length;

log('# Benchmarks');
log();
log('Written by `./scripts/bench.sh` (this whole file; nothing edited by hand; `BENCH_ONLY=text` rewrites only the');
log('text lab\'s section). Reference workloads as');
log('defined in the design: W1 one distillation step, W2 time to accuracy on digits, W3 startup, W4');
log('responsiveness. Browser figures come from headless Chromium; "WebGPU" there is Chromium\'s software');
log('adapter (SwiftShader, `--enable-unsafe-webgpu`), which runs GPU kernels on the CPU.');
log();
log(`Machine: ${cores} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ${chromium}; ${rustc}.`);
log(`Each browser figure is the median (range) of ${RUNS} runs, each in a fresh browser; the machine is shared`);
log('and noisy, so compare figures of one run of this command, such as the ratios below.');
log();
log('## W1: one distillation step (784-128-10, batch 128, T = 4, α = 0.9, Adam 1e-3)');
log();
log('Steps per second over at least 3 s and 100 steps, after a warm-up of at least 3 s and 10 steps (each');
log('ending on a read-back of the loss, which happens every 10 steps). Distill Lab runs');
log('`distill_core::bench::w1` in its engine (`?bench=w1`, plus `backend=webgpu` on the WebGPU path); the');
log('peer is the same workload and plan in TensorFlow.js 4.22 (`scripts/peer/`), in the same browser, one');
log('after the other; on both sides the teacher\'s log-probabilities at T are computed once, before the');
log('steps, as a session computes them once for its transfer set. The warm-up is measured in time because');
log('Chromium first runs a wasm module on its');
log('baseline compiler and swaps in optimized code for hot functions while it runs: the warm-up columns');
log('show that cost, which a warm-up of a few steps would mix into the timed ones. Ratio: of the medians, and');
log('the lowest and highest of the runs\' own ratios (each run times both, one after the other).');
log();
log('| path | Distill Lab, steps/s | during its warm-up | TensorFlow.js, steps/s | during its warm-up | ratio |');
log('|---|---|---|---|---|---|');
const ratio = {};
const runRatios = {};
for (const [name, r] of Object.entries(results)) {
  ratio[name] = median(r.w1) / median(r.peer);
  runRatios[name] = r.w1.map((ours, i) => ours / r.peer[i]);
  const within = `${Math.min(...runRatios[name]).toFixed(2)}–${Math.max(...runRatios[name]).toFixed(2)}`;
  log(`| ${name === 'cpu' ? 'CPU (peer: wasm backend' : 'WebGPU (peer: webgpu backend'}) | ${show(r.w1, 1)} | ${show(r.w1WarmUp, 1)} | ${show(r.peer, 1)} | ${show(r.peerWarmUp, 1)} | ${ratio[name].toFixed(2)} (${within}) |`);
}
log();
log(`The peer's wasm backend ran with ${JSON.stringify(results.cpu.peerFeatures)}. On WebGPU, the compute`);
log(`dispatches per step (warm-up included, counted by wrapping \`dispatchWorkgroups\`): Distill Lab`);
log(`${show(results.webgpu.dispatches, 1)}, TensorFlow.js ${show(results.webgpu.peerDispatches, 1)}.`);
const part = (key) => results.webgpu.time.map((t) => t[key]);
const host = results.webgpu.time.map((t) => Math.max(0, t.wall - t.calls - t.wait));
log(`Where a W1 step's wall time goes on WebGPU (ms per step, warm-up included; WebGPU's calls and`);
log(`promises timed by wrapping them): ${show(part('wall'), 1)} in all, of which ${show(part('calls'), 1)} inside`);
log(`WebGPU's calls (encoding and submitting), ${show(part('wait'), 1)} with a WebGPU promise unsettled (the device`);
log(`finishing its work) and ${show(host, 1)} on the host outside them (Burn, fusion, cubecl); compute`);
log(`pipelines created per step: ${show(part('pipelines'), 2)}.`);
log();
if (kernels) {
  const gpu = kernels.reduce((sum, k) => sum + k.msPerStep, 0);
  log(`The device's time per W1 step, kernel by kernel (one more run, \`scripts/kernel-times.mjs\`: timestamps`);
  log(`written around every dispatch, warm-up included): ${gpu.toFixed(1)} ms in all, most first.`);
  log();
  log('| kernel | GPU ms per step | share | dispatches |');
  log('|---|---|---|---|');
  for (const k of kernels.slice(0, 6)) {
    log(`| \`${k.kernel}\` | ${k.msPerStep.toFixed(2)} | ${((100 * k.msPerStep) / gpu).toFixed(0)}% | ${k.count} |`);
  }
  const rest = kernels.slice(6);
  log(`| ${rest.length} other kernels | ${rest.reduce((sum, k) => sum + k.msPerStep, 0).toFixed(2)} | ${((100 * rest.reduce((sum, k) => sum + k.msPerStep, 0)) / gpu).toFixed(0)}% | ${rest.reduce((sum, k) => sum + k.count, 0)} |`);
} else {
  log('The device\'s time per kernel: this adapter offers no timestamps inside compute passes.');
}
log();
log('Natively (`cargo run --release --bin benchmark`, CPU backend):');
log();
log('| workload | measure | median (range) |');
log('|---|---|---|');
log(native);
log();
log('## W2: time to 95% of the teacher\'s test accuracy, digits, default settings');
log();
log('From the first training step shown to the first moment the page shows a distilled-student accuracy of');
log('at least 95% of the teacher\'s (`?scenario=digits&autoplay=1`). Beside it, the steps per second the page');
log('shows, against the rate measured from outside (student steps over wall time), both over the last two');
log('thirds of the run.');
log();
log('| path | seconds | at student step | page shows, steps/s | measured, steps/s |');
log('|---|---|---|---|---|');
for (const [name, r] of Object.entries(results)) {
  const reached = r.w2.filter((x) => x.reached);
  const seconds = reached.length === r.w2.length ? show(r.w2.map((x) => x.seconds), 1) : `not reached in ${W2_GPU_SECONDS} s (student at ${show(r.w2.map((x) => x.student), 1)}%)`;
  log(`| ${name} | ${seconds} | ${show(r.w2.map((x) => x.step))} | ${show(r.w2.map((x) => x.shown), 1)} | ${show(r.w2.map((x) => x.measured), 1)} |`);
}
log();
log('## W3: startup');
log();
log(`Gzip bytes over the wire: page (UI wasm, JS, CSS, HTML) ${bytes.page}; CPU engine (wasm, JS) ${bytes.cpuEngine};`);
log(`WebGPU engine (wasm, JS) ${bytes.gpuEngine}, fetched only when a WebGPU adapter will be used. Before the first`);
log(`step on the CPU path the page and the CPU engine come over the wire: ${bytes.page + bytes.cpuEngine} bytes. The digits lab`);
log('fetches its data and teacher when it is opened, not at startup.');
log();
log('```');
log(`${'file'.padEnd(40)} ${'raw'.padStart(10)} ${'gzip'.padStart(10)}`);
for (const [file, raw, gz] of bytes.files) log(`${file.padEnd(40)} ${String(raw).padStart(10)} ${String(gz).padStart(10)}`);
log('```');
log();
for (const [engine, variable] of [['CPU engine', 'ENGINE_WITH_NAMES'], ['WebGPU engine', 'GPU_ENGINE_WITH_NAMES']]) {
  if (!process.env[variable]) continue;
  log(`Where the ${engine}'s bytes go (\`scripts/size-profile.sh\`: built as shipped but with its function names,`);
  log('code bytes per crate):');
  log();
  log(sh('node', ['scripts/size-profile.mjs', process.env[variable]]));
  log();
}
log(`\`backend=auto\` where the adapter is worth timing (here the race hook, \`debug=race\`, on the software adapter):`);
log(`"${race}".`);
log();
log('Each on a fresh page of the default link, played (`?autoplay=1`): the first paint is Chromium\'s first');
log('contentful paint; the first training step is the moment the page first shows a step count of 1 or more');
log('(a MutationObserver in the page). The bench waits for the page to log that moment rather than polling');
log('the page, whose polling script would run on the page\'s main thread during start-up.');
log();
log('| path | first paint, ms | first training step, ms |');
log('|---|---|---|');
for (const [name, r] of Object.entries(results)) log(`| ${name} | ${show(r.paint)} | ${show(r.first)} |`);
log();
log(`## W4: responsiveness, and throughput, during ${TRAIN_SECONDS} s of training`);
log();
log('A `longtask` PerformanceObserver on the page while the default 2-D lab trains (`?autoplay=1&max_steps=1000000`).');
log();
log(`| path | tasks over 50 ms | longest, ms | steps in ${TRAIN_SECONDS} s (teacher and students) |`);
log('|---|---|---|---|');
for (const [name, r] of Object.entries(results)) log(`| ${name} | ${show(r.count)} | ${show(r.longest)} | ${show(r.steps)} |`);
log();
log(`## Memory over ${SOAK_STEPS} student steps (CPU path)`);
log();
const change = (a, b) => (((b - a) / a) * 100);
const { early, late } = memory;
log(`\`?autoplay=1&max_steps=${SOAK_STEPS}\`, read at step ${early.step} and at the end, each time after a garbage`);
log('collection through the DevTools protocol (`HeapProfiler.collectGarbage`). The WebGPU path is left out: on a software adapter 20,000 steps');
log('would take hours.');
log();
log(`| | at step ${early.step} | at step ${late.step} | change |`);
log('|---|---|---|---|');
log(`| engine wasm memory, bytes | ${early.engine} | ${late.engine} | ${change(early.engine, late.engine).toFixed(1)}% |`);
log(`| page JS heap (used), bytes | ${early.heap} | ${late.heap} | ${change(early.heap, late.heap).toFixed(1)}% |`);
log();
for (const line of textLines) log(line);
log('## Targets');
log();
target('W1 WebGPU path / TensorFlow.js webgpu (same adapter)', `${ratio.webgpu.toFixed(2)}×`, '≥ 1× (stretch: ≥ 2×)', ratio.webgpu >= 1);
target('CPU engine, gzip', `${bytes.cpuEngine} bytes`, '≤ 1,500,000', bytes.cpuEngine <= 1_500_000);
target('page + CPU engine before the first step, gzip', `${bytes.page + bytes.cpuEngine} bytes`, '≤ 1,800,000', bytes.page + bytes.cpuEngine <= 1_800_000);
target('time to the first training step, CPU path', `${median(results.cpu.first).toFixed(0)} ms`, '≤ 400 ms', median(results.cpu.first) <= 400);
const lowestCpuRatio = Math.min(...runRatios.cpu);
target('W1 CPU path / TensorFlow.js wasm, lowest of the runs', `${lowestCpuRatio.toFixed(2)}×`, '≥ 2.5× in every run', lowestCpuRatio >= 2.5);
const cpuSpread = Math.max(...results.cpu.w1) / Math.min(...results.cpu.w1);
target('W1 CPU path, spread of its runs (max ÷ min)', `${cpuSpread.toFixed(2)}`, '≤ 1.2', cpuSpread <= 1.2);
target('W1 WebGPU dispatches per step / TensorFlow.js\'s', `${(median(results.webgpu.dispatches) / median(results.webgpu.peerDispatches)).toFixed(2)}×`, '≤ 0.5×', median(results.webgpu.dispatches) <= 0.5 * median(results.webgpu.peerDispatches));
target('UI, gzip', `${bytes.page} bytes`, '≤ 300,000', bytes.page <= 300_000);
for (const [name, r] of Object.entries(results)) target(`first paint, ${name} path`, `${median(r.paint).toFixed(0)} ms`, '≤ 500 ms', median(r.paint) <= 500);
for (const [name, r] of Object.entries(results)) target(`main-thread tasks over 50 ms while training, ${name} path`, `${Math.max(...r.count)}`, '0', Math.max(...r.count) === 0);
// Memory may shrink as the first steps' garbage goes; only growth would be a leak.
target('engine memory change over the soak', `${change(early.engine, late.engine).toFixed(1)}%`, 'grows ≤ 10%', change(early.engine, late.engine) <= 10);
target('page JS heap change over the soak', `${change(early.heap, late.heap).toFixed(1)}%`, 'grows ≤ 10%', change(early.heap, late.heap) <= 10);
log('| target | measured | goal | |');
log('|---|---|---|---|');
for (const row of targets) log(row);
log();
const analysis = readFileSync(new URL('./bench-analysis.md', import.meta.url), 'utf8').trim();
log(analysis);

writeFileSync(OUT, `${out.join('\n')}\n`);
progress(`wrote ${OUT}`);
