// The text lab's workload: natively (`benchmark --text`) and in the page, in a browser without
// WebGPU and in one with Chromium's software adapter (where the lab also trains on the CPU
// engine). From the moment the page shows `training`: the first answers, the budget bought, the
// student steps per second after it, and the time until the distilled student's held-out loss is
// below the baseline's final one. The students on the WebGPU engine (`backend=webgpu`, software
// adapter) are far slower, so that row times the first steps of a shorter run.
// `section` returns the Markdown lines of BENCHMARKS.md's section.
import { execFileSync } from 'node:child_process';
import { launch } from '../tests/browser/harness.mjs';

export const TITLE = '## The text lab\'s workload (default link)';
const URL_QUERY = '?scenario=text&autoplay=1';
const BATCH = 64;
/** Steps of the WebGPU engine's timed run: a few purchases, as its steps take seconds. */
const GPU_STEPS = 4;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const show = (values, digits = 0) =>
  values.length ? `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})` : 'never';

/** One run of `url` to done: its timeline, read from the page's figures. */
async function timeline(browser, url) {
  const page = await browser.newPage();
  await page.addInitScript(() => {
    window.__text = { start: null, rows: [] };
    const read = (id) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() ?? '';
    new MutationObserver(() => {
      const status = read('status');
      if (window.__text.start === null && status === 'training') window.__text.start = performance.now();
      if (window.__text.start === null) return;
      const row = {
        t: (performance.now() - window.__text.start) / 1000,
        step: Number(read('step')),
        chars: Number(read('api-chars').replace(/,/g, '')),
        student: parseFloat(read('loss-student')),
        baseline: parseFloat(read('loss-baseline')),
      };
      const last = window.__text.rows.at(-1);
      if (!last || ['step', 'chars', 'student', 'baseline'].some((key) => last[key] !== row[key])) window.__text.rows.push(row);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  await page.goto(url);
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent.trim() === 'done', null, { timeout: 900_000 });
  await page.waitForTimeout(500);
  const rows = await page.evaluate(() => window.__text.rows);
  await page.close();
  return rows;
}

/** A run to done: when the answers came, the budget was bought, and the distilled student beat
 *  the baseline's final loss; the steps per second after the budget was bought. */
async function fullRun(browser, url) {
  const rows = await timeline(browser, url);
  const budget = Math.max(...rows.map((r) => r.chars));
  const bought = rows.find((r) => r.chars === budget);
  const done = rows.at(-1);
  if (!budget || done.t <= bought.t) throw new Error(`the run bought nothing, or trained no step after buying: ${JSON.stringify(done)}`);
  const beats = rows.find((r) => r.student < done.baseline);
  return {
    first: rows.find((r) => r.chars > 0).t,
    bought: bought.t,
    charsPerSecond: budget / bought.t,
    stepsPerSecond: (done.step - bought.step) / (done.t - bought.t),
    beats: beats?.t,
    budget,
  };
}

/** A run cut at `GPU_STEPS`: when the answers came, and the steps per second from the first step
 *  to the last (each step buying, as the budget is not bought by then). */
async function shortRun(browser, url) {
  const rows = await timeline(browser, url);
  const first = rows.find((r) => r.chars > 0);
  const done = rows.at(-1);
  if (!first || done.step <= first.step) throw new Error(`the run trained no step after its first answers: ${JSON.stringify(done)}`);
  return { first: first.t, stepsPerSecond: (done.step - first.step) / (done.t - first.t) };
}

/** The section's lines, from `runs` runs of each path against `server`. */
export async function section(server, runs) {
  const native = execFileSync('cargo', ['run', '--quiet', '--release', '--locked', '--bin', 'benchmark', '--', '--text', '--runs', String(runs)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  const lines = [TITLE, ''];
  lines.push('The text lab\'s default link (`?scenario=text&autoplay=1`): 20,000 characters of top-5 answers bought');
  lines.push('one purchase before each step (the first of 4 prompts × 64 characters, then 16 × 64), then the students');
  lines.push('train to step 2000.');
  lines.push('Natively (`cargo run --release --bin benchmark -- --text`, CPU backend, seconds of training only):');
  lines.push('');
  lines.push('| workload | measure | median (range) |');
  lines.push('|---|---|---|');
  lines.push(native);
  lines.push('');
  lines.push(`In the page (${runs} runs each, a fresh browser per run, seconds from the moment the page shows`);
  lines.push('`training`; the default link (`backend=auto`) trains the students on the CPU in both browsers, so the');
  lines.push('second row is the same engine where WebGPU is offered; the third trains them on the WebGPU engine,');
  lines.push(`\`backend=webgpu\`, cut at step ${GPU_STEPS}, its steps per second taken from the first step to the last, while buying):`);
  lines.push('');
  lines.push('| browser | first answers shown, s | budget bought, s | characters bought / s while buying | student steps / s after | characters trained / s per student | distilled below the baseline\'s final loss, s |');
  lines.push('|---|---|---|---|---|---|---|');
  for (const [name, mode] of [['without WebGPU', 'cpu'], ['with WebGPU (software adapter)', 'webgpu']]) {
    const r = { first: [], bought: [], chars: [], steps: [], trained: [], beats: [] };
    for (let run = 0; run < runs; run += 1) {
      const browser = await launch(mode);
      try {
        const t = await fullRun(browser, `${server.url}${URL_QUERY}`);
        r.first.push(t.first);
        r.bought.push(t.bought);
        r.chars.push(t.charsPerSecond);
        r.steps.push(t.stepsPerSecond);
        r.trained.push(t.stepsPerSecond * BATCH);
        if (t.beats !== undefined) r.beats.push(t.beats);
      } finally {
        await browser.close();
      }
    }
    lines.push(`| ${name} | ${show(r.first, 1)} | ${show(r.bought, 1)} | ${show(r.chars)} | ${show(r.steps)} | ${show(r.trained)} | ${show(r.beats, 1)} (${r.beats.length} of ${runs} runs) |`);
  }
  const gpu = { first: [], steps: [], trained: [] };
  for (let run = 0; run < runs; run += 1) {
    const browser = await launch('webgpu');
    try {
      const t = await shortRun(browser, `${server.url}${URL_QUERY}&backend=webgpu&max_steps=${GPU_STEPS}`);
      gpu.first.push(t.first);
      gpu.steps.push(t.stepsPerSecond);
      gpu.trained.push(t.stepsPerSecond * BATCH);
    } finally {
      await browser.close();
    }
  }
  lines.push(`| WebGPU engine (\`backend=webgpu\`, software adapter) | ${show(gpu.first, 1)} | not reached | — | ${show(gpu.steps, 2)} (while buying) | ${show(gpu.trained)} | not reached |`);
  lines.push('');
  return lines;
}
