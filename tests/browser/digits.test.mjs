// The digits lab: the shipped data and teacher load, the student learns, the gallery and the
// per-class table show it, and a missing or damaged file is a message, never a dead page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowser, open, text, waitForStatus } from './harness.mjs';

const shared = sharedBrowser('cpu');
const DIGITS = '**/data/digits.bin.gz';
const TEACHER = '**/models/digits-teacher.bpk';

test('digits: the shipped teacher is loaded and the student learns from it', async () => {
  const requests = [];
  const { page, problems } = await open(shared.browser, `${shared.server.url}?scenario=digits&autoplay=1&max_steps=400`, async (page) => {
    page.on('request', (request) => requests.push(request.url()));
  });
  try {
    await waitForStatus(page, 'done');
    assert.equal(await text(page, 'step'), '400');
    assert.equal(await text(page, 'teacher-step'), 'trained beforehand', 'the teacher arrives trained');
    assert.ok(parseFloat(await text(page, 'acc-teacher')) > 97, 'the shipped teacher scores about 98%');
    assert.ok(parseFloat(await text(page, 'acc-student')) > 85, `student: ${await text(page, 'acc-student')}`);
    assert.match(await text(page, 'params-student'), /784-64-10/);
    const cards = await page.locator('[data-testid="digit-card"]').evaluateAll((cards) =>
      cards.map((c) => [c.dataset.label, c.dataset.teacher, c.dataset.student, c.dataset.baseline]));
    assert.equal(cards.length, 30);
    assert.deepEqual([...new Set(cards.map((c) => c[0]))].sort(), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    assert.ok(cards.every((c) => c.slice(1).every((p) => /^\d$/.test(p))), 'every card shows three answers');
    assert.ok(cards.filter((c) => c[1] === c[0]).length >= 27, 'the teacher gets the gallery right');
    const inked = await page.locator('[data-testid="digit-card"] canvas').first().evaluate((canvas) => {
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      return data.filter((v, i) => i % 4 === 0 && v < 128).length;
    });
    assert.ok(inked > 20, 'the first digit is drawn');
    assert.equal(await page.locator('[data-testid="per-class-student"] td').count(), 10);
    assert.equal(await page.locator('#setting-dataset').count(), 0, 'no 2-D settings in the digits lab');
    assert.equal(await page.locator('#setting-omit').count(), 1);
    assert.equal(await page.locator('[data-testid="map-teacher"]').count(), 0);
    assert.equal(requests.filter((u) => u.endsWith('digits.bin.gz')).length, 1);

    // Loaded once, the lab needs no network: a new setting trains again offline.
    await page.context().setOffline(true);
    const before = requests.length;
    await page.selectOption('#setting-omit', '3');
    await page.locator('[data-testid="play"]').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="step"]')?.textContent) >= 50);
    assert.match(await text(page, 'bias-shift'), /^\+0\.0 /);
    assert.equal(requests.length, before, 'no request while offline');
    assert.match(page.url(), /scenario=digits&omit=3/);
    assert.deepEqual(problems, []);
  } finally {
    await page.context().setOffline(false);
    await page.close();
  }
});

test('a link switches labs with their own defaults', async () => {
  const { page, problems } = await open(shared.browser, `${shared.server.url}?dataset=moons`);
  try {
    await page.waitForSelector('[data-testid="map-teacher"]');
    await page.selectOption('#setting-scenario', 'digits');
    await page.waitForSelector('[data-testid="digit-card"]');
    assert.match(page.url(), /\?scenario=digits&dataset=moons&seed=1$/);
    assert.equal(await page.inputValue('#setting-hidden'), '64', 'the digits student is 784-64-10');
    await page.selectOption('#setting-scenario', 'shapes');
    await page.waitForSelector('[data-testid="map-teacher"]');
    assert.equal(await page.inputValue('#setting-hidden'), '16');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

/** Bytes of a shipped file, changed by `damage`. */
async function damaged(page, url, damage) {
  const response = await page.request.get(url);
  return damage(Buffer.from(await response.body()));
}

const faults = [
  ['the data file is missing', DIGITS, async (route) => route.fulfill({ status: 404, body: 'not found' }), /digits data could not be loaded.*missing.*404/],
  ['the data file is cut short', DIGITS, async (route, page) => route.fulfill({ body: await damaged(page, route.request().url(), (b) => b.subarray(0, Math.floor(b.length / 3))) }), /digits data file.*damaged/],
  ['the data file has flipped bytes', DIGITS, async (route, page) => route.fulfill({ body: await damaged(page, route.request().url(), (b) => { b.fill(0x55, 5000, 5100); return b; }) }), /digits data file.*damaged.*checksum|digits data file.*damaged/],
  ['the weights are missing', TEACHER, async (route) => route.fulfill({ status: 404, body: 'not found' }), /teacher could not be loaded.*404/],
  ['the weights are cut short', TEACHER, async (route, page) => route.fulfill({ body: await damaged(page, route.request().url(), (b) => b.subarray(0, Math.floor(b.length / 2))) }), /teacher could not be used/],
  ['the weights are damaged inside', TEACHER, async (route, page) => route.fulfill({ body: await damaged(page, route.request().url(), (b) => { const at = Math.floor(b.length / 3); b.fill(0xff, at, at + 64); return b; }) }), /teacher is unusable.*damaged/],
];

for (const [what, pattern, answer, message] of faults) {
  test(`digits: ${what} gives a message, and the shapes lab still works`, async () => {
    const { page, problems } = await open(shared.browser, `${shared.server.url}?scenario=digits&autoplay=1`, async (page) => {
      await page.route(pattern, (route) => answer(route, page));
    });
    try {
      await waitForStatus(page, 'error', 60_000);
      const error = await text(page, 'error');
      assert.match(error, message);
      assert.equal(await page.locator('[data-testid="digit-card"]').count(), 0);
      await page.selectOption('#setting-scenario', 'shapes');
      await page.locator('[data-testid="play"]').click();
      await page.waitForFunction(() => Number(document.querySelector('[data-testid="step"]')?.textContent) >= 20);
      assert.equal(await page.locator('[data-testid="error"]').count(), 0, 'the error is gone');
      assert.deepEqual(problems, [], `${what}: ${problems}`);
    } finally {
      await page.close();
    }
  });
}
