// The transport buttons drive the engine as they say.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, open, text, waitForStatus } from './harness.mjs';

let server;
before(async () => { server = await serve(); });
after(async () => { await server?.close(); });

test('pause, step and reset do what they say', async () => {
  const browser = await launch('cpu');
  try {
    const { page, problems } = await open(browser, `${server.url}?teacher_steps=10&max_steps=100000`);
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
  } finally {
    await browser.close();
  }
});
