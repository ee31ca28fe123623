// The WebGPU path (Chromium's software adapter): W1 runs on it, a GPU lost in mid-run hands the
// session to a fresh CPU engine, steps, weights and curves kept, and a GPU whose first step
// disagrees with the CPU's (faked by debug=gpu-wrong) leaves the run on the CPU.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowser, open, text, waitForStatus } from './harness.mjs';

const shared = sharedBrowser('webgpu');

test('a lost GPU device: training continues in a CPU engine from the last saved state, with a notice', async () => {
  const link = 'backend=webgpu&teacher_steps=40&max_steps=60&debug=lose-gpu&autoplay=1';
  const workers = { cpu: 0, gpuClosed: false };
  const { page, problems } = await open(shared.browser, `${shared.server.url}?${link}`, async (p) => {
    // The chart's points when the notice first shows, read in the page: the CPU engine trains
    // the rest in well under a second, often before a busy test could read them itself.
    await p.addInitScript(() => {
      new MutationObserver(() => {
        const notices = document.querySelector('[data-testid="notices"]')?.textContent ?? '';
        if (window.__pointsAtNotice === undefined && /GPU stopped working/.test(notices)) {
          window.__pointsAtNotice = Number(document.querySelector('[data-testid="loss-chart"]')?.getAttribute('data-points'));
        }
      }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    p.on('worker', (worker) => {
      if (/\/engine-[0-9a-f]{16}_loader\.js$/.test(worker.url())) workers.cpu += 1;
      if (/\/engine-gpu-[0-9a-f]{16}_loader\.js$/.test(worker.url())) worker.on('close', () => (workers.gpuClosed = true));
    });
  });
  try {
    await page.waitForFunction(() => /WebGPU/.test(document.querySelector('[data-testid="backend"]')?.textContent ?? ''), null, { timeout: 120_000 });
    await page.waitForFunction(() => /GPU stopped working/.test(document.querySelector('[data-testid="notices"]')?.textContent ?? ''), null, { timeout: 300_000 });
    const notice = await text(page, 'notices');
    const savedAt = Number(notice.match(/teacher step (\d+)/)[1]);
    assert.ok(savedAt >= 10, `the state saved from the GPU was at teacher step ${savedAt}: ${notice}`);
    const pointsAtLoss = await page.evaluate(() => window.__pointsAtNotice);
    assert.ok(pointsAtLoss >= 2, 'the curves from the GPU are still drawn');
    assert.equal(await text(page, 'backend'), 'CPU');
    assert.match(await text(page, 'backend-reason'), /WebGPU device was lost/);
    await waitForStatus(page, 'done', 120_000);
    assert.equal(await text(page, 'teacher-step'), '40');
    assert.equal(await text(page, 'step'), '60');
    assert.ok(Number(await page.locator('[data-testid="loss-chart"]').getAttribute('data-points')) > pointsAtLoss);
    assert.ok(parseFloat(await text(page, 'acc-teacher')) > 50);
    assert.equal(await page.locator('[data-testid="error"]').count(), 0);
    // The first CPU engine handed the run to the WebGPU engine; a second one took it back.
    assert.equal(workers.cpu, 2, 'a CPU engine took the run over');
    assert.ok(workers.gpuClosed, 'the WebGPU engine was ended, its memory freed');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test('the GPU self-check: WebGPU figures that disagree with the CPU’s leave the run on the CPU, with a notice naming the adapter', async () => {
  const link = 'backend=webgpu&teacher_steps=40&max_steps=60&debug=gpu-wrong&autoplay=1';
  const { page, problems } = await open(shared.browser, `${shared.server.url}?${link}`);
  try {
    await page.waitForFunction(() => /failed the self-check/.test(document.querySelector('[data-testid="notices"]')?.textContent ?? ''), null, { timeout: 300_000 });
    assert.match(await text(page, 'notices'), /backend=webgpu cannot be honoured here: WebGPU \(.+?\) failed the self-check: a loss after one step is [\d.]+ on WebGPU and [\d.]+ on the CPU/);
    await waitForStatus(page, 'done', 240_000);
    assert.equal(await text(page, 'backend'), 'CPU');
    assert.match(await text(page, 'backend-reason'), /failed the self-check/);
    assert.equal(await text(page, 'step'), '60');
    assert.ok(parseFloat(await text(page, 'acc-teacher')) > 50, 'the CPU trains as it should');
    assert.equal(await page.locator('[data-testid="error"]').count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});
