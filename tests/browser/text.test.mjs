// The text lab: its files load only when it opens, the students train to done while the three
// panels write, a typed prompt (an emoji, 5,000 characters, nothing) is continued with notices, the
// link reproduces the panels, the tour tells the story with the live numbers,
// the next character's bars are distributions, the card agrees with the figures, a missing file is
// a message, and with backend=webgpu the students train on WebGPU.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedBrowsers, open, text, waitForStatus, number } from './harness.mjs';

const shared = sharedBrowsers();
const TEXT = '**/data/shakespeare.txt.gz';
const TEACHER = '**/models/text-teacher.bpk';
// A short run: 4 purchases of answers, then the students train on.
const SHORT = 'scenario=text&api_chars=4096&max_steps=200';

/** The continuation shown in a panel (untrimmed), once the panels have been written. */
async function written(page, panel) {
  await page.waitForFunction((id) => (document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '…') !== '…', panel);
  return page.locator(`[data-testid="${panel}"]`).textContent();
}

/** Waits until the panels are written at a later student step than `step`; returns the new step. */
async function writtenAfter(page, step) {
  await page.waitForFunction((after) => Number(document.querySelector('[data-testid="text-student"]')?.dataset.step ?? -1) > after, step);
  return Number(await page.locator('[data-testid="text-student"]').getAttribute('data-step'));
}

test('text: the lab trains to done, its panels change as the students learn, and its card matches its figures', async () => {
  const browser = await shared.browser();
  const { page, problems } = await open(browser, `${shared.server.url}?${SHORT}&autoplay=1`);
  await page.waitForFunction(() => document.querySelector('[data-testid="text-student"]')?.dataset.step !== undefined);
  const early = await written(page, 'text-student');
  const earlyStep = Number(await page.locator('[data-testid="text-student"]').getAttribute('data-step'));
  await waitForStatus(page, 'done');
  assert.equal(await text(page, 'step'), '200');
  assert.equal(number(await text(page, 'api-chars')), 4096, 'the budget is bought, and no more');
  if (earlyStep < 200) await writtenAfter(page, earlyStep);
  const late = await written(page, 'text-student');
  assert.notEqual(late, early, 'the distilled student writes differently once it has learned');
  for (const panel of ['text-teacher', 'text-student', 'text-baseline']) {
    assert.equal([...(await written(page, panel))].length, 160, `${panel} writes 160 characters`);
  }
  const [teacher, student, baseline] = await Promise.all(['loss-teacher', 'loss-student', 'loss-baseline'].map(async (id) => number(await text(page, id))));
  assert.ok(Math.abs(teacher - 1.875) < 0.02, `the teacher's held-out loss is its load check's: ${teacher}`);
  assert.ok(student < 3.5 && baseline < 3.5 && student > teacher, `students learned: ${student}, ${baseline}`);

  // The card's words and numbers are the figures'.
  const [, studentParams, teacherParams] = /\(([\d,]+) against the teacher's ([\d,]+)\)/.exec(await text(page, 'res-params-ratio')).map(number);
  const ratio = Number(await page.locator('[data-testid="res-params-ratio"]').getAttribute('data-value'));
  assert.ok(Math.abs(ratio - teacherParams / studentParams) < 1e-9 && ratio >= 8, `ratio ${ratio}`);
  const share = Number(await page.locator('[data-testid="res-improvement"]').getAttribute('data-value'));
  assert.ok(Math.abs(share - (baseline - student) / (baseline - teacher)) < 0.01, `share ${share} against the losses shown`);
  assert.match(await text(page, 'res-improvement'), new RegExp(`^${Math.round(100 * share)}% of the teacher's improvement`));
  assert.equal(Number(await page.locator('[data-testid="res-answers"]').getAttribute('data-value')), 4096);
  assert.equal(Number(await page.locator('[data-testid="res-numbers"]').getAttribute('data-value')), 5 * 4096, 'top 5 with each character');
  for (const model of ['teacher', 'student']) {
    const ms = Number(await page.locator(`[data-testid="res-latency-${model}"]`).getAttribute('data-value'));
    assert.ok(ms > 0 && Number.isFinite(ms), `${model}: ${ms} ms per character`);
  }

  // The next character: three distributions over the vocabulary, the symbols beside them.
  const bars = page.locator('[data-testid="next-char"]');
  const symbols = await bars.getAttribute('data-symbols');
  assert.equal([...symbols].length, 97, 'newline, 95 printable characters and the unknown symbol');
  for (const role of ['teacher', 'student', 'baseline']) {
    const probabilities = (await bars.getAttribute(`data-${role}`)).split(',').map(Number);
    assert.equal(probabilities.length, 97);
    const sum = probabilities.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 0.01, `${role}'s probabilities sum to ${sum}`);
  }
  assert.equal(await page.locator('[data-testid="next-char"] .bar-row.revealed').count(), 5, 'the top 5 a `top` API reveals');

  // The metrics download: one row per report, the last one the figures shown.
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-csv"]')]);
  const rows = (await streamText(await file.createReadStream())).trim().split('\n');
  assert.equal(rows[0], 'step,api_chars,numbers_received,held_out_step,loss_teacher,loss_distilled,loss_baseline,soft_term');
  assert.match(await text(page, 'export-csv'), new RegExp(`\\(${rows.length - 1} rows\\)`));
  const last = rows.at(-1).split(',').map(Number);
  assert.deepEqual([last[0], last[1]], [200, 4096]);
  assert.equal(last[5].toFixed(3), student.toFixed(3));
  assert.deepEqual(problems, []);
});

