// The moment a page of the lab first shows a training step (a step count of 1 or more), as the
// bench and the startup trace read it: recorded in the page by a MutationObserver, which logs it,
// so that nothing polls the page. Playwright's polling runs its own script in the page, about
// 20 ms of the page's main thread during start-up (one build, in turns against this wait:
// medians of the first step 16–55 ms later), which no visitor pays.

/** What the page logs once its first training step shows. */
const FIRST_STEP_SHOWN = 'distill: first step shown';

/** Installs the watch in `page` before it loads; returns `shown`, a promise of the page's log
 *  line (in an object: awaiting this function must not wait for it). The moment itself is
 *  `window.__firstStep` (the page's `performance.now()`). */
export async function watchFirstStep(page, timeout) {
  const shown = page.waitForEvent('console', { predicate: (m) => m.text() === FIRST_STEP_SHOWN, timeout });
  await page.addInitScript((signal) => {
    window.__firstStep = null;
    new MutationObserver(() => {
      if (window.__firstStep !== null) return;
      const steps = ['teacher-step', 'step'].map((id) => Number(document.querySelector(`[data-testid="${id}"]`)?.textContent));
      if (steps.some((n) => n >= 1)) {
        window.__firstStep = performance.now();
        console.log(signal);
      }
    }).observe(document, { subtree: true, childList: true, characterData: true });
  }, FIRST_STEP_SHOWN);
  return { shown };
}
