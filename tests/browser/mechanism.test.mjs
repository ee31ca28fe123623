// The digits lab shows the mechanism: the teacher's full answer at a preview temperature that
// never restarts training, each model's top 3 on every card, and a draw pad all three classify.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, text, waitForStatus, patientWaits, sharedBrowsers } from './harness.mjs';

const shared = sharedBrowsers();

const probs = async (page, model) =>
  (await page.locator('[data-testid="dark-knowledge"]').getAttribute(`data-${model}`)).split(',').map(Number);

async function stroke(page, points) {
  const box = await page.locator('[data-testid="draw-pad"]').boundingBox();
  const at = ([x, y]) => [box.x + x * box.width, box.y + y * box.height];
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 3 });
  await page.mouse.up();
}

/** Each model's ten bars sum to 1, and each card shows three classes with probabilities for each. */
async function checkAnswers(page) {
  for (const model of ['teacher', 'student', 'baseline']) {
    const p = await probs(page, model);
    assert.equal(p.length, 10, model);
    assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 0.01, `${model}: ${p}`);
  }
  assert.match(await text(page, 'dark-knowledge'), /test digit 22, a 7/);
  const tops = await page.locator('[data-testid="digit-card"] [data-top3]').evaluateAll((spans) => spans.map((s) => s.dataset.top3.split(',')));
  assert.ok(tops.length >= 48, `${tops.length} model lines`);
  assert.ok(tops.every((t) => t.length === 3 && t.every((e) => /^\d:\d\.\d{4}$/.test(e))), JSON.stringify(tops[0]));
}

/** Draws a vertical stroke and waits for the teacher to call it a 1, then clears the pad. */
async function drawAOne(page) {
  await page.locator('[data-testid="draw-pad"]').scrollIntoViewIfNeeded();
  await stroke(page, [[0.5, 0.15], [0.5, 0.5], [0.5, 0.85]]);
  // Answers come while the stroke is drawn (the first for its first dot), so wait for the
  // answer to the whole stroke rather than read the first one.
  await page.waitForFunction(() => /^1 \d+\.\d%/.test(document.querySelector('[data-testid="draw-teacher"]').textContent), null, { timeout: 120_000 });
  for (const model of ['student', 'baseline']) assert.match(await text(page, `draw-${model}`), /^\d \d+\.\d%( · \d \d+\.\d%){2}$/);
  assert.match(await text(page, 'dark-knowledge'), /your drawing/);
  await page.click('[data-testid="draw-clear"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="draw-teacher"]').textContent === '—');
}

/** Waits until the engine has answered every drawing sent to it. */
const answersArrived = (page) =>
  page.waitForFunction(() => document.querySelector('[data-drawings-pending]')?.dataset.drawingsPending === '0', null, { timeout: 120_000 });

