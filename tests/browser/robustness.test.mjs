// Faults a visitor can meet: hostile links, a panic, a cut network. Each leaves a working page
// with a message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowser, open, text, waitForStatus, patientWaits } from './harness.mjs';

const shared = sharedBrowser('cpu');

const KEYS = [
  'scenario', 'dataset', 'classes', 'points', 'noise', 'train_ratio', 'seed', 'temperature', 'alpha', 'teacher_hidden',
  'hidden', 'lr', 'batch', 'optimizer', 'transfer', 'queries', 'transfer_size', 'omit', 'bias_shift', 'bias_auto',
  'backend', 'autoplay', 'teacher_steps', 'max_steps', 'embed', 'present', 'colour', '', '__proto__', 'constructor',
  'answers', 'top_k',
];
const VALUES = [
  '', '0', '-1', '-0', '1e400', '-1e400', '1e308', '9'.repeat(400), 'NaN', 'Infinity', '-Infinity', '0x1F', '1,2,3',
  '64,64,64,64', '0,0', ',', '3.5', '.5', '5.', '+7', '--1', 'true', 'null', 'undefined', 'spiral', 'digits', 'queries',
  'webgpu', 'cpu', '%ZZ', '%00', '%E2%80%AE', '😀', 'ñandú', '<script>alert(1)</script>', '"quoted"', "it's", ' 4 ',
  'a'.repeat(5000), '1;DROP TABLE', '\u202e1', '%F0%9F%92%A9', '1%26alpha%3D2', '64%2C32', 'top', 'label', 'full',
];

/** A seeded generator, so that a failure names a link that fails again. */
function generator(seed) {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
}

function hostileQueries(count) {
  const pick = generator(2025);
  const queries = [];
  for (let i = 0; i < count; i += 1) {
    const pairs = [];
    const n = 1 + pick(6);
    for (let j = 0; j < n; j += 1) {
      const key = KEYS[pick(KEYS.length)];
      const value = VALUES[pick(VALUES.length)];
      pairs.push(`${encodeURIComponent(key)}=${/%/.test(value) ? value : encodeURIComponent(value)}`);
      if (pick(5) === 0) pairs.push(pairs[pairs.length - 1]); // a repeated key
    }
    if (pick(10) === 0) pairs.push('&&=&=x&y');
    queries.push(pairs.join('&'));
  }
  return queries;
}

/** Links per tab: every load starts an engine, and a tab that has loaded a couple of hundred of
 *  them in a minute runs out of memory for another WebAssembly instance before the old ones are
 *  collected ("Cannot allocate Wasm memory for new instance"): a limit of the browser, not a fault
 *  of any link. */
const LINKS_PER_TAB = 40;

// The parameter table reads thousands of such links natively (crates/distill-core/tests/params.rs);
// here a few dozen go through the whole page and its engine.
test('40 random and hostile links: no panic, no dead page, no console error', async () => {
  const queries = hostileQueries(40);
  const problems = [];
  const newTab = async () => {
    const tab = patientWaits(await shared.browser.newPage());
    tab.on('console', (message) => {
      if (message.type() === 'error' || /panicked/i.test(message.text())) problems.push(message.text());
    });
    tab.on('pageerror', (error) => problems.push(error.message));
    return tab;
  };
  let page = await newTab();
  try {
    for (const [index, query] of queries.entries()) {
      if (index > 0 && index % LINKS_PER_TAB === 0) {
        await page.close();
        page = await newTab();
      }
      await page.goto(`${shared.server.url}?${query}`);
      // The engine has answered: the page is alive end to end.
      await page.waitForFunction(
        () => !['', 'starting…'].includes(document.querySelector('[data-testid="backend"]')?.textContent ?? ''),
        null,
        { timeout: 60_000 },
      );
      assert.equal(await page.locator('[data-testid="fatal-error"]').count(), 0, `link ${index} ?${query} panicked`);
      assert.deepEqual(problems, [], `link ${index} ?${query}`);
      // A clamped learning rate of 100 may make training diverge: that, and only that, is a
      // message rather than a fault.
      if ((await page.locator('[data-testid="error"]').count()) > 0) {
        assert.match(await text(page, 'error'), /diverged/, `link ${index} ?${query}`);
      } else {
        const status = await text(page, 'status');
        assert.ok(['loading', 'idle', 'training', 'done'].includes(status), `link ${index}: status ${status}`);
      }
    }
  } finally {
    await page.close();
  }
});

test('a panic shows the error panel with a reload button', async () => {
  const { page, problems } = await open(shared.browser, `${shared.server.url}?debug=panic`);
  try {
    const panel = page.locator('[data-testid="fatal-error"]');
    await panel.waitFor();
    assert.match(await panel.textContent(), /internal error/);
    assert.match(await panel.textContent(), /debug=panic/);
    assert.equal(await panel.locator('button', { hasText: 'Reload' }).count(), 1);
    // The panic is logged to the console on purpose; nothing else went wrong.
    assert.ok(problems.every((p) => /panicked|debug=panic|unreachable|RuntimeError/i.test(p)), problems.join('\n'));
  } finally {
    await page.close();
  }
});

