// The page tells its own story: on each lab's default link the distilled student, which learns
// from the teacher's answers alone, ends ahead of the baseline with its few labels; the resources
// card states the claim as live numbers; the accuracy chart holds all three models; and in API
// mode queries like the data teach more than uniform ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, serve, text, waitForStatus } from './harness.mjs';
import { before, after } from 'node:test';

let server;
before(async () => { server = await serve(); });
after(async () => { await server?.close(); });

const number = (s) => parseFloat(String(s).replace(/,/g, ''));

/** Points of each line of a chart, by its series class. */
async function chartPoints(page, testId) {
  return page.locator(`[data-testid="${testId}"] polyline`).evaluateAll((lines) =>
    Object.fromEntries(lines.map((l) => [l.getAttribute('class').replace('series ', ''), l.getAttribute('points').trim().split(/\s+/).filter(Boolean).length])));
}

/** The resources card agrees with the figures beside it; returns the figures it read. */
async function checkResources(page, { answers, labels }) {
  const teacherParams = number((await text(page, 'params-teacher')).split(' ')[0]);
  const studentParams = number((await text(page, 'params-student')).split(' ')[0]);
  const ratio = Number(await page.locator('[data-testid="res-params-ratio"]').getAttribute('data-value'));
  assert.ok(Math.abs(ratio - teacherParams / studentParams) < 1e-9, `ratio ${ratio} against ${teacherParams}/${studentParams}`);
  assert.match(await text(page, 'res-params-ratio'), /^\d+(\.\d)?× fewer$/);

  await page.waitForFunction(() => document.querySelector('[data-testid="res-latency-student"]')?.dataset.ms);
  for (const model of ['teacher', 'student']) {
    const ms = Number(await page.locator(`[data-testid="res-latency-${model}"]`).getAttribute('data-ms'));
    assert.ok(ms > 0 && Number.isFinite(ms), `${model} inference time ${ms} ms`);
  }

  const accTeacher = number(await text(page, 'acc-teacher'));
  const accStudent = number(await text(page, 'acc-student'));
  const accRatio = Number(await page.locator('[data-testid="res-accuracy-ratio"]').getAttribute('data-value'));
  // The figures are rounded to 0.1 points; the card divides the unrounded ones.
  assert.ok(Math.abs(100 * accRatio - (100 * accStudent) / accTeacher) < 0.2, `${accRatio} against ${accStudent}/${accTeacher}`);
  assert.match(await text(page, 'res-accuracy-ratio'), /^\d+\.\d% of the teacher's$/);

  assert.equal(Number(await page.locator('[data-testid="res-answers"]').getAttribute('data-value')), answers);
  assert.match(await text(page, 'resources'), new RegExp(`against ${labels} labels of its own`));
  assert.match(await text(page, 'res-headline'), /^\d+(\.\d)?× fewer parameters, \d+\.\d% of the teacher's accuracy, [\d,]+ answers from the teacher$/);

  const points = await chartPoints(page, 'acc-chart');
  for (const line of ['teacher', 'total', 'baseline']) assert.ok(points[line] >= 2, `acc-chart ${line}: ${points[line]} points`);
  assert.equal(await text(page, 'loss-hard'), '—', 'the distilled student never reads a label');
  return { accTeacher, accStudent, accBaseline: number(await text(page, 'acc-baseline')) };
}

test('cpu: each lab\'s default link ends with the distilled student ahead, and the card says what it got', async () => {
  const browser = await launch('cpu');
  try {
    const labs = [
      { lab: '2-D', link: '?autoplay=1&max_steps=1000', answers: 1000, labels: 20, floor: 95 },
      { lab: 'digits', link: '?scenario=digits&autoplay=1&max_steps=300', answers: 2000, labels: 200, floor: 88 },
    ];
    for (const { lab, link, answers, labels, floor } of labs) {
      const { page, problems } = await open(browser, `${server.url}${link}`);
      try {
        await waitForStatus(page, 'done');
        const { accStudent, accBaseline } = await checkResources(page, { answers, labels });
        assert.ok(accStudent > floor, `${lab}: the distilled student reached only ${accStudent}%`);
        assert.ok(accStudent > accBaseline, `${lab}: distilled ${accStudent}% against baseline ${accBaseline}%`);
        assert.match(await text(page, 'resources'), /Labels alone come close/);
        assert.deepEqual(problems, []);
        await page.screenshot({ path: `tests/browser/artifacts/thesis-${lab}.png`, fullPage: true }).catch(() => {});
      } finally {
        await page.close();
      }
    }
  } finally {
    await browser.close();
  }
});

test('cpu: answers are counted up to the budget, and queries like the data beat uniform ones', async () => {
  const browser = await launch('cpu');
  try {
    // Three steps of 32: 96 answers so far, of a budget of 1,000.
    const { page, problems } = await open(browser, `${server.url}?teacher_steps=20&max_steps=3&autoplay=1`);
    try {
      await waitForStatus(page, 'done');
      assert.equal(Number(await page.locator('[data-testid="res-answers"]').getAttribute('data-value')), 96);
      assert.equal(await text(page, 'queries-answered'), 'the teacher has answered 1000 queries');
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
    const labs = [
      { lab: '2-D', link: '?autoplay=1&max_steps=1000', floor: 95 },
      { lab: 'digits', link: '?scenario=digits&autoplay=1&max_steps=300', floor: 88 },
    ];
    for (const { lab, link, floor } of labs) {
      const accuracy = {};
      for (const from of ['data', 'uniform']) {
        const { page, problems } = await open(browser, `${server.url}${link}&queries_from=${from}`);
        try {
          await waitForStatus(page, 'done');
          accuracy[from] = number(await text(page, 'acc-student'));
          assert.deepEqual(problems, []);
          if (from === 'uniform') assert.match(await text(page, 'resources'), /Uniform queries teach (little|less)/);
        } finally {
          await page.close();
        }
      }
      assert.ok(accuracy.data > floor, `${lab}: queries like the data reached only ${accuracy.data}%`);
      assert.ok(accuracy.data > accuracy.uniform, `${lab}: data ${accuracy.data}% against uniform ${accuracy.uniform}%`);
    }
  } finally {
    await browser.close();
  }
});

test('webgpu: the resources card and the accuracy chart on the software adapter', async () => {
  const browser = await launch('webgpu');
  try {
    // The software adapter dispatches slowly: a short run with full batches.
    const { page, problems } = await open(browser, `${server.url}?backend=webgpu&autoplay=1&teacher_steps=40&max_steps=30&batch=200`);
    try {
      await waitForStatus(page, 'done', 400_000);
      assert.match(await text(page, 'backend'), /^WebGPU/);
      await checkResources(page, { answers: 1000, labels: 20 });
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  } finally {
    await browser.close();
  }
});
