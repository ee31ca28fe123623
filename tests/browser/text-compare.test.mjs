// Compare in the text lab: the API's text alone, its top 5 and its whole distribution, over seeds
// 1–3 beside the baseline, on an engine of its own; the run of the page's own settings gives the
// figures the page shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowser, open, text, waitForStatus } from './harness.mjs';

const shared = sharedBrowser('cpu');
// One purchase of answers and a few steps per run.
const RUN = 'scenario=text&api_chars=1024&max_steps=20';

test('text: Compare runs each kind of answer over three seeds beside the baseline, by held-out loss', async () => {
  const { page, problems } = await open(shared.browser, `${shared.server.url}?${RUN}&autoplay=1`);
  try {
    await waitForStatus(page, 'done');
    const [student, baseline] = [await text(page, 'loss-student'), await text(page, 'loss-baseline')];
    assert.match(await text(page, 'compare'), /20 steps each and 1024 characters bought/);
    await page.click('[data-testid="compare-run"]');
    await page.waitForFunction(() => {
      const progress = document.querySelector('[data-testid="compare-progress"]');
      return progress && progress.max === 9 && progress.value === 9;
    }, null, { timeout: 400_000 });
    const rows = await page.locator('[data-testid="compare-table"] tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({ mode: tr.dataset.mode, seed: Number(tr.dataset.seed), loss: Number(tr.dataset.value), cells: [...tr.cells].map((c) => c.textContent) })));
    assert.equal(rows.length, 12, 'three kinds of answer and the baseline, three seeds each');
    assert.deepEqual([...new Set(rows.map((r) => r.mode))], ['label', 'top 5', 'full', 'baseline']);
    const numbers = { label: '0', 'top 5': String(5 * 1024), full: String(97 * 1024), baseline: '0' };
    for (const row of rows) {
      assert.ok([1, 2, 3].includes(row.seed) && row.loss > 1 && row.loss < 6, JSON.stringify(row));
      assert.equal(row.cells[3], row.mode === 'baseline' ? '0' : '1024', 'characters bought');
      assert.equal(row.cells[4], numbers[row.mode], `numbers received with ${row.mode}`);
    }
    // The page's own settings (top 5, seed 1) are one of the runs: the same figures as the page's.
    const cell = (mode, seed) => rows.find((r) => r.mode === mode && r.seed === seed).cells[2];
    assert.equal(cell('top 5', 1), student);
    assert.equal(cell('baseline', 1), baseline);
    const csv = (await page.locator('[data-testid="compare-csv"]').getAttribute('data-csv')).trim().split('\n');
    assert.equal(csv[0], 'mode,seed,held_out_loss,api_chars,numbers_received');
    assert.equal(csv.length, 13);
    assert.match(await page.locator('.compare-bars').getAttribute('aria-label'), /^Mean held-out loss in nats per character \(lower is better\): label \d\.\d{3}, top 5 /);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});
