// One truth per number: the figures a newcomer sees first are the ones the story needs, the rest
// wait under "More figures" (remembered per visitor), a figure that does not apply to the run is
// not shown, the charts count the steps the step card counts, and the shipped teacher says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, text, waitForStatus, sharedBrowsers } from './harness.mjs';

const shared = sharedBrowsers();

const visible = (page, id) => page.locator(`[data-testid="${id}"]`).isVisible();
const present = async (page, id) => (await page.locator(`[data-testid="${id}"]`).count()) > 0;

test('cpu: the first figures are the story; the rest wait under More figures, which a visitor keeps open', async () => {
  const { page, problems } = await open(await shared.browser('cpu'), `${shared.server.url}?autoplay=1&max_steps=120`);
  try {
    await waitForStatus(page, 'done');
    for (const id of ['status', 'step', 'acc-teacher', 'acc-student', 'acc-baseline', 'answers-bought']) {
      assert.ok(await visible(page, id), `${id} is shown from the start`);
    }
    assert.match(await text(page, 'answers-bought'), /^[\d,]+ answers against the baseline's 20 labels$/);
    assert.equal(await page.locator('details.more-figures').getAttribute('open'), null, 'closed on a first visit');
    for (const id of ['backend', 'steps-per-second', 'loss-total', 'agreement', 'engine-memory']) {
      assert.ok(!(await visible(page, id)), `${id} waits under More figures`);
    }
    await page.click('[data-testid="more-figures"]');
    assert.ok(await visible(page, 'steps-per-second'));
    await page.reload();
    await page.waitForSelector('details.more-figures[open]');
    assert.ok(await visible(page, 'loss-total'), 'a visitor who opened it finds it open again');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test('cpu: a figure that does not apply is not shown, and the charts count the step card\'s steps', async () => {
  const browser = await shared.browser('cpu');
  for (const { link, hard, queries } of [
    { link: '', hard: false, queries: true },
    { link: '&transfer=train&transfer_size=20&alpha=0.5', hard: true, queries: false },
    { link: '&transfer=train&transfer_size=20&alpha=1', hard: false, queries: false },
    { link: '&transfer=train&transfer_size=20&alpha=0.5&answers=label', hard: false, queries: false },
  ]) {
    const { page, problems } = await open(browser, `${shared.server.url}?teacher_steps=40&max_steps=30&autoplay=1${link}`);
    try {
      await waitForStatus(page, 'done');
      assert.equal(await present(page, 'loss-hard'), hard, `hard loss shown on ?${link}`);
      assert.equal(await present(page, 'queries-answered'), queries, `queries shown on ?${link}`);
      if (hard) assert.match(await text(page, 'loss-hard'), /^\d+\.\d{4}$/);
      // The axis runs through the teacher's 40 steps and the students' 30: its end says which.
      assert.equal(await text(page, 'step'), '30');
      assert.equal(await text(page, 'teacher-step'), '40');
      const ticks = await page.locator('[data-testid="acc-chart"] text.tick').allTextContents();
      assert.ok(ticks.includes('student step 30'), `axis ticks ${ticks}`);
      assert.match(await text(page, 'acc-chart-summary'), /^At student step 30: /);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  }
});

test('cpu: API mode says α is 1; the shipped teacher reads "trained beforehand"; the headline names all three accuracies', async () => {
  const { page, problems } = await open(await shared.browser('cpu'), `${shared.server.url}?scenario=digits&autoplay=1&max_steps=40`);
  try {
    await waitForStatus(page, 'done');
    assert.match(await text(page, 'note-alpha'), /α is 1/);
    assert.equal(await page.locator('[data-testid="note-alpha"]').getAttribute('data-inactive'), 'true');
    assert.equal(await text(page, 'teacher-step'), 'trained beforehand');
    assert.equal(await page.locator('[data-testid="query-digit"]').count(), 8, 'a strip of the digits it asked about');
    const ticks = await page.locator('[data-testid="acc-chart"] text.tick').allTextContents();
    assert.ok(ticks.includes('student step 40'), `axis ticks ${ticks}`);
    const headline = await text(page, 'res-headline');
    for (const [model, id] of [['distilled student', 'acc-student'], ['teacher', 'acc-teacher'], ['labels alone', 'acc-baseline']]) {
      assert.ok(headline.includes(`${model} ${await text(page, id)}`), `${headline} names the ${model}'s ${await text(page, id)}`);
    }
    assert.match(headline, / · [\d,]+ top-3 answers from the teacher against the baseline's 200 labels$/);
    // The fair comparison, one click away: the baseline given as many labels as the teacher's answers.
    assert.match(await text(page, 'same-labels'), /give the baseline up to 2,000/);
    await page.click('[data-testid="same-labels"]');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('transfer_size') === '2000');
    // The link keeps autoplay=1: the new run trains by itself.
    await page.waitForFunction(() => /against the baseline's 2,000 labels$/.test(document.querySelector('[data-testid="res-headline"]')?.textContent));
    await waitForStatus(page, 'done');
    assert.equal(await page.locator('[data-testid="same-labels"]').count(), 0, 'nothing left to equal');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test('cpu: chart text and lines read at a distance: 12 px and 2 px on a laptop, 18 px and 4 px presenting', async () => {
  for (const { link, viewport, text: minText, line: minLine } of [
    { link: '', viewport: { width: 1400, height: 900 }, text: 12, line: 2 },
    { link: '&present=1', viewport: { width: 1280, height: 720 }, text: 18, line: 4 },
  ]) {
    const { page, problems } = await open(await shared.browser('cpu'), `${shared.server.url}?max_steps=20&autoplay=1${link}`, async () => {}, { viewport });
    try {
      await waitForStatus(page, 'done');
      // Drawn sizes: the computed size times the SVG's scale on screen; lines keep their CSS width.
      const drawn = await page.evaluate(() => [...document.querySelectorAll('.line-chart svg')].map((svg) => {
        const scale = svg.getScreenCTM().a;
        const texts = [...svg.querySelectorAll('text')].map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
        const lines = [...svg.querySelectorAll('polyline.series')].map((l) => {
          const style = getComputedStyle(l);
          return parseFloat(style.strokeWidth) * (style.vectorEffect === 'non-scaling-stroke' ? 1 : scale);
        });
        return { texts, lines };
      }));
      assert.equal(drawn.length, 3);
      for (const { texts, lines } of drawn) {
        assert.ok(texts.length >= 3 && Math.min(...texts) >= minText, `chart text drawn at ${texts.map((t) => t.toFixed(1))} px${link}`);
        assert.ok(lines.length >= 1 && Math.min(...lines) >= minLine, `chart lines drawn at ${lines} px${link}`);
      }
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  }
});

test('cpu: in API mode the distilled student\'s map shows where it asked the teacher, and the toggle hides it', async () => {
  const { page, problems } = await open(await shared.browser('cpu'), `${shared.server.url}?max_steps=20&autoplay=1`);
  try {
    await waitForStatus(page, 'done');
    const drawn = (id) => page.locator(`[data-testid="${id}"]`).getAttribute('data-queries-drawn').then(Number);
    assert.ok(await page.locator('[data-testid="queries-on-map"]').isChecked(), 'on by default in API mode');
    assert.equal(await drawn('map-student'), 1000, 'the 1,000 queries of the default link');
    assert.equal(await drawn('map-teacher'), 0);
    assert.equal(await drawn('map-baseline'), 0);
    await page.click('[data-testid="queries-on-map"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="map-student"]').dataset.queriesDrawn === '0');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
  // Training on labels, there is nothing asked to show.
  const train = await open(await shared.browser('cpu'), `${shared.server.url}?max_steps=20&autoplay=1&transfer=train`);
  try {
    await waitForStatus(train.page, 'done');
    assert.equal(await train.page.locator('[data-testid="queries-on-map"]').count(), 0);
    assert.deepEqual(train.problems, []);
  } finally {
    await train.page.close();
  }
});
