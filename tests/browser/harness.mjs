// Serves the built page and drives Debian's Chromium through Playwright.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { mkdtempSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { chromium } from 'playwright-core';
import { before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';

const DIST = process.env.DISTILL_DIST ?? join(process.cwd(), 'dist');
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
  '.bpk': 'application/octet-stream',
};

/** A static server for dist/ on a free loopback port. `prefix` ('/lab', say) serves it from that
 *  folder instead, `/lab` answering 301 to `/lab/` (`redirect: false`: answering index.html itself,
 *  as some hosts do). `requests` logs every path asked for; setting `offline` answers nothing. */
export async function serve({ prefix = '', redirect = true } = {}) {
  const handle = { requests: [], offline: false };
  const server = createServer(async (request, response) => {
    if (handle.offline) {
      request.socket.destroy();
      return;
    }
    const url = new URL(request.url, 'http://x');
    handle.requests.push(url.pathname);
    let pathname = url.pathname;
    if (prefix) {
      if (pathname === prefix && redirect) {
        response.writeHead(301, { location: `${prefix}/${url.search}` });
        response.end();
        return;
      }
      if (pathname !== prefix && !pathname.startsWith(`${prefix}/`)) {
        response.writeHead(404);
        response.end('not found');
        return;
      }
      pathname = pathname.slice(prefix.length) || '/';
    }
    const path = normalize(decodeURIComponent(pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(DIST, path.endsWith('/') ? `${path}index.html` : path);
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404);
      response.end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  handle.url = `http://127.0.0.1:${port}${prefix}/`;
  handle.close = () => new Promise((r) => server.close(r));
  return handle;
}

/** `webgpu`: Chromium offers its software WebGPU adapter; `cpu`: it offers none. */
export async function launch(mode, extraArgs = []) {
  const args = [
    '--no-sandbox',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ];
  if (mode === 'webgpu') args.push('--enable-unsafe-webgpu');
  args.push(...extraArgs);
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args,
  });
}

/** A page, in a context of its own, that records console errors, page errors and every value
 *  `loss-total` shows; `prepare(page)` runs before it loads (to route requests, say). The lab's
 *  service worker is blocked unless `options` say `serviceWorkers: 'allow'`: once it controls the
 *  page, it answers from its cache and routes never see those requests (offline.test.mjs tests it). */
export async function open(browser, url, prepare = async () => {}, options = {}) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1400 }, serviceWorkers: 'block', ...options });
  await prepare(page);
  const problems = [];
  page.on('console', (message) => {
    const text = message.text();
    if (message.type() === 'error' || /panicked/i.test(text)) problems.push(`console ${message.type()}: ${text}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.addInitScript(() => {
    window.__lossTotals = [];
    new MutationObserver(() => {
      const value = parseFloat(document.querySelector('[data-testid="loss-total"]')?.textContent ?? '');
      const seen = window.__lossTotals;
      if (Number.isFinite(value) && seen[seen.length - 1] !== value) seen.push(value);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  patientWaits(page);
  await page.goto(url);
  return { page, problems };
}

/** Every wait of `page` is sized for a cold, busy 2-core machine (a page load there can take tens of
 *  seconds), and a wait for a function that times out says which function it waited for. */
export function patientWaits(page) {
  page.setDefaultTimeout(120_000);
  const waitForFunction = page.waitForFunction.bind(page);
  page.waitForFunction = async (condition, arg, options) => {
    try {
      return await waitForFunction(condition, arg, options);
    } catch (error) {
      error.message += `\n  waiting for: ${String(condition)}${arg === undefined ? '' : ` with ${JSON.stringify(arg)}`}`;
      throw error;
    }
  };
  return page;
}

export async function text(page, testId) {
  return (await page.locator(`[data-testid="${testId}"]`).textContent())?.trim();
}

export async function waitForStatus(page, status, timeout = 240_000) {
  try {
    await page.waitForFunction(
      (wanted) => document.querySelector('[data-testid="status"]')?.textContent?.trim() === wanted,
      status,
      { timeout },
    );
  } catch (error) {
    const shown = await text(page, 'status').catch(() => 'nothing');
    const step = await text(page, 'step').catch(() => '?');
    const problem = await text(page, 'error').catch(() => '');
    error.message = `status never became “${status}” in ${timeout / 1000} s: it shows “${shown}” at step ${step}${problem ? `; error: ${problem}` : ''}\n${error.message}`;
    throw error;
  }
}

/** How many distinct colours a canvas holds. */
export async function distinctColours(page, testId) {
  return page.evaluate((id) => {
    const canvas = document.querySelector(`[data-testid="${id}"]`);
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    const colours = new Set();
    for (let i = 0; i < data.length; i += 4) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    return colours.size;
  }, testId);
}

export function freshProfile() {
  return mkdtempSync(join(tmpdir(), 'distill-lab-chromium-'));
}

/** One server for every test of a file, and one browser per mode (`cpu`, `webgpu`), launched when a
 *  test first asks for it; each test's pages still get contexts of their own (see `open`). */
export function sharedBrowsers() {
  const shared = { launched: {} };
  shared.browser = (mode = 'cpu') => (shared.launched[mode] ??= launch(mode));
  before(async () => {
    shared.server = await serve();
  });
  // What a test opened goes with it: a page left open would go on training beside the next test.
  afterEach(async () => {
    for (const browser of Object.values(shared.launched)) {
      for (const context of (await browser).contexts()) await context.close();
    }
  });
  after(async () => {
    for (const browser of Object.values(shared.launched)) await (await browser).close();
    await shared.server?.close();
  });
  return shared;
}

/** One server and one browser shared by every test of a file; read them inside the tests. */
export function sharedBrowser(mode = 'cpu') {
  const shared = {};
  before(async () => {
    shared.server = await serve();
    shared.browser = await launch(mode);
  });
  after(async () => {
    await shared.browser?.close();
    await shared.server?.close();
  });
  return shared;
}

export const number = (s) => parseFloat(String(s).replace(/,/g, ''));

/** Points of each line of a chart, by its series class. */
export async function chartPoints(page, testId) {
  return page.locator(`[data-testid="${testId}"] polyline`).evaluateAll((lines) =>
    Object.fromEntries(lines.map((l) => [l.getAttribute('class').replace('series ', ''), l.getAttribute('points').trim().split(/\s+/).filter(Boolean).length])));
}

/** The resources card agrees with the figures beside it; returns the figures it read. */
export async function checkResources(page, { answers, labels }) {
  const teacherParams = number((await text(page, 'params-teacher')).split(' ')[0]);
  const studentParams = number((await text(page, 'params-student')).split(' ')[0]);
  const ratio = Number(await page.locator('[data-testid="res-params-ratio"]').getAttribute('data-value'));
  assert.ok(Math.abs(ratio - teacherParams / studentParams) < 1e-9, `ratio ${ratio} against ${teacherParams}/${studentParams}`);
  assert.match(await text(page, 'res-params-ratio'), /^\d+(\.\d)?× fewer$/);

  await page.waitForFunction(() => document.querySelector('[data-testid="res-latency-student"]')?.dataset.ms);
  for (const model of ['teacher', 'student']) {
    const ms = Number(await page.locator(`[data-testid="res-latency-${model}"]`).getAttribute('data-ms'));
    assert.ok(ms > 0 && Number.isFinite(ms), `${model} inference time ${ms} ms`);
  }

  const accTeacher = number(await text(page, 'acc-teacher'));
  const accStudent = number(await text(page, 'acc-student'));
  const accRatio = Number(await page.locator('[data-testid="res-accuracy-ratio"]').getAttribute('data-value'));
  // The figures are rounded to 0.1 points; the card divides the unrounded ones.
  assert.ok(Math.abs(100 * accRatio - (100 * accStudent) / accTeacher) < 0.2, `${accRatio} against ${accStudent}/${accTeacher}`);
  assert.match(await text(page, 'res-accuracy-ratio'), /^\d+\.\d% of the teacher's$/);

  assert.equal(Number(await page.locator('[data-testid="res-answers"]').getAttribute('data-value')), answers);
  assert.match(await text(page, 'resources'), new RegExp(`against ${labels} labels of its own`));
  // The headline names the three accuracies the figures show, and what the answers cost.
  const headline = await text(page, 'res-headline');
  const accBaselineShown = await text(page, 'acc-baseline');
  assert.equal(headline, `distilled student ${await text(page, 'acc-student')}, teacher ${await text(page, 'acc-teacher')}, labels alone ${accBaselineShown} · `
    + `${await text(page, 'res-params-ratio')} parameters · ${(await text(page, 'res-answers'))} `
    + `${/top-\d+ answers/.exec(headline)?.[0] ?? 'answers'} from the teacher against the baseline's ${labels} labels`);

  const points = await chartPoints(page, 'acc-chart');
  for (const line of ['teacher', 'total', 'baseline']) assert.ok(points[line] >= 2, `acc-chart ${line}: ${points[line]} points`);
  assert.equal(await page.locator('[data-testid="loss-hard"]').count(), 0, 'no hard-loss figure: the distilled student never reads a label');
  return { accTeacher, accStudent, accBaseline: number(await text(page, 'acc-baseline')) };
}

/** The `distill` CLI the test command builds, which reads the files the page exports. */
export const CLI = process.env.DISTILL_CLI
  ?? join(process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache', 'distill-lab', 'target'), 'debug', 'distill');

/** Clicks `testId` and returns the downloaded file's name, path and bytes. */
export async function download(page, testId) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid="${testId}"]`)]);
  const path = join(mkdtempSync(join(tmpdir(), 'distill-download-')), file.suggestedFilename());
  await file.saveAs(path);
  return { name: file.suggestedFilename(), path, bytes: readFileSync(path) };
}
