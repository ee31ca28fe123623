// Everyone: axe-core finds no serious or critical violation in either theme, lab or mode, with
// everything unfolded; the keyboard reaches everything, with a visible focus ring, and adds points
// to a map; a phone held upright trains the digits lab with no sideways scrolling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { sharedBrowser, text, waitForStatus, patientWaits } from './harness.mjs';

const shared = sharedBrowser('cpu');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** A page in a fresh context with `options` (viewport, colour scheme, touch). */
async function openWith(url, options = {}) {
  const context = await shared.browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = patientWaits(await context.newPage());
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(url);
  return { page, problems, close: () => context.close() };
}

/** axe-core's serious and critical violations, one line each. */
async function violations(page) {
  await page.addScriptTag({ path: AXE });
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')} — ${v.nodes[0]?.failureSummary ?? ''}`);
}

for (const lab of ['shapes', 'digits']) {
  for (const theme of ['light', 'dark']) {
    test(`axe: the ${lab} lab in the ${theme} theme, in normal, embed and present modes`, async () => {
      for (const mode of ['', '&embed=1', '&present=1']) {
        const { page, problems, close } = await openWith(`${shared.server.url}?scenario=${lab}&theme=${theme}&autoplay=1&max_steps=30${mode}`);
        try {
          await waitForStatus(page, 'done');
          assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), theme);
          // What is folded away is checked too: the more figures, the news and "How it works".
          await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
          const found = await violations(page);
          assert.deepEqual(found, [], `${lab}, ${theme}${mode}`);
          assert.deepEqual(problems, []);
        } finally {
          await close();
        }
      }
    });
  }
}

test('the theme follows the system and the toggle fixes it in the link', async () => {
  const { page, close } = await openWith(shared.server.url, { colorScheme: 'dark' });
  try {
    await page.waitForSelector('[data-testid="theme"]');
    const paper = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(await paper(), 'rgb(16, 19, 23)', 'dark by the system’s choice');
    assert.equal(await page.getAttribute('[data-testid="theme"]', 'aria-pressed'), 'true');
    await page.click('[data-testid="theme"]');
    await page.waitForFunction(() => location.search.includes('theme=light'));
    assert.equal(await paper(), 'rgb(251, 251, 253)');
  } finally {
    await close();
  }
});

test('the keyboard reaches the controls with a visible focus ring, and adds a point to a map', async () => {
  const { page, problems, close } = await openWith(`${shared.server.url}?dataset=gaussians&max_steps=50`);
  try {
    await waitForStatus(page, 'idle');
    // Tab from the top lands on real controls, each drawing a focus ring.
    const seen = new Set();
    for (let i = 0; i < 12; i += 1) {
      await page.keyboard.press('Tab');
      const focus = await page.evaluate(() => {
        const e = document.activeElement;
        const style = getComputedStyle(e);
        return { tag: e.tagName, id: e.dataset.testid || e.id || e.textContent.trim().slice(0, 20), outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
      });
      seen.add(focus.tag);
      assert.notEqual(focus.outline, 'none', `${focus.tag} ${focus.id} shows where the focus is`);
      assert.ok(focus.width >= 2, `${focus.tag} ${focus.id}: a ring of ${focus.width}px`);
    }
    assert.ok(seen.has('BUTTON'), [...seen].join(','));
    // Arrow keys move the map's cursor; Enter adds a point there.
    await page.waitForFunction(() => document.querySelector('[data-testid="map-teacher"]')?.getAttribute('aria-label').includes('class 0 on'));
    await page.focus('[data-testid="map-teacher"]');
    const trainPoints = Number(await page.getAttribute('[data-testid="map-teacher"]', 'data-train-points'));
    for (const key of ['ArrowRight', 'ArrowRight', 'ArrowUp', 'Enter']) await page.keyboard.press(key);
    await page.waitForFunction(() => document.querySelector('[data-testid="added-count"]').textContent.startsWith('1 '));
    // The point starts a new run, which holds it among its training points (until then the old
    // run's map and charts are on the page, and its arrival moves them); the map is drawn again
    // and its label keeps the keys.
    await page.waitForFunction((before) => Number(document.querySelector('[data-testid="map-teacher"]').dataset.trainPoints) === before + 1, trainPoints);
    await page.waitForFunction(() => document.querySelector('[data-testid="map-teacher"]').getAttribute('aria-label').includes('class 0 on'));
    assert.match(await page.getAttribute('[data-testid="map-teacher"]', 'aria-label'), /Arrow keys move a cursor/);
    // Charts: the latest figures as text, and the data as a table on request.
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => /At (teacher|student) step \d+/.test(document.querySelector('[data-testid="acc-chart-summary"]').textContent));
    await page.click('[data-testid="acc-chart-table"] summary');
    await page.waitForSelector('[data-testid="acc-chart-table"] tbody tr th');
    assert.match(await page.textContent('[data-testid="acc-chart-table"] thead'), /teacher.*distilled student.*baseline student/);
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

for (const lab of ['digits', 'shapes']) {
  test(`a 360×740 phone held upright: the ${lab} lab has no sideways scroll and trains`, async () => {
    const { page, problems, close } = await openWith(`${shared.server.url}?scenario=${lab}&autoplay=1&max_steps=60`, {
      viewport: { width: 360, height: 740 },
      hasTouch: true,
      isMobile: true,
    });
    try {
      await waitForStatus(page, 'done');
      const widths = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      assert.ok(widths[0] <= widths[1], `the page is ${widths[0]}px wide in a ${widths[1]}px screen`);
      assert.equal(await text(page, 'step'), '60');
      // What a student on a phone trained, they can keep.
      await page.tap('[data-testid="export-weights"]');
      await page.waitForSelector('[data-testid="download-weights"]');
      assert.match(await text(page, 'student-summary'), /step 60, \d+\.\d% test accuracy/);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });
}
