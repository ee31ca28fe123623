// The 2-D lab, complete: every dataset, the query mode, your own points, the extra figures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowser, open, text, waitForStatus, distinctColours } from './harness.mjs';

const shared = sharedBrowser('cpu');

/** A fingerprint of what a canvas shows. */
async function pixels(page, testId) {
  return page.evaluate((id) => {
    const canvas = document.querySelector(`[data-testid="${id}"]`);
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let hash = 0;
    for (let i = 0; i < data.length; i += 1) hash = (hash * 31 + data[i]) | 0;
    return hash;
  }, testId);
}

for (const dataset of ['spiral', 'moons', 'circles', 'xor', 'gaussians']) {
  test(`${dataset}: renders and trains to done in 200 steps`, async () => {
    const { page, problems } = await open(shared.browser, `${shared.server.url}?dataset=${dataset}&autoplay=1&max_steps=200`);
    try {
      await waitForStatus(page, 'done');
      assert.equal(await text(page, 'step'), '200');
      assert.ok(parseFloat(await text(page, 'acc-teacher')) > 75, `${dataset}: the teacher learned it`);
      for (const map of ['map-teacher', 'map-student', 'map-baseline']) {
        assert.ok((await distinctColours(page, map)) > 10, `${dataset}: ${map} painted`);
      }
      assert.match(await text(page, 'agreement-plane'), /^\d{1,3}\.\d%$/);
      assert.ok((await distinctColours(page, 'map-disagreement')) >= 1);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });
}

test('from random queries alone, the student comes to agree with the teacher', async () => {
  // The same seed gives the same teacher and the same student start: only the step count differs.
  const link = 'dataset=spiral&hidden=6&transfer=queries&queries_from=uniform&queries=2000&autoplay=1&seed=3';
  const agreementAfter = async (steps) => {
    const { page, problems } = await open(shared.browser, `${shared.server.url}?${link}&max_steps=${steps}`);
    try {
      await waitForStatus(page, 'done');
      assert.equal(await text(page, 'queries-answered'), 'the teacher has answered 2000 queries');
      assert.equal(await page.locator('[data-testid="loss-hard"]').count(), 0, 'no hard-loss figure: query mode never reads a label');
      assert.deepEqual(problems, []);
      return parseFloat(await text(page, 'agreement-plane'));
    } finally {
      await page.close();
    }
  };
  const early = await agreementAfter(5);
  const late = await agreementAfter(3000);
  assert.ok(late > early + 10, `agreement over the plane went from ${early}% to ${late}%`);
  assert.ok(late > 85, `after 3000 steps the student agrees on only ${late}% of the plane`);
});

test('clicking a map adds a point and the retrained teacher changes its map', async () => {
  const { page, problems } = await open(shared.browser, `${shared.server.url}?dataset=gaussians&autoplay=1&max_steps=50&teacher_steps=300`);
  try {
    await waitForStatus(page, 'done');
    const before = await pixels(page, 'map-teacher');
    const trainBefore = Number(await page.locator('[data-testid="map-teacher"]').getAttribute('data-train-points'));
    // Class 1 points deep inside class 0's region (gaussians: class 0 sits at angle 0.4, upper right).
    await page.click('[data-testid="add-class-1"]');
    const canvas = page.locator('[data-testid="map-teacher"]');
    const box = await canvas.boundingBox();
    for (const [dx, dy] of [[0, 0], [6, 0], [0, 6], [-6, 0], [0, -6], [4, 4], [-4, -4], [4, -4]]) {
      await canvas.click({ position: { x: box.width * 0.73 + dx, y: box.height * 0.4 + dy } });
    }
    assert.equal(await text(page, 'added-count'), '8 added');
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid="map-teacher"]').dataset.trainPoints) === n,
      trainBefore + 8,
    );
    await waitForStatus(page, 'done');
    assert.notEqual(await pixels(page, 'map-teacher'), before, 'the teacher map did not change');
    await page.click('[data-testid="clear-points"]');
    assert.equal(await text(page, 'added-count'), '0 added');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test('new data draws the next seed and puts it in the link', async () => {
  const { page, problems } = await open(shared.browser, `${shared.server.url}?dataset=moons&seed=4&max_steps=20&train_ratio=0.7`);
  try {
    // The inference timing is the fresh run's last message: after it the layout no longer
    // shifts under the pointer (a busy machine once made the click land beside the button).
    await page.waitForSelector('[data-testid="res-latency-student"][data-ms]');
    await page.click('[data-testid="regenerate"]');
    await page.waitForFunction(() => location.search.includes('seed=5'));
    assert.ok(page.url().includes('train_ratio=0.7'));
    await page.click('[data-testid="play"]');
    await waitForStatus(page, 'done');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});
