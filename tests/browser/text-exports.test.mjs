// The text lab's distilled student as files: exported with its settings, imported into a page of
// another lab (which switches to the run and loads it), loaded at once into a page of the same
// run, checked by the `distill` CLI, and a damaged file refused with a message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedBrowser, open, text, waitForStatus, number, download, CLI } from './harness.mjs';

const shared = sharedBrowser('cpu');
// Two purchases of answers, then a few steps.
const RUN = 'scenario=text&api_chars=2048&max_steps=40&seed=5';

/** Waits until the distilled student's held-out loss reads `want`. */
async function studentLoss(page, want) {
  await page.waitForFunction((want) => document.querySelector('[data-testid="loss-student"]')?.textContent.trim() === want, want);
}

/** The distilled student's panel, once written after `old` (or at all). */
async function studentPanel(page, old = '…') {
  await page.waitForFunction((old) => {
    const now = document.querySelector('[data-testid="text-student"]')?.textContent ?? '…';
    return now !== '…' && now !== old;
  }, old);
  return page.locator('[data-testid="text-student"]').textContent();
}

test('text: the distilled student is exported with its settings, imported into another page, and read by the CLI', async () => {
  const exported = await open(shared.browser, `${shared.server.url}?${RUN}&autoplay=1`);
  let weights, json, loss, panel;
  try {
    const page = exported.page;
    await waitForStatus(page, 'done');
    loss = await text(page, 'loss-student');
    await page.waitForFunction(() => document.querySelector('[data-testid="text-student"]')?.dataset.step === '40');
    panel = await studentPanel(page);
    await page.click('[data-testid="export-weights"]');
    await page.waitForSelector('[data-testid="download-weights"]');
    assert.match(await text(page, 'student-summary'), new RegExp(`step 40, held-out loss ${loss.replace('.', '\\.')} nats per character`));
    weights = await download(page, 'download-weights');
    json = await download(page, 'download-settings');
    const file = JSON.parse(json.bytes.toString('utf8'));
    assert.equal(file.settings.scenario, 'text');
    assert.equal(file.settings.api_chars, '2048');
    assert.equal(file.held_out_loss.toFixed(3), loss);
    assert.equal(file.test_accuracy, undefined, 'a language model has no test accuracy');
    assert.equal(file.settings.prompt, undefined, 'the prompt is the page’s, not the run’s');
    assert.deepEqual(exported.problems, []);
  } finally {
    await exported.page.close();
  }

  // A page of the 2-D lab: both files switch it to that run, whose distilled student is the file's.
  const imported = await open(shared.browser, `${shared.server.url}?dataset=circles`);
  try {
    const page = imported.page;
    await waitForStatus(page, 'idle');
    await page.setInputFiles('[data-testid="import-files"]', [json.path, weights.path]);
    await page.waitForFunction(() => location.search.includes('scenario=text') && location.search.includes('api_chars=2048'));
    await page.waitForFunction(() => /Student loaded/.test(document.querySelector('[data-testid="notices"]')?.textContent ?? ''));
    await studentLoss(page, loss);
    assert.equal(await text(page, 'step'), '0', 'the imported student has not trained here yet');
    await page.waitForFunction((want) => document.querySelector('[data-testid="text-student"]')?.textContent === want, panel);
    assert.deepEqual(imported.problems, []);
  } finally {
    await imported.page.close();
  }

  // A page of that very run: the weights alone load at once, and the panel is written again.
  const same = await open(shared.browser, `${shared.server.url}?${RUN}`);
  try {
    const page = same.page;
    await waitForStatus(page, 'idle');
    const untrained = await studentPanel(page);
    assert.notEqual(await text(page, 'loss-student'), loss);
    await page.setInputFiles('[data-testid="import-files"]', weights.path);
    await studentLoss(page, loss);
    assert.equal(await studentPanel(page, untrained), panel, 'the loaded student writes as it did where it was trained');
    assert.deepEqual(same.problems, []);
  } finally {
    await same.page.close();
  }

  const output = execFileSync(CLI, ['--settings', json.path, '--student', weights.path, '--evaluate'], { encoding: 'utf8' });
  const said = /student held-out loss: ([\d.]+) nats per character \(the file says ([\d.]+)\)/.exec(output);
  assert.ok(said, output);
  assert.equal(said[2], loss);
  assert.ok(Math.abs(number(said[1]) - number(loss)) <= 0.002, `the CLI measures ${said[1]}, the page ${loss}`);
});

test('text: a damaged student file is refused with a message, and the lab goes on', async () => {
  const { page, problems } = await open(shared.browser, `${shared.server.url}?${RUN}`);
  try {
    await waitForStatus(page, 'idle');
    const path = join(mkdtempSync(join(tmpdir(), 'distill-upload-')), 'broken.bpk');
    writeFileSync(path, Buffer.from('not a burn record at all'));
    await page.setInputFiles('[data-testid="import-files"]', path);
    await page.waitForFunction(() => /could not be loaded: .*weights file/.test(document.querySelector('[data-testid="notices"]')?.textContent ?? ''));
    await page.click('[data-testid="play"]');
    await waitForStatus(page, 'done');
    assert.equal(await text(page, 'step'), '40');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});
