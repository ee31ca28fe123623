// The page tells its own story: on each lab's default link the distilled student, which learns
// from the teacher's answers alone, ends ahead of the baseline with its few labels; the resources
// card states the claim as live numbers; the accuracy chart holds all three models; and in API
// mode queries like the data teach more than uniform ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkResources, number, open, text, waitForStatus, sharedBrowsers } from './harness.mjs';

const shared = sharedBrowsers();

test('cpu: each lab\'s default link ends with the distilled student ahead, and the card says what it got', async () => {
  const browser = await shared.browser('cpu');
  const labs = [
    { lab: '2-D', link: '?autoplay=1&max_steps=1000', answers: 1000, labels: 20, floor: 95 },
    { lab: 'digits', link: '?scenario=digits&autoplay=1&max_steps=300', answers: 2000, labels: 200, floor: 88 },
  ];
  for (const { lab, link, answers, labels, floor } of labs) {
    const { page, problems } = await open(browser, `${shared.server.url}${link}`);
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
});

test('cpu: answers are counted up to the budget, and queries like the data beat uniform ones', async () => {
  const browser = await shared.browser('cpu');
  // Three steps of 32: 96 answers so far, of a budget of 1,000.
  const { page, problems } = await open(browser, `${shared.server.url}?teacher_steps=20&max_steps=3&autoplay=1`);
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
      const { page, problems } = await open(browser, `${shared.server.url}${link}&queries_from=${from}`);
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
});
