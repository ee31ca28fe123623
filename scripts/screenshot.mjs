// The README's screenshots: the built page at a link (by default the page's default link; the
// second argument is a query such as `scenario=text`), trained to done, as a visitor on a laptop
// sees its first screen (1400×900). Run by scripts/screenshot.sh, which builds the page first.
import { launch, open, serve, waitForStatus } from '../tests/browser/harness.mjs';

const out = process.argv[2] ?? 'docs/screenshot.png';
const query = process.argv[3] ? `?${process.argv[3]}` : '';
const server = await serve();
const browser = await launch('cpu');
try {
  const { page, problems } = await open(browser, `${server.url}${query}`, async () => {}, { viewport: { width: 1400, height: 900 } });
  await waitForStatus(page, 'idle');
  // A first visit opens the tour under the picture; the screenshot shows the lab itself.
  if (await page.locator('[data-testid="tour-skip"]').count()) await page.click('[data-testid="tour-skip"]');
  await page.click('[data-testid="play"]');
  await waitForStatus(page, 'done', 600_000);
  if (problems.length) throw new Error(`the page reported problems: ${problems.join('; ')}`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await server.close();
}
