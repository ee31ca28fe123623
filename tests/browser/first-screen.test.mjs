// The first screen tells the story without scrolling: on a laptop (1400×900, with the tour a first
// visit opens), on a projector (1280×720, present=1) and on a phone (360×740), the title, Play,
// the claim's headline (the text lab: its losses) and the lab's main picture all sit inside the
// first viewport, and nothing
// scrolls sideways. Screenshots of each go to the artifacts folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, waitForStatus, sharedBrowsers } from './harness.mjs';

const shared = sharedBrowsers();

const VIEWPORTS = [
  { name: 'laptop', viewport: { width: 1400, height: 900 }, link: '' },
  { name: 'projector', viewport: { width: 1280, height: 720 }, link: '&present=1' },
  { name: 'phone', viewport: { width: 360, height: 740 }, link: '', phone: true },
];

const LABS = [
  { lab: 'shapes', link: '?max_steps=200', picture: ['res-headline', 'map-teacher', 'map-student', 'map-baseline'] },
  { lab: 'digits', link: '?scenario=digits&max_steps=40', picture: ['res-headline', 'digit-card'] },
  // The text lab's story is its losses and the three models writing: their first lines at least.
  { lab: 'text', link: '?scenario=text&api_chars=1024&max_steps=20', picture: ['loss-student', 'loss-baseline'], opening: ['text-teacher', 'text-student', 'text-baseline'] },
];

/** The box of the first element with `testId`, or of `selector`, in CSS pixels of the viewport. */
async function box(page, what) {
  const selector = what.startsWith('h1') || what.startsWith('.') ? what : `[data-testid="${what}"]`;
  return page.locator(selector).first().boundingBox();
}

for (const { name, viewport, link: viewLink, phone } of VIEWPORTS) {
  for (const { lab, link, picture, opening = [] } of LABS) {
    test(`cpu: ${name} ${viewport.width}×${viewport.height}, ${lab} lab: the story fits the first screen`, async () => {
      const options = { viewport, ...(phone ? { hasTouch: true, isMobile: true } : {}) };
      const { page, problems } = await open(await shared.browser('cpu'), `${shared.server.url}${link}${viewLink}&autoplay=1`, async () => {}, options);
      try {
        await waitForStatus(page, 'done');
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: `tests/browser/artifacts/first-screen-${lab}-${name}.png` }).catch(() => {});
        const inside = ['h1', 'play', ...picture];
        for (const what of inside) {
          const b = await box(page, what);
          assert.ok(b, `${what} is on the page`);
          assert.ok(b.y >= 0 && b.y + b.height <= viewport.height + 0.5, `${what} spans y ${b.y}–${b.y + b.height} in a ${viewport.height}px screen`);
          assert.ok(b.x >= 0 && b.x + b.width <= viewport.width + 0.5, `${what} spans x ${b.x}–${b.x + b.width} in a ${viewport.width}px screen`);
        }
        // A long text need not fit whole: its first three lines do.
        for (const what of opening) {
          const b = await box(page, what);
          assert.ok(b && b.y >= 0 && b.y + 3 * 16 <= viewport.height, `${what} starts at y ${b?.y} in a ${viewport.height}px screen`);
        }
        const widths = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
        assert.ok(widths[0] <= widths[1], `the page is ${widths[0]}px wide in a ${widths[1]}px screen`);
        assert.deepEqual(problems, []);
      } finally {
        await page.close();
      }
    });
  }
}
