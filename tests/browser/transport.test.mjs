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

test('a Play pressed while an autoplay link starts training never pauses it', async (t) => {
  const browser = await shared.browser('cpu');
  const { page, problems } = await open(browser, `${shared.server.url}?autoplay=1&teacher_steps=50&max_steps=150`);
  // Press the button while it reads Play (the engine not yet training), in one task so that it
  // cannot change in between, and let go once autoplay's training has begun: the press that
  // straddles the switch is the one a quick visitor makes.
  const pressed = await page.waitForFunction(() => {
    const status = document.querySelector('[data-testid="status"]')?.textContent.trim();
    const play = document.querySelector('[data-testid="play"]:not([disabled])');
    if (status !== 'idle' || !play) return status === 'training' || status === 'done' ? 'late' : false;
    play.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
    window.__pressedButton = play;
    return 'pressed';
  });
  if ((await pressed.jsonValue()) !== 'pressed') {
    t.skip('autoplay was training before Play could be pressed');
    return;
  }
  await waitForStatus(page, 'training');
  await page.evaluate(() => window.__pressedButton.click());
  await waitForStatus(page, 'done');
  assert.equal(await text(page, 'step'), '150');
  assert.deepEqual(problems, []);
});
