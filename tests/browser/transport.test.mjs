// The transport buttons drive the engine as they say.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, text, waitForStatus, sharedBrowsers } from './harness.mjs';

const shared = sharedBrowsers();

test('pause, step and reset do what they say', async () => {
  const browser = await shared.browser('cpu');
  const { page, problems } = await open(browser, `${shared.server.url}?teacher_steps=10&max_steps=100000`);
  await waitForStatus(page, 'idle', 60_000);
  await page.locator('[data-testid="step-once"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="teacher-step"]')?.textContent === '1');
  assert.equal(await text(page, 'status'), 'paused');
  await page.locator('[data-testid="play"]').click();
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="step"]')?.textContent) > 50);
  await page.locator('[data-testid="pause"]').click();
  await waitForStatus(page, 'paused');
  const paused = Number(await text(page, 'step'));
  // The engine handles commands in order: had training gone on after the pause, the step
  // that follows it would land beyond paused + 1.
  await page.locator('[data-testid="step-once"]').click();
  await page.waitForFunction((was) => Number(document.querySelector('[data-testid="step"]')?.textContent) > was, paused);
  assert.equal(Number(await text(page, 'step')), paused + 1, 'training went on while paused');
  assert.equal(await text(page, 'status'), 'paused');
  await page.locator('[data-testid="reset"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="teacher-step"]')?.textContent === '0');
  assert.equal(await text(page, 'step'), '0');
  assert.equal(await text(page, 'status'), 'idle');
  assert.deepEqual(problems, []);
});

/** Holds every message of the page's engines until `window.__engineMessages` releases it: a test
 *  then sees each state the page passes through, however quickly the engine speaks. */
function holdEngineMessages() {
  const native = Object.getOwnPropertyDescriptor(Worker.prototype, 'onmessage');
  const handlers = new WeakMap();
  const held = [];
  let holding = true;
  Object.defineProperty(Worker.prototype, 'onmessage', {
    configurable: true,
    get() {
      return handlers.get(this) ?? null;
    },
    set(handler) {
      handlers.set(this, handler);
      const worker = this;
      native.set.call(this, handler && ((event) => (holding ? held.push([worker, event]) : handlers.get(worker)?.(event))));
    },
  });
  window.__engineMessages = {
    /** Hands the oldest held message to its worker's handler of now; false when none waits. */
    release() {
      const next = held.shift();
      if (next) handlers.get(next[0])?.call(next[0], next[1]);
      return Boolean(next);
    },
    passThrough() {
      holding = false;
      while (this.release());
    },
  };
}

test('a Play pressed while an autoplay link starts training never pauses it', async () => {
  const browser = await shared.browser('cpu');
  const url = `${shared.server.url}?autoplay=1&teacher_steps=50&max_steps=150`;
  const { page, problems } = await open(browser, url, (page) => page.addInitScript(holdEngineMessages));
  // The engine's messages arrive one per poll, so the press lands every time where a quick
  // visitor's does: the button reads Play, and autoplay's training has not yet been heard.
  await page.waitForFunction(() => {
    const status = document.querySelector('[data-testid="status"]')?.textContent.trim();
    const play = document.querySelector('[data-testid="play"]:not([disabled])');
    if (status === 'idle' && play) {
      play.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
      window.__pressedButton = play;
      return true;
    }
    window.__engineMessages.release();
    return false;
  }, null, { polling: 50 });
  // Let go once training has begun: the press straddles the switch.
  await page.evaluate(() => window.__engineMessages.passThrough());
  await waitForStatus(page, 'training');
  await page.evaluate(() => window.__pressedButton.click());
  await page.waitForFunction(() => ['done', 'paused'].includes(document.querySelector('[data-testid="status"]')?.textContent.trim()));
  assert.equal(await text(page, 'status'), 'done', 'the press paused the run');
  assert.equal(await text(page, 'step'), '150');
  assert.deepEqual(problems, []);
});
