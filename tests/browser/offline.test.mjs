// The built site from a sub-folder of a static host: both labs train there, with or without the
// trailing slash, and after one visit the service worker serves the lab with the server cut off;
// the text lab, once opened, does too; a browser without an adapter never downloads the WebGPU
// engine, not even into the cache.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serve, open, text, waitForStatus } from './harness.mjs';

const PREFIX = '/lab';
const TWO_D = '?autoplay=1&max_steps=200';
const DIGITS = '?scenario=digits&autoplay=1&max_steps=60';
const TEXT = '?scenario=text&autoplay=1&max_steps=20&api_chars=1024';
const LIMIT = { timeout: 180_000 };
const WITH_WORKER = { serviceWorkers: 'allow' };

let browser;
before(async () => {
  browser = await launch('cpu');
});
after(async () => {
  await browser?.close();
});

/** A server of dist/ under /lab for the length of `body`. */
async function withLab(options, body) {
  const server = await serve({ prefix: PREFIX, ...options });
  try {
    await body(server);
  } finally {
    server.offline = false;
    await server.close();
  }
}

/** Loads `url` in a fresh context and waits for the run to finish at `steps`; returns where it
 *  ended up and the files that failed to load. */
async function trains(url, steps) {
  const failed = [];
  const { page, problems } = await open(browser, url, async (p) => {
    p.on('response', (response) => response.status() >= 400 && failed.push(new URL(response.url()).pathname));
  }, WITH_WORKER);
  try {
    await waitForStatus(page, 'done');
    assert.equal(await text(page, 'step'), String(steps));
    const notFound = problems.filter((problem) => /Failed to load resource: .* 404/.test(problem));
    assert.ok(notFound.length <= failed.length, `${problems} / ${failed}`);
    assert.deepEqual(problems.filter((problem) => !notFound.includes(problem)), [], 'no other console errors');
    return { at: new URL(page.url()), failed };
  } finally {
    await page.close();
  }
}

/** The service worker's lists of files, as the build wrote them into sw.js. */
async function manifest(server) {
  const source = await (await fetch(`${server.url}sw.js`)).text();
  const list = (name) => JSON.parse(source.match(new RegExp(`^const ${name} = (\\[.*\\]);$`, 'm'))[1].replaceAll("'", '"'));
  return { precache: list('PRECACHE'), lazy: list('LAZY'), textLab: list('TEXT_LAB') };
}

