// The walking skeleton on the CPU path: loads, trains to done, loss falls, maps painted, no errors.
// The WebGPU path's run of the same checks is in engines.test.mjs, sized for the software adapter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, text, waitForStatus, distinctColours, sharedBrowsers } from './harness.mjs';

const shared = sharedBrowsers();

const RUNS = {
  cpu: { query: '?autoplay=1&max_steps=600&teacher_steps=200', steps: '600' },
};

for (const [mode, run] of Object.entries(RUNS)) {
  test(`${mode}: autoplay trains to done, the loss falls and the maps are painted`, async () => {
    const browser = await shared.browser(mode);
    const { page, problems } = await open(browser, `${shared.server.url}${run.query}`);
    await waitForStatus(page, 'done', 400_000);
    const backend = await text(page, 'backend');
    assert.equal(backend, 'CPU');
    assert.notEqual(await text(page, 'backend-reason'), '');
    assert.equal(await text(page, 'step'), run.steps);

    const totals = await page.evaluate(() => window.__lossTotals);
    assert.ok(totals.length >= 2, `loss-total showed ${totals.length} values`);
    assert.ok(totals.at(-1) < totals[0], `final total loss ${totals.at(-1)} is not below the first ${totals[0]}`);

    for (const name of ['acc-teacher', 'acc-student', 'acc-baseline', 'agreement']) {
      assert.match(await text(page, name), /^\d{1,3}\.\d%$/, name);
    }
    assert.ok(parseFloat(await text(page, 'acc-teacher')) > 80, 'the teacher learned the spiral');
    assert.ok(parseFloat(await text(page, 'steps-per-second')) > 0);
    assert.match(await text(page, 'params-teacher'), /^4482 /);
    assert.match(await text(page, 'params-student'), /^82 /);

    for (const map of ['map-teacher', 'map-student', 'map-baseline']) {
      const colours = await distinctColours(page, map);
      assert.ok(colours > 10, `${map} holds ${colours} colours`);
    }
    assert.equal(await page.locator('[data-testid="error"]').count(), 0);
    assert.deepEqual(problems, []);
    await page.screenshot({ path: `tests/browser/artifacts/${mode}-done.png`, fullPage: true }).catch(() => {});
  });
}

test('a malformed link still loads, with notices, and trains', async () => {
  const browser = await shared.browser('cpu');
  const { page, problems } = await open(browser, `${shared.server.url}?temperature=hot&alpha=7&lr=NaN&bogus=1&hidden=0,x&autoplay=1&max_steps=20&teacher_steps=20`);
  await waitForStatus(page, 'done');
  const notices = await text(page, 'notices');
  for (const fragment of ['temperature=hot', '“alpha” must lie between 0 and 1', 'lr=NaN', 'Unknown parameter “bogus”', 'hidden=0,x']) {
    assert.ok(notices.includes(fragment), `notices lack “${fragment}”: ${notices}`);
  }
  assert.deepEqual(problems, []);
});