for (const [file, pattern, reason] of [
  ['worker script', /engine-[0-9a-f]+_loader\.js$/, /files may be missing/],
  ['wasm module', /engine-[0-9a-f]+_bg\.wasm$/, /404/],
]) {
  test(`a CPU engine whose ${file} is missing: the page says so within seconds, and stays usable`, async () => {
    const missing = (page) => page.route(pattern, (route) => route.fulfill({ status: 404, body: 'gone' }));
    const { page } = await open(shared.browser, `${shared.server.url}?autoplay=1`, missing);
    try {
      const error = page.locator('[data-testid="error"]');
      await error.waitFor({ timeout: 5_000 });
      assert.match(await error.textContent(), /training engine failed to load/);
      assert.match(await error.textContent(), reason);
      assert.match(await error.textContent(), /Reload the page/);
      assert.equal(await page.locator('section.error').getAttribute('data-kind'), 'engine');
      // The rest of the page still answers: the settings change the link.
      await page.fill('[data-testid="exact-temperature"]', '3');
      await page.locator('[data-testid="exact-temperature"]').dispatchEvent('change');
      await page.waitForFunction(() => location.search.includes('temperature=3'));
    } finally {
      await page.close();
    }
  });
}

test('nothing leaves the page for another origin, and it trains with the network cut', async () => {
  const context = await shared.browser.newContext();
  const page = patientWaits(await context.newPage());
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  try {
    await page.goto(`${shared.server.url}?max_steps=100&teacher_steps=100`);
    await waitForStatus(page, 'idle', 60_000);
    await page.waitForFunction(() => document.querySelector('[data-testid="backend"]')?.textContent === 'CPU');
    const origin = new URL(shared.server.url).origin;
    const foreign = requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:'));
    assert.deepEqual(foreign, [], 'requests to other origins');
    const loaded = requests.length;
    await context.setOffline(true);
    await page.click('[data-testid="play"]');
    await waitForStatus(page, 'done');
    await page.click('[data-testid="regenerate"]');
    await page.click('[data-testid="play"]');
    await waitForStatus(page, 'done');
    assert.equal(requests.length, loaded, `requests after load: ${requests.slice(loaded).join(', ')}`);
    assert.equal(await page.locator('[data-testid="error"]').count(), 0);
  } finally {
    await context.close();
  }
});

test('a diverging run stops with a message naming the learning rate, and a saner one recovers', async () => {
  const link = 'lr=100&hidden=128,128,128&teacher_steps=100&max_steps=2000&autoplay=1';
  const { page, problems } = await open(shared.browser, `${shared.server.url}?${link}`);
  try {
    await waitForStatus(page, 'error');
    const message = await text(page, 'error');
    assert.match(message, /diverged/);
    assert.match(message, /lr = 100/);
    // The error's kind reaches the page, with a heading of its own.
    assert.equal(await page.locator('section.error').getAttribute('data-kind'), 'diverged');
    assert.match(await page.locator('section.error strong').textContent(), /training diverged/);
    const shown = await page.evaluate(() => document.querySelector('[data-testid="loss-total"]').textContent);
    assert.doesNotMatch(shown, /NaN|inf/i, 'a diverged loss reached the figures');
    assert.ok((await page.evaluate(() => window.__lossTotals)).every((v) => Math.abs(v) < 1e6));
    await page.fill('#setting-lr', '0.01');
    await page.locator('#setting-lr').dispatchEvent('change');
    await waitForStatus(page, 'idle');
    assert.equal(await page.locator('[data-testid="error"]').count(), 0, 'the message outlived the reset');
    await page.click('[data-testid="play"]');
    await waitForStatus(page, 'done');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test('a run that bounces far above a guess without blowing up stops too, naming the optimizer', async () => {
  // SGD at lr 100 on the spiral: losses stay around hundreds, never near 1e6.
  const { page, problems } = await open(shared.browser, `${shared.server.url}?lr=100&optimizer=sgd&autoplay=1`);
  try {
    await waitForStatus(page, 'error');
    const message = await text(page, 'error');
    assert.match(message, /diverged/);
    assert.match(message, /lr = 100/);
    assert.match(message, /SGD/);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test('backend=webgpu without WebGPU falls back to the CPU with a notice', async () => {
  const { page, problems } = await open(shared.browser, `${shared.server.url}?backend=webgpu`);
  try {
    await page.waitForFunction(() => document.querySelector('[data-testid="backend"]')?.textContent === 'CPU');
    assert.match(await text(page, 'notices'), /backend=webgpu cannot be honoured here/);
    assert.match(await text(page, 'backend-reason'), /WebGPU was requested/);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});