// The software adapter runs about a step a second: the WebGPU engine's answers are checked after
// a few steps, and what the page does with them is the CPU test's.
// An error that is not the device's (debug=bad-drawing cuts a pixel off the first drawing) gets
// a notice and leaves the run on the GPU.
test('webgpu: dark knowledge, top 3 on the cards and the draw pad, answered by the WebGPU engine, which keeps the run after a bad drawing', async () => {
  const browser = await shared.browser('webgpu');
  const { page, problems } = await open(browser, `${shared.server.url}?scenario=digits&autoplay=1&max_steps=3&backend=webgpu&debug=bad-drawing`);
  try {
    await waitForStatus(page, 'done', 400_000);
    assert.match(await text(page, 'backend'), /^WebGPU/);
    await checkAnswers(page);
    await page.locator('[data-testid="draw-pad"]').scrollIntoViewIfNeeded();
    await stroke(page, [[0.3, 0.5], [0.7, 0.5]]);
    await page.waitForFunction(() => /The drawing could not be classified: an input needs 784 finite values, not 783/
      .test(document.querySelector('[data-testid="notices"]')?.textContent ?? ''));
    assert.match(await text(page, 'backend'), /^WebGPU/);
    assert.doesNotMatch(await text(page, 'notices'), /GPU stopped working/);
    await page.click('[data-testid="draw-clear"]');
    await drawAOne(page);
    assert.match(await text(page, 'backend'), /^WebGPU/);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test('cpu: dark knowledge at a preview T, top 3 on the cards, and a draw pad', async () => {
  const browser = await shared.browser('cpu');
  const { page, problems } = await open(browser, `${shared.server.url}?scenario=digits&autoplay=1&max_steps=200`);
  try {
    await waitForStatus(page, 'done');
    await checkAnswers(page);

    // The preview T reshapes the bars at once and leaves training alone.
    const step = await text(page, 'step');
    const points = await page.locator('[data-testid="loss-chart"]').getAttribute('data-points');
    const before = await probs(page, 'teacher');
    const slider = page.locator('[data-testid="dk-temperature"]');
    await slider.focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => document.querySelector('[data-testid="dark-knowledge"]').dataset.temperature === '12');
    const after = await probs(page, 'teacher');
    assert.notDeepEqual(after, before);
    assert.ok(Math.max(...after) < Math.max(...before), 'a higher T softens the teacher');
    assert.equal(await text(page, 'step'), step);
    assert.equal(await page.locator('[data-testid="loss-chart"]').getAttribute('data-points'), points);
    assert.equal(await text(page, 'status'), 'done');
    await page.waitForFunction(() => location.search.includes('dk_t=12'));

    // A card picks the digit; the link holds both.
    await page.locator('[data-testid="digit-card"] button').nth(4).click();
    await page.waitForFunction(() => location.search.includes('dk_digit=4'));
    assert.match(await text(page, 'dark-knowledge'), /test digit 5, a 1/);

    // Draw pad: a vertical stroke is a 1, a closed loop a 0, and Clear empties the pad.
    await drawAOne(page);
    const inked = await page.locator('[data-testid="draw-pad"]').evaluate((c) =>
      c.getContext('2d').getImageData(0, 0, c.width, c.height).data.filter((v, i) => i % 4 === 3 && v > 0).length);
    assert.equal(inked, 0, 'Clear empties the pad');
    const loop = Array.from({ length: 25 }, (_, i) => {
      const a = (i / 24) * 2 * Math.PI;
      return [0.5 + 0.22 * Math.sin(a), 0.5 - 0.32 * Math.cos(a)];
    });
    await stroke(page, loop);
    await page.waitForFunction(() => /^0 /.test(document.querySelector('[data-testid="draw-teacher"]').textContent));

    // The same pad by keys alone: Delete clears, the arrows move the pen, Space puts it
    // down and lifts it; a vertical stroke drawn so is a 1 too.
    await page.focus('[data-testid="draw-pad"]');
    await page.keyboard.press('Delete');
    await page.waitForFunction(() => document.querySelector('[data-testid="draw-teacher"]').textContent === '—');
    // Answers to the loop may still be on their way: the pad stays cleared when they arrive.
    await answersArrived(page);
    assert.equal(await text(page, 'draw-teacher'), '—', 'an answer to a cleared drawing is dropped');
    for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Space');
    assert.match(await page.getAttribute('[data-testid="draw-pen"]', 'class'), /down/);
    assert.match(await page.getAttribute('[data-testid="draw-pad"]', 'aria-label'), /The pen is down/);
    for (let i = 0; i < 14; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => /^1 /.test(document.querySelector('[data-testid="draw-teacher"]').textContent));
    assert.equal(await text(page, 'step'), step, 'Space on the pad draws and never plays');
    await page.keyboard.press('Tab');
    assert.ok(await page.locator('[data-testid="draw-pen"]').isHidden(), 'the pen shows only while the pad has focus');
    assert.deepEqual(problems, []);

    // The link reproduces the chosen digit and preview T.
    const link = page.url();
    const again = await open(browser, link);
    try {
      await again.page.waitForFunction(() => document.querySelector('[data-testid="dark-knowledge"]')?.dataset.teacher);
      assert.match(await text(again.page, 'dark-knowledge'), /test digit 5, a 1/);
      assert.equal(await again.page.locator('[data-testid="dark-knowledge"]').getAttribute('data-temperature'), '12');
      assert.deepEqual(again.problems, []);
    } finally {
      await again.page.close();
    }
  } finally {
    await page.close();
  }
});

/// Presses `key` on the focused slider and waits until the page has drawn its new value: on a busy
/// machine the redraw comes a moment after the key.
async function pressAndSettle(page, selector, key) {
  const before = await page.locator(selector).getAttribute('aria-valuetext');
  await page.keyboard.press(key);
  await page.waitForFunction(
    ([selector, before]) => document.querySelector(selector)?.getAttribute('aria-valuetext') !== before,
    [selector, before],
  );
}

test('the temperature slider stops at 1, 2, 4, 8 and 20 by keyboard, and every setting can be typed', async () => {
  const browser = await shared.browser('cpu');
  const { page, problems } = await open(browser, `${shared.server.url}?max_steps=1000000`);
  try {
    const slider = page.locator('#setting-temperature');
    await slider.focus();
    await page.keyboard.press('Home');
    const seen = [];
    for (let i = 0; i < 12; i++) {
      seen.push(Number(await slider.getAttribute('aria-valuetext')));
      if (i < 11) await pressAndSettle(page, '#setting-temperature', 'ArrowRight');
    }
    for (const t of [1, 2, 4, 8, 20]) assert.ok(seen.includes(t), `T = ${t} not among ${seen}`);
    const queries = page.locator('#setting-queries');
    await queries.focus();
    await page.keyboard.press('Home');
    const counts = [];
    for (let i = 0; i < 12; i++) {
      counts.push(Number(await queries.getAttribute('aria-valuetext')));
      if (i < 11) await pressAndSettle(page, '#setting-queries', 'ArrowRight');
    }
    for (const q of [100, 1000, 2000]) assert.ok(counts.includes(q), `${q} not among ${counts}`);
    // What is typed stays while training redraws the page many times a second.
    await page.click('[data-testid="play"]');
    await waitForStatus(page, 'training');
    await page.locator('#setting-lr').click({ clickCount: 3 });
    await page.keyboard.type('0.02');
    // Two more reports, each a redraw, while the field holds the typing.
    for (let i = 0; i < 2; i++) {
      const shown = await text(page, 'step');
      await page.waitForFunction((was) => document.querySelector('[data-testid="step"]')?.textContent.trim() !== was, shown);
    }
    assert.equal(await page.inputValue('#setting-lr'), '0.02', 'the typing was put back by a redraw');
    await page.keyboard.press('Tab');
    await page.waitForFunction(() => location.search.includes('lr=0.02'));
    // An exact value in the field beside the slider.
    await page.fill('[data-testid="exact-temperature"]', '3.7');
    await page.locator('[data-testid="exact-temperature"]').dispatchEvent('change');
    await page.waitForFunction(() => location.search.includes('temperature=3.7'));
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test('a first visit opens a short tour that ends at the story in the news, with the live numbers', async () => {
  const browser = await shared.browser('cpu');
  const context = await browser.newContext();
  const page = patientWaits(await context.newPage());
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${shared.server.url}?scenario=digits&autoplay=1&max_steps=100`);
  await page.waitForSelector('[data-testid="tour"]');
  assert.match(await text(page, 'tour'), /step 1 of 6/);
  await waitForStatus(page, 'done');
  // The run ended while the tour was open: the tour steps on to its end instead of asking for Play.
  await page.waitForFunction(() => /step 6 of 6/.test(document.querySelector('[data-testid="tour"]').textContent));
  assert.match(await text(page, 'tour-title'), /Your turn/);
  assert.match(await text(page, 'tour'), /The run is done/);
  await page.click('[data-testid="tour-next"]');
  // Reopened after the run, it starts at its beginning.
  await page.click('[data-testid="tour-open"]');
  await page.waitForSelector('[data-testid="tour"]');
  const titles = [await text(page, 'tour-title')];
  for (let i = 0; i < 3; i++) {
    await page.click('[data-testid="tour-next"]');
    titles.push(await text(page, 'tour-title'));
  }
  assert.equal(titles.length, 4);
  assert.match(titles[1], /soft answers/);
  assert.match(titles[2], /temperature/);
  assert.match(await text(page, 'tour'), /DeepSeek/);
  assert.equal(await text(page, 'tour-live'), await text(page, 'res-headline'));
  await page.click('[data-testid="tour-next"]');
  assert.match(await text(page, 'tour-title'), /What an API really gives/);
  assert.match(await text(page, 'tour'), /top k classes, or its label alone/);
  assert.match(await text(page, 'tour'), /Compare, below the card, trains the student with each of them/);
  assert.equal(await page.locator('[data-testid="resources"] ~ [data-testid="compare"]').count(), 1, 'Compare comes after the card');
  await page.click('[data-testid="tour-next"]');
  await page.click('[data-testid="tour-next"]');
  assert.equal(await page.locator('[data-testid="tour"]').count(), 0, 'Done closes it');
  // A returning visitor is not shown it again; the button reopens it.
  await page.reload();
  await page.waitForSelector('[data-testid="tour-open"]');
  assert.equal(await page.locator('[data-testid="tour"]').count(), 0);
  await page.click('[data-testid="tour-open"]');
  await page.waitForSelector('[data-testid="tour"]');
  await page.click('[data-testid="tour-skip"]');
  assert.equal(await page.locator('[data-testid="tour"]').count(), 0, 'Skip closes it');
  await context.close();

  // Off in embeds unless asked for.
  for (const [link, shown] of [['?embed=1', 0], ['?embed=1&tour=1', 1]]) {
    const fresh = await browser.newContext();
    const embedded = patientWaits(await fresh.newPage());
    await embedded.goto(`${shared.server.url}${link}`);
    await embedded.waitForSelector('[data-testid="status"]');
    assert.equal(await embedded.locator('[data-testid="tour"]').count(), shown, link);
    await fresh.close();
  }
  assert.deepEqual(problems, []);
});

test('the digits lab downloads at most 3 MB of data and teacher, with a progress bar', async () => {
  const browser = await shared.browser('cpu');
  const sizes = {};
  const { page, problems } = await open(browser, `${shared.server.url}?scenario=digits`, async (page) => {
    page.on('response', async (response) => {
      const url = response.url();
      if (/digits\.bin\.gz$|digits-teacher\.bpk$/.test(url)) sizes[url] = (await response.body()).length;
    });
  });
  try {
    await page.waitForSelector('[data-testid="digit-card"]');
    const total = Object.values(sizes).reduce((a, b) => a + b, 0);
    assert.equal(Object.keys(sizes).length, 2, JSON.stringify(sizes));
    assert.ok(total <= 3_000_000, `${total} bytes`);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
  // The bar, while the files come in slowly.
  const slow = await open(browser, `${shared.server.url}?scenario=digits`, async (page) => {
    await page.route('**/data/digits.bin.gz', async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
  });
  try {
    await slow.page.waitForSelector('[data-testid="loading"]');
    await slow.page.waitForSelector('[data-testid="digit-card"]');
    assert.deepEqual(slow.problems, []);
  } finally {
    await slow.page.close();
  }
});
