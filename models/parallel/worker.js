// Worker-thread entry of data-parallel training. Worker threads do not inherit the main thread's require hooks,
// so this registers ts-node (transpile-only with swc, as bin/neuromap.js does) before loading the TypeScript.
const path = require('path');
const { workerData } = require('worker_threads');

try {
  require('ts-node').register({
    project: path.join(__dirname, '..', '..', 'tsconfig.json'),
    transpileOnly: true,
    swc: true,
  });
  require('./worker-main').serve();
} catch (e) {
  // A failure outside the step loop's own catch (loading the code, reading the setup) would end this thread
  // unseen: the pool is blocked in Atomics.wait on the done block, takes no 'error' event, and would wait for
  // ever. So it is reported as a failed step is. -1 is FAILED of protocol.ts, which cannot be loaded here when
  // the failure is loading TypeScript.
  const FAILED = -1;
  workerData.errors.postMessage({ error: e instanceof Error ? e.message : String(e) });
  const done = new Int32Array(workerData.done);
  Atomics.store(done, workerData.index, FAILED);
  Atomics.notify(done, workerData.index);
}