async function streamText(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

test('text: a typed prompt is continued by all three, with a notice for each thing changed', async () => {
  const browser = await shared.browser();
  const { page, problems } = await open(browser, `${shared.server.url}?${SHORT}`);
  await written(page, 'text-teacher');
  const prompt = page.locator('[data-testid="prompt"]');
  await prompt.fill(`${'Thou art a villain. '.repeat(250)}Now, 😀 good King`);
  const notices = page.locator('[data-testid="prompt-notices"]');
  await page.waitForFunction(() => (document.querySelector('[data-testid="prompt-notices"]')?.textContent ?? '').includes('😀'));
  assert.match(await notices.textContent(), /1 character of the prompt \(😀\) is not in the models' vocabulary/);
  assert.match(await notices.textContent(), /The prompt has 5016 characters; the teacher reads its last 48, the students their last 16/);
  // The panels show each continuation after the prompt it continued: the new one, as read.
  await page.waitForFunction(() => [...document.querySelectorAll('.prompt-echo')].every((echo) => echo.textContent.endsWith('Now, ▯ good King')));
  assert.equal([...(await page.locator('.prompt-echo').first().textContent())].length, 48);
  for (const panel of ['text-teacher', 'text-student', 'text-baseline']) {
    assert.equal([...(await written(page, panel))].length, 160, panel);
  }
  // Sample again: new samples of the same prompt.
  const first = await written(page, 'text-teacher');
  await page.click('[data-testid="sample-again"]');
  await page.waitForFunction((old) => document.querySelector('[data-testid="text-teacher"]').textContent !== old, first);
  // A changed setting is a fresh run, which writes the panels again (idle, with the same view).
  const run = Number(await page.locator('[data-testid="text-teacher"]').getAttribute('data-run'));
  await page.fill('#setting-lr', '0.002');
  await page.locator('#setting-lr').dispatchEvent('change');
  await page.waitForFunction((old) => Number(document.querySelector('[data-testid="text-teacher"]').dataset.run) > old
    && document.querySelector('[data-testid="text-teacher"]').textContent !== '…', run);
  // An empty prompt continues the default one, and says so.
  await prompt.fill('');
  await page.waitForFunction(() => (document.querySelector('[data-testid="prompt-notices"]')?.textContent ?? '').includes('empty'));
  await page.waitForFunction(() => [...document.querySelectorAll('.prompt-echo')].every((echo) => echo.textContent.includes('King.')));
  assert.deepEqual(problems, []);
});

test('text: the link holds the prompt and the sampling temperature, and writes the same panels again', async () => {
  const browser = await shared.browser();
  const { page, problems } = await open(browser, `${shared.server.url}?${SHORT}`);
  await written(page, 'text-teacher');
  await page.locator('[data-testid="prompt"]').fill('Romeo.\nWhat say you & yours? 😀 ');
  await page.locator('[data-testid="sample-temperature"]').evaluate((input) => {
    input.value = '1.3';
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  // Written for this prompt and at this temperature (an answer to the prompt alone may come first).
  const echoed = () => [...document.querySelectorAll('.prompt-echo')].every((echo) => echo.textContent.endsWith('yours? ▯ '))
    && document.querySelector('[data-testid="text-teacher"]')?.dataset.temperature === '1.3';
  await page.waitForFunction(echoed);
  await page.waitForFunction(() => /sample_t=1\.3/.test(location.search));
  const panels = async (p) => Promise.all(['text-teacher', 'text-student', 'text-baseline'].map((id) => written(p, id)));
  const before = await panels(page);
  const linked = await open(browser, page.url());
  assert.equal(await linked.page.locator('[data-testid="prompt"]').inputValue(), 'Romeo.\nWhat say you & yours? 😀 ');
  assert.equal(await linked.page.locator('[data-testid="sample-temperature"]').inputValue(), '1.3');
  await linked.page.waitForFunction(echoed);
  assert.deepEqual(await panels(linked.page), before, 'the same link, the same seed: the same three continuations');
  assert.deepEqual([...problems, ...linked.problems], []);
});

test('text: the tour tells the news story with the lab’s own panels and live numbers', async () => {
  const browser = await shared.browser();
  const { page, problems } = await open(browser, `${shared.server.url}?${SHORT}&tour=1&autoplay=1`);
  await waitForStatus(page, 'done');
  // The run ended while the tour was open: it stepped on to its end, which says what to try next.
  await page.waitForFunction(() => /step 6 of 6/.test(document.querySelector('[data-testid="tour"]')?.textContent ?? ''));
  assert.match(await text(page, 'tour'), /The run is done\. Type a prompt/);
  await page.click('[data-testid="tour-next"]');
  await page.click('[data-testid="tour-open"]');
  await page.waitForSelector('[data-testid="tour"]');
  const titles = [];
  for (let step = 0; step < 6; step++) {
    titles.push(await text(page, 'tour-title'));
    if (step === 3) {
      const [student, baseline, teacher] = await Promise.all(['loss-student', 'loss-baseline', 'loss-teacher'].map((id) => text(page, id)));
      const live = await text(page, 'tour-live');
      assert.ok([student, baseline, teacher].every((loss) => live.includes(loss)), `${live} names the losses shown`);
      assert.match(live, /from 4,096 characters bought/);
    }
    if (step < 5) await page.click('[data-testid="tour-next"]');
  }
  assert.deepEqual(titles, ['A language model behind an API', 'What the API sends back', 'Two identical students',
    'What the answers were worth', 'Text alone, or numbers too', 'Your turn']);
  await page.click('[data-testid="tour-next"]');
  await page.waitForSelector('[data-testid="tour-open"]');
  assert.deepEqual(problems, []);
});

test('text: its files (at most 3 MB) load only when the lab opens', async () => {
  const browser = await shared.browser();
  const requested = [];
  const { page } = await open(browser, `${shared.server.url}?max_steps=20&autoplay=1`, async (p) => {
    p.on('response', async (response) => {
      if (/shakespeare|text-teacher/.test(response.url())) requested.push((await response.body()).length);
    });
  });
  await waitForStatus(page, 'done');
  assert.deepEqual(requested, [], 'the 2-D lab fetches nothing of the text lab');
  await page.selectOption('#setting-scenario', 'text');
  await written(page, 'text-teacher');
  assert.equal(requested.length, 2);
  const bytes = requested.reduce((a, b) => a + b, 0);
  assert.ok(bytes <= 3_000_000, `the text lab's files are ${bytes} bytes`);
});

test('text: a missing or damaged file is a message in the page, and the other labs still work', async () => {
  const browser = await shared.browser();
  const { page } = await open(browser, `${shared.server.url}?${SHORT}&autoplay=1`, async (p) => {
    await p.route(TEACHER, (route) => route.fulfill({ status: 200, body: Buffer.from('not a teacher') }));
  });
  await waitForStatus(page, 'error');
  assert.match(await text(page, 'error'), /text teacher could not be used/);
  assert.equal(await page.locator('section.error').getAttribute('data-kind'), 'assets');
  await page.selectOption('#setting-scenario', 'shapes');
  await page.click('[data-testid="play"]');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="step"]')?.textContent) > 0);

  const missing = await open(browser, `${shared.server.url}?${SHORT}`, async (p) => {
    await p.route(TEXT, (route) => route.fulfill({ status: 404, body: '' }));
  });
  await waitForStatus(missing.page, 'error');
  assert.match(await text(missing.page, 'error'), /corpus could not be loaded: .*missing on the server \(HTTP 404\)/);
});

test('text: with backend=webgpu the students train on WebGPU and learn as they do on the CPU', async () => {
  // One step: on the software adapter the first step is slow, as it compiles the kernels.
  const url = (backend) => `${shared.server.url}?scenario=text&backend=${backend}&api_chars=256&max_steps=1&autoplay=1`;
  const gpu = await open(await shared.browser('webgpu'), url('webgpu'));
  const cpu = await open(await shared.browser(), url('cpu'));
  await Promise.all([waitForStatus(gpu.page, 'done', 600_000), waitForStatus(cpu.page, 'done')]);
  assert.match(await text(gpu.page, 'backend'), /^WebGPU/);
  assert.equal(await text(cpu.page, 'backend'), 'CPU');
  assert.equal(number(await text(gpu.page, 'api-chars')), 256, 'the first purchase: 4 prompts × 64 characters');
  // The same seed buys the same answers (the teacher writes on the CPU in both): the students'
  // losses differ by the engines' rounding alone.
  for (const id of ['loss-student', 'loss-baseline']) {
    const [onGpu, onCpu] = await Promise.all([gpu.page, cpu.page].map(async (page) => number(await text(page, id))));
    assert.ok(Math.abs(onGpu - onCpu) < 0.02, `${id}: ${onGpu} on WebGPU, ${onCpu} on the CPU`);
  }
  // It writes from a copy of its weights on the CPU, and the card says so.
  assert.equal([...(await written(gpu.page, 'text-student'))].length, 160, 'the student trained on WebGPU writes');
  await gpu.page.waitForFunction(() => Number(document.querySelector('[data-testid="res-latency-student"]')?.dataset.value) > 0);
  assert.match(await gpu.page.locator('tr:has([data-testid="res-latency-student"]) th').textContent(), /student, on the CPU; it trains on WebGPU/);
  assert.deepEqual(gpu.problems, []);
});
