// The settings rows mount a few at a time after the page opens (src/model/mounting.rs): a control
// that is already there when the rest arrive stays the same element, and keeps the focus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, sharedBrowsers } from './harness.mjs';

const shared = sharedBrowsers();

test('settings rows that mount later leave the rows already there, and their focus, alone', async () => {
  const browser = await shared.browser('cpu');
  // Records each control the moment it appears, and focuses the first, before a later row can come.
  const watch = (page) =>
    page.addInitScript(() => {
      window.__controls = new Map();
      new MutationObserver(() => {
        const controls = document.querySelectorAll('.settings [id^="setting-"]');
        for (const control of controls) {
          if (window.__controls.has(control.id)) continue;
          window.__controls.set(control.id, control);
          if (window.__controls.size === 1) {
            control.focus();
            window.__rowsWhenFocused = document.querySelectorAll('.settings .setting').length;
          }
        }
      }).observe(document, { subtree: true, childList: true });
    });
  const { page, problems } = await open(browser, `${shared.server.url}?max_steps=1000000`, watch);
  try {
    await page.waitForFunction(() => document.querySelector('.settings')?.getAttribute('aria-busy') === 'false');
    const seen = await page.evaluate(() => {
      const first = [...window.__controls.values()][0];
      return {
        rowsWhenFocused: window.__rowsWhenFocused,
        rows: document.querySelectorAll('.settings .setting').length,
        focused: document.activeElement === first ? first.id : `${document.activeElement?.id} (not ${first.id})`,
        replaced: [...window.__controls].filter(([id, control]) => document.getElementById(id) !== control).map(([id]) => id),
      };
    });
    assert.ok(seen.rowsWhenFocused < seen.rows, `the rows came at once (${seen.rows}): nothing to check`);
    assert.deepEqual(seen.replaced, [], 'controls replaced by later rows');
    assert.equal(seen.focused, 'setting-scenario');
    // The focused control still answers the keyboard.
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => location.search.includes('scenario=digits'));
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});
