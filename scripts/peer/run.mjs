// Runs the TensorFlow.js peer page (w1.html) in a Playwright browser and returns window.__peer.
// CLI: `node scripts/peer/run.mjs wasm|webgpu` prints the result as JSON.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOTS = { '/peer/': HERE, '/tfjs/': resolve(HERE, '../../node_modules/@tensorflow') };
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', // instantiateStreaming refuses anything else
  '.json': 'application/json',
  '.map': 'application/json',
};

/** Serves the page and the tfjs packages on a free loopback port. */
async function serve() {
  const server = createServer(async (request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname));
    const prefix = Object.keys(ROOTS).find((p) => path.startsWith(p));
    const file = prefix && join(ROOTS[prefix], path.slice(prefix.length));
    try {
      if (!file || !file.startsWith(ROOTS[prefix])) throw new Error('outside');
      // tfjs-core's ESM files import each other without the .js extension.
      const body = await readFile(file).catch(() => readFile(`${file}.js`));
      response.writeHead(200, { 'content-type': TYPES[extname(file) || '.js'] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404);
      response.end('not found');
    }
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((done) => server.close(done)) };
}

export async function runPeer(browser, backend) {
  const server = await serve();
  const page = await browser.newPage();
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  await page.addInitScript(() => {
    const pass = self.GPUComputePassEncoder?.prototype;
    if (!pass) return;
    const dispatch = pass.dispatchWorkgroups;
    window.__dispatches = 0;
    pass.dispatchWorkgroups = function (...args) {
      window.__dispatches += 1;
      return dispatch.apply(this, args);
    };
  });
  try {
    await page.goto(`${server.url}peer/w1.html?backend=${backend}`);
    // Slow polling: the run owns the main thread, and SwiftShader WebGPU can take minutes.
    await page.waitForFunction(() => window.__peer, null, { timeout: 600_000, polling: 1000 });
    const result = await page.evaluate(() => window.__peer);
    return problems.length ? { ...result, consoleErrors: problems } : result;
  } finally {
    await page.close();
    await server.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { launch } = await import('../../tests/browser/harness.mjs');
  const [backend = 'wasm'] = process.argv.slice(2);
  // Without --enable-unsafe-webgpu Chromium offers no adapter here, so only webgpu needs it.
  const browser = await launch(backend === 'webgpu' ? 'webgpu' : 'cpu');
  try {
    console.log(JSON.stringify(await runPeer(browser, backend), null, 2));
  } finally {
    await browser.close();
  }
}
