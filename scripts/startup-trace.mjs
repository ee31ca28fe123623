// Where the CPU path's time to the first training step goes. Opens the default link, played, in
// fresh browsers with Chromium's tracing on, and prints for each run: every thread's busy time
// (wall) and CPU time until the page shows its first step, and the page's main-thread tasks of
// over 15 ms with what they did and what posted them. Tracing slows the page down: the moments
// here come later than the bench's, but the shares between threads and tasks are what to read.
// Run through scripts/startup-trace.sh; STARTUP_RUNS (default 3) sets the runs.
import { serve, launch } from '../tests/browser/harness.mjs';
import { watchFirstStep } from './first-step.mjs';

const RUNS = Number(process.env.STARTUP_RUNS ?? 3);
const CATEGORIES = ['toplevel', 'blink.user_timing', 'disabled-by-default-devtools.timeline', 'devtools.timeline', 'v8', 'v8.wasm'];
/** Inner events worth naming in a task's summary, by their trace names. */
const WORK = /^(FunctionCall|HandlePostMessage|TimerFire|Layout|UpdateLayoutTree|Paint|EvaluateScript|wasm\.CompileLazy|v8\.wasm\.compileConsume|MinorGC|MajorGC|FireAnimationFrame)$/;

/** The trace of one fresh page, up to the moment it shows its first step. */
async function traced(server) {
  const browser = await launch('cpu');
  try {
    const page = await browser.newPage();
    const { shown } = await watchFirstStep(page, 120_000);
    await browser.startTracing(page, { categories: CATEGORIES });
    await page.goto(`${server.url}?autoplay=1`);
    await shown;
    const first = await page.evaluate(() => window.__firstStep);
    const trace = JSON.parse((await browser.stopTracing()).toString());
    return { first, events: trace.traceEvents ?? trace };
  } finally {
    await browser.close();
  }
}

/** The tasks of `list` (one thread's) that no other in it contains, in order: a task runs others
 *  inside it. */
function outermost(list) {
  const sorted = [...list].sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const kept = [];
  for (const e of sorted) if (!kept.length || e.ts >= kept.at(-1).ts + kept.at(-1).dur) kept.push(e);
  return kept;
}

/** Busy (wall) and CPU milliseconds per thread, by process and thread name, in [start, end). */
function threads(events, start, end) {
  const names = new Map(events.filter((e) => e.name === 'thread_name').map((e) => [`${e.pid}:${e.tid}`, e.args.name]));
  const processes = new Map(events.filter((e) => e.name === 'process_name').map((e) => [e.pid, e.args.name]));
  const tasks = new Map();
  for (const e of events) {
    if (e.ph !== 'X' || !/RunTask$/.test(e.name) || e.ts + e.dur <= start || e.ts >= end) continue;
    const key = `${e.pid}:${e.tid}`;
    if (!tasks.has(key)) tasks.set(key, []);
    tasks.get(key).push(e);
  }
  const rows = new Map();
  for (const [key, list] of tasks) {
    let busy = 0;
    let cpu = 0;
    for (const e of outermost(list)) {
      const within = Math.min(e.ts + e.dur, end) - Math.max(e.ts, start);
      busy += within;
      cpu += (e.tdur ?? 0) * (within / e.dur);
    }
    const [pid] = key.split(':');
    const label = `${processes.get(Number(pid)) ?? pid} / ${(names.get(key) ?? 'thread').replace(/\d+$/, '')}`;
    const row = rows.get(label) ?? { busy: 0, cpu: 0 };
    rows.set(label, { busy: row.busy + busy / 1000, cpu: row.cpu + cpu / 1000 });
  }
  return [...rows].sort((a, b) => b[1].busy - a[1].busy);
}

/** The page's main-thread tasks of over 15 ms before `end`, with their main work and origin. */
function mainTasks(events, start, end) {
  const main = events.find((e) => e.name === 'thread_name' && e.args.name === 'CrRendererMain'
    && events.some((t) => t.pid === e.pid && t.name === 'navigationStart'));
  if (!main) return [];
  const on = (e) => e.pid === main.pid && e.tid === main.tid;
  const all = events.filter((e) => on(e) && e.ph === 'X' && /RunTask$/.test(e.name) && e.ts >= start && e.ts < end);
  const origin = (task) => all.find((e) => e.ts >= task.ts && e.ts < task.ts + task.dur && e.args?.src_func)?.args;
  return outermost(all).filter((task) => task.dur > 15_000).map((task) => {
    const inner = events.filter((e) => on(e) && e.ph === 'X' && e.ts >= task.ts && e.ts < task.ts + task.dur && WORK.test(e.name));
    const work = new Map();
    for (const e of inner) work.set(e.name, (work.get(e.name) ?? 0) + e.dur / 1000);
    const posted = origin(task);
    const top = [...work].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([name, ms]) => `${name} ${ms.toFixed(0)}`);
    return {
      at: (task.ts - start) / 1000,
      wall: task.dur / 1000,
      cpu: (task.tdur ?? 0) / 1000,
      work: top.join(', '),
      postedBy: posted ? `${posted.src_file.split('/').pop()} ${posted.src_func}` : '',
    };
  });
}

const server = await serve();
for (let run = 1; run <= RUNS; run += 1) {
  const { first, events } = await traced(server);
  const start = events.find((e) => e.name === 'navigationStart').ts;
  const end = start + first * 1000;
  console.log(`\nRun ${run}: first step shown at ${first.toFixed(0)} ms (traced)\n`);
  console.log('| thread | busy, ms | CPU, ms |\n|---|---|---|');
  for (const [label, { busy, cpu }] of threads(events, start, end).filter(([, r]) => r.busy >= 5)) {
    console.log(`| ${label} | ${busy.toFixed(0)} | ${cpu.toFixed(0)} |`);
  }
  console.log('\nThe page\'s main-thread tasks over 15 ms:\n\n| at, ms | wall, ms | CPU, ms | main work, ms | posted by |\n|---|---|---|---|---|');
  for (const t of mainTasks(events, start, end)) {
    console.log(`| ${t.at.toFixed(0)} | ${t.wall.toFixed(0)} | ${t.cpu.toFixed(0)} | ${t.work} | ${t.postedBy} |`);
  }
}
process.exit(0);
