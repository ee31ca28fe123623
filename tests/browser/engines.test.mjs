// Two engines from one source: the CPU engine starts at once, and the WebGPU engine is fetched only
// when an adapter will be used. `backend=auto` races them where the adapter is worth timing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkResources, distinctColours, open, text, waitForStatus, sharedBrowsers } from './harness.mjs';

const shared = sharedBrowsers();

/** Opens `link` in a browser of `mode`, recording every request the page and its workers make. */
async function run(mode, link, check) {
  const browser = await shared.browser(mode);
  const requests = [];
  const { page, problems } = await open(browser, `${shared.server.url}?${link}`, async (p) => {
    p.on('request', (request) => requests.push(new URL(request.url()).pathname));
  });
  await check(page, requests);
  assert.deepEqual(problems, []);
}

const gpuEngine = (requests) => requests.filter((path) => /engine-gpu/.test(path));

test('without an adapter the page never fetches the WebGPU engine, and trains on the CPU one', async () => {
  await run('cpu', 'max_steps=50&autoplay=1', async (page, requests) => {
    await waitForStatus(page, 'done');
    assert.ok(requests.some((path) => /\/engine-[0-9a-f]{16}_bg\.wasm$/.test(path)), `the CPU engine was fetched: ${requests}`);
    assert.deepEqual(gpuEngine(requests), []);
    assert.equal(await text(page, 'backend'), 'CPU');
  });
});

test('a software adapter keeps auto on the CPU engine, says why, and never fetches the WebGPU one', async () => {
  await run('webgpu', 'max_steps=50&autoplay=1', async (page, requests) => {
    // Before the page has drawn its figures there is no backend figure: that is not an answer.
    await page.waitForFunction(() => !['', 'starting…'].includes(document.querySelector('[data-testid="backend"]')?.textContent ?? ''));
    assert.equal(await text(page, 'backend'), 'CPU');
    assert.match(await text(page, 'backend-reason'), /software.*swiftshader.*CPU path is faster/i);
    await waitForStatus(page, 'done');
    assert.deepEqual(gpuEngine(requests), []);
  });
});

// The software adapter runs about a step a second: one short run proves the WebGPU engine end to
// end (its fetch, the hand-over, training, views, the card and the same numbers as the CPU engine),
// and the CPU path's long runs are not repeated on it. Full batches make its few steps descend.
const SHORT = 'teacher_steps=30&max_steps=20&batch=200&autoplay=1';

// The last report's total and soft losses, as the page shows them.
const readLosses = (page) =>
  page.evaluate(() => ['loss-total', 'loss-soft'].map((id) => parseFloat(document.querySelector(`[data-testid="${id}"]`).textContent)));

test('backend=webgpu fetches the WebGPU engine, which takes the run over, trains it to done and agrees with the CPU engine', async () => {
  const losses = {};
  await run('webgpu', `backend=webgpu&${SHORT}`, async (page, requests) => {
    await page.waitForFunction(() => /WebGPU/.test(document.querySelector('[data-testid="backend"]')?.textContent ?? ''), null, { timeout: 120_000 });
    await waitForStatus(page, 'done', 400_000);
    assert.ok(gpuEngine(requests).some((path) => /\/engine-gpu-[0-9a-f]{16}_bg\.wasm$/.test(path)), `${requests}`);
    assert.match(await text(page, 'backend'), /^WebGPU/);
    assert.notEqual(await text(page, 'backend-reason'), '');
    assert.equal(await text(page, 'step'), '20');
    const totals = await page.evaluate(() => window.__lossTotals);
    assert.ok(totals.length >= 2 && totals.at(-1) < totals[0], `loss-total showed ${totals}`);
    for (const map of ['map-teacher', 'map-student', 'map-baseline']) {
      const colours = await distinctColours(page, map);
      assert.ok(colours > 10, `${map} holds ${colours} colours`);
    }
    await checkResources(page, { answers: 1000, labels: 20 });
    losses.webgpu = await readLosses(page);
  });
  await run('cpu', `backend=cpu&${SHORT}`, async (page) => {
    await waitForStatus(page, 'done');
    assert.equal(await text(page, 'backend'), 'CPU');
    losses.cpu = await readLosses(page);
  });
  // float32 sums in another order on the GPU: the runs drift apart a little, step by step.
  losses.cpu.forEach((cpu, i) => {
    const gpu = losses.webgpu[i];
    assert.ok(Number.isFinite(cpu) && Math.abs(cpu - gpu) <= 0.02 * Math.max(Math.abs(cpu), 0.05), `${losses.cpu} vs ${losses.webgpu}`);
  });
});

