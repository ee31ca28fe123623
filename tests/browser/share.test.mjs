// Sharing and presenting: the link from the first paint, copying it and an embed snippet,
// the compact embed, `hide=`, an iframe that trains, and every keyboard shortcut.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowser, open, text, waitForStatus, patientWaits } from './harness.mjs';

const shared = sharedBrowser('cpu');

/** The figures a finished run shows: equal runs show equal figures. */
async function figures(page) {
  const ids = ['step', 'loss-total', 'loss-soft', 'acc-teacher', 'acc-student', 'acc-baseline', 'agreement'];
  const values = {};
  for (const id of ids) values[id] = await text(page, id);
  return values;
}

test('the first paint holds the link, no history is added, and the link reproduces the run', async () => {
  const { page, problems } = await open(shared.browser, `${shared.server.url}?dataset=moons&max_steps=150&autoplay=1`);
  try {
    // Before any change the address already names the run, seed included.
    await page.waitForFunction(() => location.search.includes('dataset=moons') && location.search.includes('seed=1'));
    await waitForStatus(page, 'done');
    const first = await figures(page);
    const link = page.url();
    assert.match(link, /autoplay=1/);
    const entries = await page.evaluate(() => history.length);
    await page.fill('[data-testid="exact-temperature"]', '3');
    await page.locator('[data-testid="exact-temperature"]').dispatchEvent('change');
    await page.waitForFunction(() => location.search.includes('temperature=3'));
    assert.equal(await page.evaluate(() => history.length), entries, 'settings replace the address, never push it');
    assert.deepEqual(problems, []);

    const again = await open(shared.browser, link);
    try {
      await waitForStatus(again.page, 'done');
      assert.deepEqual(await figures(again.page), first, 'the same link, the same curves');
      assert.deepEqual(again.problems, []);
    } finally {
      await again.page.close();
    }
  } finally {
    await page.close();
  }
});

test('Copy link and Copy embed code put the link and an iframe of it on the clipboard', async () => {
  const context = await shared.browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = patientWaits(await context.newPage());
  try {
    await page.goto(`${shared.server.url}?dataset=circles&temperature=8`);
    await page.waitForFunction(() => location.search.includes('seed=1'));
    await page.click('[data-testid="copy-link"]');
    await page.waitForSelector('[data-testid="copy-result"]');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), page.url());

    await page.click('[data-testid="copy-embed"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="copy-result"]')?.textContent.includes('Embed'));
    const snippet = await page.evaluate(() => navigator.clipboard.readText());
    const src = snippet.match(/<iframe src="([^"]+)"/)?.[1]?.replaceAll('&amp;', '&');
    assert.ok(src, `an iframe snippet: ${snippet}`);
    const url = new URL(src);
    assert.equal(url.origin + url.pathname, new URL(page.url()).origin + new URL(page.url()).pathname);
    for (const [key, value] of [['dataset', 'circles'], ['temperature', '8'], ['seed', '1'], ['embed', '1']]) {
      assert.equal(url.searchParams.get(key), value, `${key} in ${src}`);
    }
    assert.match(snippet, /height="\d+"/);
    assert.match(snippet, /title="[^"]+"/);
  } finally {
    await context.close();
  }
});

test('embed=1 is compact and links back to the full lab; hide= removes exactly what it names', async () => {
  const embedded = await open(shared.browser, `${shared.server.url}?embed=1&dataset=xor`);
  try {
    const page = embedded.page;
    await page.waitForSelector('[data-testid="full-lab-link"]');
    assert.equal(await page.locator('header').count(), 0, 'no header');
    assert.equal(await page.locator('.explainer').count(), 0, 'no explainer');
    assert.equal(await page.locator('[data-testid="tour"]').count(), 0, 'no tour');
    assert.equal(await page.locator('details.settings-panel').getAttribute('open'), null, 'settings closed');
    const full = new URL(await page.getAttribute('[data-testid="full-lab-link"]', 'href'));
    assert.equal(full.searchParams.get('embed'), null);
    assert.equal(full.searchParams.get('dataset'), 'xor');
    assert.equal(await page.getAttribute('[data-testid="full-lab-link"]', 'target'), '_blank');
    assert.deepEqual(embedded.problems, []);
  } finally {
    await embedded.page.close();
  }

  const hidden = await open(shared.browser, `${shared.server.url}?hide=resources,charts,temperature,alpha,bogus`);
  try {
    const page = hidden.page;
    await page.waitForSelector('#setting-lr', { state: 'attached' });
    assert.equal(await page.locator('[data-testid="resources"]').count(), 0, 'resources hidden');
    assert.equal(await page.locator('.charts').count(), 0, 'charts hidden');
    assert.equal(await page.locator('#setting-temperature').count(), 0, 'temperature hidden');
    assert.equal(await page.locator('#setting-alpha').count(), 0, 'alpha hidden');
    assert.equal(await page.locator('.maps').count(), 1, 'the maps stay');
    assert.equal(await page.locator('[data-testid="figures"], .figures').count(), 1, 'the figures stay');
    assert.equal(await page.locator('.explainer').count(), 1, 'the explainer stays');
    assert.match(await text(page, 'notices'), /bogus/);
    assert.deepEqual(hidden.problems, []);
  } finally {
    await hidden.page.close();
  }
});

