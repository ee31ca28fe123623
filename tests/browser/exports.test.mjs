// Exports and imports, made in the page: the metrics CSV, the maps and charts as PNG and SVG,
// and the distilled student, which loads back in the page and in the `distill` CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedBrowser, open, text, waitForStatus, download, CLI } from './harness.mjs';

const shared = sharedBrowser('cpu');

/** A PNG's width and height, from its header. */
function pngSize(bytes) {
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG', 'a PNG signature');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

test('the metrics CSV has the CLI\'s header and one row per report', async () => {
  const { page, problems } = await open(shared.browser, `${shared.server.url}?dataset=moons&autoplay=1&max_steps=200`);
  try {
    await waitForStatus(page, 'done');
    const rowsShown = Number((await text(page, 'export-csv')).match(/\((\d+) rows\)/)[1]);
    const { name, bytes } = await download(page, 'export-csv');
    assert.equal(name, 'distill-metrics.csv');
    const lines = bytes.toString('utf8').trim().split('\n');
    const header = lines[0].split(',');
    assert.deepEqual(header.slice(0, 3), ['step', 'teacher_step', 'phase']);
    assert.ok(header.includes('acc_student') && header.at(-1) === 'steps_per_second', lines[0]);
    assert.ok(rowsShown > 5, `${rowsShown} reports`);
    assert.equal(lines.length - 1, rowsShown, 'one row per report');
    for (const line of lines.slice(1)) assert.equal(line.split(',').length, header.length, line);
    const last = Object.fromEntries(header.map((column, i) => [column, lines.at(-1).split(',')[i]]));
    assert.equal(last.step, '200');
    assert.equal(last.phase, 'distill');
    assert.equal((100 * Number(last.acc_student)).toFixed(1) + '%', await text(page, 'acc-student'));
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test('maps and charts save as PNG at their size, and charts as standalone SVG', async () => {
  const { page, problems } = await open(shared.browser, `${shared.server.url}?autoplay=1&max_steps=100`);
  try {
    await waitForStatus(page, 'done');
    const map = await download(page, 'map-teacher-png');
    const canvas = await page.evaluate(() => {
      const c = document.querySelector('[data-testid="map-teacher"]');
      return [c.width, c.height];
    });
    assert.deepEqual(pngSize(map.bytes), canvas);
    const chart = await download(page, 'acc-chart-png');
    // Four times the chart's 330×190 drawing, sharp on a slide.
    assert.deepEqual(pngSize(chart.bytes), [1320, 760]);
    const svg = await download(page, 'loss-chart-svg');
    const source = svg.bytes.toString('utf8');
    assert.match(source, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(source, /<polyline[^>]*style="[^"]*stroke:/, 'line colours written into the file');
    // The page decodes what it saved: a valid image of the chart's size.
    const decoded = await page.evaluate(async (text) => {
      const image = new Image();
      image.src = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
      await image.decode();
      return [image.naturalWidth, image.naturalHeight];
    }, source);
    assert.deepEqual(decoded, [330, 190]);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test('an exported student loads back in the page and in the CLI with the same test accuracy', async () => {
  const settings = 'dataset=moons&hidden=8&autoplay=1&max_steps=300&seed=4';
  const exported = await open(shared.browser, `${shared.server.url}?${settings}`);
  let weights;
  let json;
  let accuracy;
  try {
    await waitForStatus(exported.page, 'done');
    accuracy = await text(exported.page, 'acc-student');
    await exported.page.click('[data-testid="export-weights"]');
    await exported.page.waitForSelector('[data-testid="download-weights"]');
    assert.match(await text(exported.page, 'student-summary'), new RegExp(`${accuracy.replace('.', '\\.')} test accuracy`));
    weights = await download(exported.page, 'download-weights');
    json = await download(exported.page, 'download-settings');
    assert.equal(weights.name, 'distill-student.bpk');
    assert.equal(json.name, 'distill-student.json');
    const file = JSON.parse(json.bytes.toString('utf8'));
    assert.equal(file.settings.dataset, 'moons');
    assert.equal(file.settings.hidden, '8');
    assert.equal((100 * file.test_accuracy).toFixed(1) + '%', accuracy);
    assert.deepEqual(exported.problems, []);
  } finally {
    await exported.page.close();
  }

  // A fresh page on other settings: importing both files brings the run's settings and the student.
  const imported = await open(shared.browser, `${shared.server.url}?dataset=circles`);
  try {
    const page = imported.page;
    await waitForStatus(page, 'idle');
    await page.setInputFiles('[data-testid="import-files"]', [json.path, weights.path]);
    await page.waitForFunction(() => location.search.includes('dataset=moons') && location.search.includes('hidden=8'));
    await page.waitForFunction(() => /Student loaded/.test(document.querySelector('[data-testid="notices"]')?.textContent ?? ''));
    await page.waitForFunction((want) => document.querySelector('[data-testid="acc-student"]')?.textContent.trim() === want, accuracy);
    assert.equal(await text(page, 'step'), '0', 'the imported student has not trained here yet');
    assert.deepEqual(imported.problems, []);
  } finally {
    await imported.page.close();
  }

  // On a page already set up as that run, the weights alone load at once.
  const link = new URLSearchParams(JSON.parse(json.bytes.toString('utf8')).settings).toString();
  const same = await open(shared.browser, `${shared.server.url}?${link}`);
  try {
    await waitForStatus(same.page, 'idle');
    await same.page.setInputFiles('[data-testid="import-files"]', weights.path);
    await same.page.waitForFunction((want) => document.querySelector('[data-testid="acc-student"]')?.textContent.trim() === want, accuracy);
    assert.deepEqual(same.problems, []);
  } finally {
    await same.page.close();
  }

  assert.ok(existsSync(CLI), `the distill CLI is built at ${CLI} (the test command builds it)`);
  const output = execFileSync(CLI, ['--settings', json.path, '--student', weights.path, '--evaluate'], { encoding: 'utf8' });
  assert.match(output, new RegExp(`student test accuracy: ${accuracy.replace('.', '\\.')}`), output);
});

test('a damaged weights file is refused with a message, and the lab goes on', async () => {
  const { page, problems } = await open(shared.browser, `${shared.server.url}?hidden=4`);
  try {
    await waitForStatus(page, 'idle');
    const path = join(mkdtempSync(join(tmpdir(), 'distill-upload-')), 'broken.bpk');
    writeFileSync(path, Buffer.from('not a burn record at all'));
    await page.setInputFiles('[data-testid="import-files"]', path);
    await page.waitForFunction(() => /could not be loaded/.test(document.querySelector('[data-testid="notices"]')?.textContent ?? ''));
    await page.click('[data-testid="play"]');
    await waitForStatus(page, 'training');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});
