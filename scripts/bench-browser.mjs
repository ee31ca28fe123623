// Browser benchmarks on the built page (dist/): startup (W3), main-thread responsiveness while
// training (W4) and memory over a long run, on the CPU path and on the WebGPU path (Chromium's
// software adapter here). Prints Markdown; run through scripts/bench.sh.
import { gzipSync } from 'node:zlib';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { serve, launch } from '../tests/browser/harness.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TRAIN_SECONDS = Number(process.env.BENCH_TRAIN_SECONDS ?? 30);
const SOAK_STEPS = 20_000;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const show = (values, digits = 0) =>
  `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;

/** Records paints, long tasks and the moment the first training step shows. */
async function instrument(page) {
  await page.addInitScript(() => {
    window.__bench = { longTasks: [], firstStep: null };
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__bench.longTasks.push([entry.startTime, entry.duration]);
    }).observe({ type: 'longtask', buffered: true });
    new MutationObserver(() => {
      if (window.__bench.firstStep !== null) return;
      const steps = ['teacher-step', 'step'].map((id) => Number(document.querySelector(`[data-testid="${id}"]`)?.textContent));
      if (steps.some((n) => n >= 1)) window.__bench.firstStep = performance.now();
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
}

async function startup(browser, url) {
  const page = await browser.newPage();
  await instrument(page);
  await page.goto(url);
  await page.waitForFunction(() => window.__bench.firstStep !== null, null, { timeout: 600_000 });
  const result = await page.evaluate(() => ({
    paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
    firstStep: window.__bench.firstStep,
  }));
  await page.close();
  return result;
}

async function responsiveness(browser, url) {
  const page = await browser.newPage();
  await instrument(page);
  await page.goto(url);
  await page.waitForFunction(() => window.__bench.firstStep !== null, null, { timeout: 600_000 });
  const from = await page.evaluate(() => performance.now());
  await page.waitForTimeout(TRAIN_SECONDS * 1000);
  const result = await page.evaluate((start) => {
    const during = window.__bench.longTasks.filter(([t]) => t >= start);
    return {
      count: during.length,
      longest: during.reduce((m, [, d]) => Math.max(m, d), 0),
      status: document.querySelector('[data-testid="status"]').textContent,
      steps: Number(document.querySelector('[data-testid="step"]').textContent),
    };
  }, from);
  await page.close();
  return result;
}

async function soak(browser, url) {
  const page = await browser.newPage();
  await page.goto(url);
  const sample = () =>
    page.evaluate(() => ({
      step: Number(document.querySelector('[data-testid="step"]').textContent),
      engine: Number(document.querySelector('[data-testid="engine-memory"]').dataset.bytes),
      heap: performance.memory?.usedJSHeapSize ?? NaN,
    }));
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="step"]')?.textContent) >= 1000, null, { timeout: 600_000 });
  const early = await sample();
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent === 'done', null, { timeout: 3_600_000 });
  // Let the page settle and collect what it no longer holds before reading the heap again.
  await page.waitForTimeout(1000);
  const late = await sample();
  await page.close();
  return { early, late };
}

function wire() {
  const dist = join(process.cwd(), 'dist');
  const files = readdirSync(dist).filter((f) => /\.(wasm|js|css|html)$/.test(f));
  const gzip = (pattern) => files.filter((f) => pattern.test(f)).reduce((sum, f) => sum + gzipSync(readFileSync(join(dist, f)), { level: 9 }).length, 0);
  return { page: gzip(/^(app-|index\.html)/), engine: gzip(/^engine/) };
}

const server = await serve();
const out = [];
const log = (line = '') => out.push(line);
const paths = {
  cpu: { mode: 'cpu', query: '' },
  webgpu: { mode: 'webgpu', query: 'backend=webgpu&batch=200&' },
};
const bytes = wire();
log(`Gzip bytes over the wire: page (UI wasm, JS, CSS, HTML) ${bytes.page}, engine (wasm, JS) ${bytes.engine}.`);
log();
log(`Each figure: median (range) of ${RUNS} runs, each in a fresh browser.`);
log();
log('| path | first paint, ms | first training step, ms | tasks > 50 ms in ' + TRAIN_SECONDS + ' s of training | longest task, ms | steps in that time |');
log('|---|---|---|---|---|---|');
for (const [name, path] of Object.entries(paths)) {
  const paint = [], first = [], count = [], longest = [], steps = [];
  for (let run = 0; run < RUNS; run += 1) {
    const browser = await launch(path.mode);
    try {
      const s = await startup(browser, `${server.url}?${path.query}autoplay=1`);
      paint.push(s.paint);
      first.push(s.firstStep);
      const r = await responsiveness(browser, `${server.url}?${path.query}autoplay=1&max_steps=1000000`);
      count.push(r.count);
      longest.push(r.longest);
      steps.push(r.steps);
    } finally {
      await browser.close();
    }
    process.stderr.write(`${name} run ${run + 1} done\n`);
  }
  log(`| ${name} | ${show(paint)} | ${show(first)} | ${show(count)} | ${show(longest)} | ${show(steps)} |`);
}
log();
const browser = await launch('cpu');
try {
  const { early, late } = await soak(browser, `${server.url}?autoplay=1&max_steps=${SOAK_STEPS}`);
  const change = (a, b) => `${(((b - a) / a) * 100).toFixed(1)}%`;
  log(`Memory over ${SOAK_STEPS} student steps on the CPU path (\`?autoplay=1&max_steps=${SOAK_STEPS}\`):`);
  log();
  log('| | at step ' + early.step + ' | at step ' + late.step + ' | change |');
  log('|---|---|---|---|');
  log(`| engine wasm memory, bytes | ${early.engine} | ${late.engine} | ${change(early.engine, late.engine)} |`);
  log(`| page JS heap (used), bytes | ${early.heap} | ${late.heap} | ${change(early.heap, late.heap)} |`);
} finally {
  await browser.close();
  await server.close();
}
console.log(out.join('\n'));