test('a WebGPU engine that cannot load leaves the run on the CPU engine, with a notice', async () => {
  const browser = await shared.browser('webgpu');
  const link = 'backend=webgpu&teacher_steps=20&max_steps=20&autoplay=1';
  const { page } = await open(browser, `${shared.server.url}?${link}`, async (p) => {
    await p.route('**/engine-gpu-*_loader.js', (route) => route.fulfill({ status: 404, body: 'not found' }));
  });
  await page.waitForFunction(() => /WebGPU engine could not load/.test(document.querySelector('[data-testid="notices"]')?.textContent ?? ''), null, { timeout: 60_000 });
  await waitForStatus(page, 'done');
  assert.equal(await text(page, 'backend'), 'CPU');
  assert.match(await text(page, 'backend-reason'), /WebGPU engine could not load/);
});

test('the race times this run on both backends, keeps the faster and shows both rates', async () => {
  await run('webgpu', 'debug=race&teacher_steps=20&max_steps=20&autoplay=1', async (page) => {
    await page.waitForFunction(() => /steps\/s/.test(document.querySelector('[data-testid="backend-reason"]')?.textContent ?? ''), null, { timeout: 180_000 });
    const reason = await text(page, 'backend-reason');
    const [, webgpu, cpu, winner] = reason.match(/WebGPU (\d+) steps\/s, CPU (\d+) steps\/s: (WebGPU|CPU)/);
    assert.equal(winner, Number(webgpu) >= Number(cpu) ? 'WebGPU' : 'CPU', reason);
    assert.match(await text(page, 'backend'), winner === 'CPU' ? /^CPU$/ : /WebGPU/);
    await waitForStatus(page, 'done');
  });
});

test('the CPU engine starts the link’s run before the page listens, and the page’s same commands do not start it again', async () => {
  const browser = await shared.browser('cpu');
  const { page, problems } = await open(browser, `${shared.server.url}?max_steps=20&autoplay=1`, async (p) => {
    // The page's own code arrives late, as on a slow network: the engine has long been ready.
    await p.route('**/app-*_bg.wasm', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 3000));
      await route.continue();
    });
    await p.addInitScript(() => {
      // Messages from the first engine, counted as they arrive, and how many had arrived when
      // the page sent its first command; every status the page shows, in order.
      const watch = (window.__early = { heard: 0, heardBeforeFirstCommand: null, commands: 0, statuses: [] });
      const Original = window.Worker;
      window.Worker = function (url, options) {
        const worker = new Original(url, options);
        if (!watch.watching) {
          watch.watching = true;
          worker.addEventListener('message', () => (watch.heard += 1));
          const post = worker.postMessage.bind(worker);
          worker.postMessage = (...args) => {
            if (watch.commands++ === 0) watch.heardBeforeFirstCommand = watch.heard;
            return post(...args);
          };
        }
        return worker;
      };
      window.Worker.prototype = Original.prototype;
      new MutationObserver(() => {
        const status = document.querySelector('[data-testid="status"]')?.textContent?.trim();
        if (status && watch.statuses.at(-1) !== status) watch.statuses.push(status);
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
  });
  await waitForStatus(page, 'done');
  // The page's reset and play.
  await page.waitForFunction(() => window.__early.commands >= 2);
  const early = await page.evaluate(() => window.__early);
  // Listening alone would be 1: the run's backend, models, statuses and figures came unasked.
  assert.ok(early.heardBeforeFirstCommand > 3, JSON.stringify(early));
  // The page's commands reach the engine within milliseconds; a second run would show again.
  await page.waitForTimeout(1500);
  const statuses = await page.evaluate(() => window.__early.statuses);
  assert.equal(statuses.filter((s) => s === 'done').length, 1, `statuses shown: ${statuses}`);
  assert.equal(statuses.at(-1), 'done', `statuses shown: ${statuses}`);
  assert.equal(await text(page, 'step'), '20');
  assert.deepEqual(problems, []);
});