test('an iframe embedding the lab trains', async () => {
  const page = patientWaits(await shared.browser.newPage());
  try {
    const src = `${shared.server.url}?embed=1&autoplay=1&max_steps=100&dataset=moons`;
    await page.setContent(`<h1>Course page</h1><iframe src="${src}" width="900" height="900" title="lab"></iframe>`);
    const frame = page.frameLocator('iframe');
    await frame.locator('[data-testid="status"]').filter({ hasText: 'done' }).waitFor({ timeout: 240_000 });
    assert.equal((await frame.locator('[data-testid="step"]').textContent()).trim(), '100');
  } finally {
    await page.close();
  }
});

test('every shortcut acts, ? lists them, and none acts while typing in a field', async () => {
  const { page, problems } = await open(shared.browser, `${shared.server.url}?max_steps=100000&teacher_steps=50`);
  const steps = async () => Number(await text(page, 'teacher-step')) + Number(await text(page, 'step'));
  try {
    await waitForStatus(page, 'idle');
    // The page shows `idle` from its first paint; once the engine has answered its first reset,
    // the page's effects (the key listener among them) have run. On a very busy machine a key
    // pressed before that was lost.
    await page.waitForFunction(() => !/starting/.test(document.querySelector('[data-testid="backend"]')?.textContent ?? 'starting'));
    await page.keyboard.press('Space');
    await waitForStatus(page, 'training');
    await page.keyboard.press('Space');
    await waitForStatus(page, 'paused');
    const before = await steps();
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((n) => {
      const read = (id) => Number(document.querySelector(`[data-testid="${id}"]`).textContent);
      return read('teacher-step') + read('step') === n + 1;
    }, before);

    await page.keyboard.press('r');
    await page.waitForFunction(() => document.querySelector('[data-testid="teacher-step"]').textContent.trim() === '0');
    await waitForStatus(page, 'idle');

    await page.keyboard.press('t');
    await page.waitForFunction(() => location.search.includes('temperature=3&') || location.search.endsWith('temperature=3'));
    await page.keyboard.press('Shift+T');
    await page.keyboard.press('Shift+T');
    await page.waitForFunction(() => location.search.includes('temperature=6'));

    await page.keyboard.press('?');
    await page.waitForSelector('[data-testid="shortcuts"]');
    assert.match(await text(page, 'shortcuts'), /Space.*play or pause/s);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="shortcuts"]', { state: 'detached' });

    // While a field has focus, the keys are the field's.
    const address = page.url();
    await page.focus('#setting-seed');
    for (const key of ['r', 't', 'd', '?', 'Space', 'Shift+T']) await page.keyboard.press(key);
    assert.equal(await page.locator('[data-testid="shortcuts"]').count(), 0);
    // The page handles keys in order: once a ? from outside the field has opened the list, the
    // keys typed in the field before it have had their chance to act.
    await page.click('h1');
    await page.keyboard.press('?');
    await page.waitForSelector('[data-testid="shortcuts"]');
    assert.equal(page.url(), address, 'no setting changed');
    assert.equal(await text(page, 'status'), 'idle');
    assert.equal(await text(page, 'teacher-step'), '0');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="shortcuts"]', { state: 'detached' });

    await page.keyboard.press('d');
    await page.waitForFunction(() => location.search.includes('scenario=digits'));
    await page.waitForSelector('[data-testid="digit-gallery"]');
    await page.keyboard.press('d');
    await page.waitForFunction(() => !location.search.includes('scenario=digits'));
    await page.waitForSelector('[data-testid="map-teacher"]');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});