/** Polls `check(arg)` in the page until it is true (waitForFunction does not await a promise). */
async function until(page, check, arg, timeout = 60_000) {
  for (const end = Date.now() + timeout; ; await new Promise((r) => setTimeout(r, 250))) {
    if (await page.evaluate(check, arg)) return;
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms: ${check}`);
  }
}

/** Waits until the page's service worker is active, controls the page, and its cache holds every
 *  file in `files`. */
async function cached(page, files) {
  await until(page, async (wanted) => {
    if (!(await navigator.serviceWorker.getRegistration())?.active || !navigator.serviceWorker.controller) return false;
    const names = (await caches.keys()).filter((name) => name.startsWith('distill-lab-'));
    if (names.length !== 1) return false;
    const cache = await caches.open(names[0]);
    const held = await Promise.all(wanted.map((file) => cache.match(new URL(file, location.href).href)));
    return held.every(Boolean);
  }, files);
}

test('served from /lab/, the 2-D lab and the digits lab train to done', LIMIT, async () => {
  await withLab({}, async (server) => {
    assert.deepEqual((await trains(`${server.url}${TWO_D}`, 200)).failed, []);
    assert.deepEqual((await trains(`${server.url}${DIGITS}`, 60)).failed, []);
    const outside = server.requests.filter((path) => !path.startsWith(`${PREFIX}/`));
    assert.deepEqual(outside, [], 'every file comes from inside /lab/');
    assert.ok(server.requests.some((path) => /^\/lab\/engine-[0-9a-f]{16}_bg\.wasm$/.test(path)), `the content-named CPU engine: ${server.requests}`);
  });
});

for (const [host, redirect] of [['answers /lab with a redirect', true], ['serves index.html at /lab itself', false]]) {
  test(`a host that ${host}: /lab?… ends up at /lab/?… and trains`, LIMIT, async () => {
    await withLab({ redirect }, async (server) => {
      const { at, failed } = await trains(`${server.url.slice(0, -1)}${TWO_D}`, 200);
      assert.equal(at.pathname, `${PREFIX}/`);
      // The query came along (the page may add settings of its own to it).
      for (const [key, value] of new URLSearchParams(TWO_D)) assert.equal(at.searchParams.get(key), value, `${at}`);
      // The browser may fetch ahead from the page at /lab before its first script adds the slash:
      // those misses land outside /lab/, and nothing inside it fails.
      assert.deepEqual(failed.filter((path) => path.startsWith(`${PREFIX}/`)), []);
      if (redirect) assert.deepEqual(failed, []);
    });
  });
}

test('after one visit, the lab opens and trains with the server cut off', LIMIT, async () => {
  await withLab({}, async (server) => {
    const { precache, lazy } = await manifest(server);
    assert.ok(precache.includes('./') && precache.includes('./data/digits.bin.gz') && precache.includes('./models/digits-teacher.bpk'), `${precache}`);
    assert.ok(precache.some((file) => /^\.\/engine-[0-9a-f]{16}_loader\.js$/.test(file)), `${precache}`);
    assert.equal(lazy.length, 3);
    assert.ok(!precache.some((file) => /shakespeare|text-teacher/.test(file)), 'the text lab is fetched only when it opens');
    const { page, problems } = await open(browser, `${server.url}?scenario=digits`, undefined, WITH_WORKER);
    try {
      await cached(page, precache);
      server.offline = true;
      await assert.rejects(fetch(server.url), 'the server answers nothing');
      await page.goto(`${server.url}${TWO_D}`);
      await waitForStatus(page, 'done');
      assert.equal(await text(page, 'step'), '200');
      await page.goto(`${server.url}${DIGITS}`);
      await waitForStatus(page, 'done');
      assert.equal(await text(page, 'step'), '60');
      assert.equal(await page.locator('[data-testid="digit-card"]').count(), 30);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });
});

test('the text lab, once opened, trains again with the server cut off', LIMIT, async () => {
  await withLab({}, async (server) => {
    const { precache, textLab } = await manifest(server);
    assert.deepEqual(textLab, ['./data/shakespeare.txt.gz', './models/text-teacher.bpk']);
    const { page, problems } = await open(browser, `${server.url}${TEXT}`, undefined, WITH_WORKER);
    try {
      await waitForStatus(page, 'done');
      await cached(page, [...precache, ...textLab]);
      server.offline = true;
      await page.goto(`${server.url}${TEXT}&seed=2`);
      await waitForStatus(page, 'done');
      assert.equal(await text(page, 'step'), '20');
      assert.equal(await text(page, 'api-chars'), '1,024');
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });
});

test('without an adapter, neither the page nor its service worker fetches the WebGPU engine', LIMIT, async () => {
  await withLab({}, async (server) => {
    const { precache, lazy } = await manifest(server);
    assert.ok(lazy.every((file) => /^\.\/engine-gpu-[0-9a-f]{16}(\.js|_bg\.wasm|_loader\.js)$/.test(file)), `${lazy}`);
    const { page, problems } = await open(browser, `${server.url}${DIGITS}`, undefined, WITH_WORKER);
    try {
      await waitForStatus(page, 'done');
      await cached(page, precache);
      await page.goto(`${server.url}${TWO_D}`);
      await waitForStatus(page, 'done');
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
    assert.deepEqual(server.requests.filter((path) => /engine-gpu/.test(path)), []);
  });
});

test('a WebGPU engine file, once fetched, is kept for offline use', LIMIT, async () => {
  await withLab({}, async (server) => {
    const { precache, lazy } = await manifest(server);
    const loader = lazy.find((file) => file.endsWith('_loader.js'));
    const { page } = await open(browser, server.url, undefined, WITH_WORKER);
    try {
      await cached(page, precache);
      const online = await page.evaluate(async (file) => (await fetch(file)).text(), loader);
      assert.match(online, /importScripts/);
      await until(page, async (file) => Boolean(await caches.match(file)), loader, 10_000);
      server.offline = true;
      assert.equal(await page.evaluate(async (file) => (await fetch(file)).text(), loader), online);
    } finally {
      await page.close();
    }
  });
});
