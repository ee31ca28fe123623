// Distill Lab's service worker: after one visit the lab opens and trains with no network.
// scripts/version-build.sh fills in the four lines below at build time. With empty lists (this
// template, or a `trunk serve` build) the worker caches nothing and passes every request through.
const VERSION = 'unbuilt';
const PRECACHE = [];
// The WebGPU engine and the text lab's files are cached only after a page has fetched them, never
// precached: the engine is the largest file by far, and a page whose browser offers no usable
// adapter (or a visitor who never opens the text lab) never asks for them, so precaching would
// make every such visitor download them for nothing.
const LAZY = [];
// The text lab's files: cached once fetched, like the lazy ones, and on the page's word that the
// lab opened (on a first visit the engine fetches them before this worker controls the page).
const TEXT_LAB = [];

const PREFIX = 'distill-lab-';
const CACHE = `${PREFIX}${VERSION}`;
const absolute = (path) => new URL(path, self.location.href).href;
const HOME = absolute('./');
const precached = new Set(PRECACHE.map(absolute));
const lazy = new Set([...LAZY, ...TEXT_LAB].map(absolute));

// No skipWaiting: open tabs keep the build they started with; a new one takes over once they close.
self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      Promise.all(
        [...precached].map(async (url) => {
          // A file named by its hash never changes, so the copy the page just fetched will do;
          // others (index.html, the data) are checked with the server.
          const hashed = /-[0-9a-f]{16}(_bg|_loader)?\.(js|wasm|css)$/.test(url);
          const response = await fetch(new Request(url, { cache: hashed ? 'default' : 'no-cache' }));
          if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
          await cache.put(url, response.redirected ? await unredirected(response) : response);
        }),
      ),
    ),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  if (event.data !== 'keep-text-lab') return;
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      Promise.all(TEXT_LAB.map(absolute).map(async (url) => (await cache.match(url)) || cache.add(url))),
    ),
  );
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  url.search = '';
  url.hash = '';
  const key = url.href;
  if (request.mode === 'navigate') {
    // Every link into the lab is index.html with settings in the query.
    if (key === HOME || key === absolute('./index.html')) event.respondWith(cacheFirst(HOME, request));
  } else if (precached.has(key)) {
    event.respondWith(cacheFirst(key, request));
  } else if (lazy.has(key)) {
    event.respondWith(cacheFirst(key, request, event));
  }
});

/** The cached copy of `key`, else the network's answer, which is cached when `event` is given. */
async function cacheFirst(key, request, event) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(key);
  if (cached) return cached;
  const response = await fetch(request);
  if (event && response.ok) event.waitUntil(cache.put(key, response.clone()));
  return response;
}

/** A navigation may not be answered with a redirected response: the same body without the flag. */
async function unredirected(response) {
  const { status, statusText, headers } = response;
  return new Response(await response.blob(), { status, statusText, headers });
}
