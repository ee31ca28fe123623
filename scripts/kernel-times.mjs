// GPU time per compute kernel during W1 on the WebGPU path: timestamps written around every
// dispatch (Chromium's timestamp-query-inside-passes, which its software adapter offers),
// grouped by the kernel's pipeline label. The timestamps add a little to each dispatch.

/** Installed in each engine worker before it asks for a device. */
function instrumentWorker() {
  self.__kernelTimes = {};
  const FEATURES = ['timestamp-query', 'chromium-experimental-timestamp-query-inside-passes'];
  const SLOTS = 1024;
  // Replaces `prototype[name]` with what `replace` makes of the original.
  const wrap = (prototype, name, replace) => {
    prototype[name] = replace(prototype[name]);
  };
  wrap(GPUAdapter.prototype, 'requestDevice', (requestDevice) => function (descriptor = {}) {
    const wanted = FEATURES.filter((f) => this.features.has(f));
    if (wanted.length < FEATURES.length) return requestDevice.call(this, descriptor);
    const features = [...(descriptor.requiredFeatures ?? []), ...wanted];
    return requestDevice.call(this, { ...descriptor, requiredFeatures: features }).then((device) => {
      self.__timedDevice = device;
      return device;
    });
  });
  wrap(GPUCommandEncoder.prototype, 'beginComputePass', (beginComputePass) => function (...args) {
    const pass = beginComputePass.apply(this, args);
    pass.__encoder = this;
    return pass;
  });
  wrap(GPUComputePassEncoder.prototype, 'setPipeline', (setPipeline) => function (pipeline) {
    this.__kernel = pipeline.label || '(unlabelled)';
    return setPipeline.call(this, pipeline);
  });
  wrap(GPUComputePassEncoder.prototype, 'dispatchWorkgroups', (dispatch) => function (...args) {
    const owner = this.__encoder;
    if (!self.__timedDevice || !owner) return dispatch.apply(this, args);
    owner.__queries ??= self.__timedDevice.createQuerySet({ type: 'timestamp', count: SLOTS });
    owner.__kernels ??= [];
    const slot = owner.__kernels.length * 2;
    if (slot + 2 > SLOTS) return dispatch.apply(this, args);
    this.writeTimestamp(owner.__queries, slot);
    const result = dispatch.apply(this, args);
    this.writeTimestamp(owner.__queries, slot + 1);
    owner.__kernels.push(this.__kernel);
    return result;
  });
  wrap(GPUCommandEncoder.prototype, 'finish', (finish) => function (...args) {
    let timing = null;
    if (this.__kernels?.length) {
      const size = this.__kernels.length * 16;
      const resolved = self.__timedDevice.createBuffer({ size, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
      const readable = self.__timedDevice.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      this.resolveQuerySet(this.__queries, 0, this.__kernels.length * 2, resolved, 0);
      this.copyBufferToBuffer(resolved, 0, readable, 0, size);
      timing = { resolved, readable, queries: this.__queries, kernels: this.__kernels };
    }
    const commands = finish.apply(this, args);
    commands.__timing = timing;
    return commands;
  });
  wrap(GPUQueue.prototype, 'submit', (submit) => function (buffers) {
    const result = submit.call(this, buffers);
    for (const commands of buffers) {
      const timing = commands.__timing;
      if (!timing) continue;
      timing.readable.mapAsync(GPUMapMode.READ).then(() => {
        const stamps = new BigInt64Array(timing.readable.getMappedRange());
        timing.kernels.forEach((kernel, i) => {
          const entry = (self.__kernelTimes[kernel] ??= { ns: 0, count: 0 });
          entry.ns += Number(stamps[2 * i + 1] - stamps[2 * i]);
          entry.count += 1;
        });
        timing.readable.unmap();
        for (const resource of [timing.readable, timing.resolved, timing.queries]) resource.destroy();
      }, () => {});
    }
    return result;
  });
}

/** Runs `url` (a `bench=w1&backend=webgpu` page) with every engine worker instrumented; returns
 *  each kernel's GPU milliseconds per step, most first, or null where the adapter has no timestamps. */
export async function kernelTimes(browser, url) {
  const page = await browser.newPage();
  const workers = [];
  page.on('worker', (worker) => {
    workers.push(worker);
    worker.evaluate(instrumentWorker).catch(() => {});
  });
  try {
    await page.goto(url);
    await page.waitForFunction(() => document.querySelector('[data-testid="bench-w1"]')?.dataset.stepsPerSecond, null, { timeout: 600_000, polling: 500 });
    await page.waitForTimeout(1000);
    const read = async (name) => Number(await page.locator('[data-testid="bench-w1"]').getAttribute(`data-${name}`));
    const steps = (await read('warm-up-steps')) + (await read('steps'));
    for (const worker of workers) {
      const times = await worker.evaluate(() => self.__timedDevice && self.__kernelTimes).catch(() => null);
      if (!times || !Object.keys(times).length) continue;
      return Object.entries(times)
        .map(([kernel, { ns, count }]) => ({ kernel, msPerStep: ns / 1e6 / steps, count }))
        .sort((a, b) => b.msPerStep - a.msPerStep);
    }
    return null;
  } finally {
    await page.close();
  }
}
