/**
 * Plots to SVG with vega-lite and vega in Node: no canvas, no browser, no network. The work runs in a worker
 * thread (report/svg-worker.mjs says why); one worker renders all the plots of a report.
 */
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { TopLevelSpec } from './plot';

export interface Rendered {
  svgs: string[];
  /** What vega-lite and vega warned about (a spec that drops a channel, say); empty when all is well. */
  warnings: string[];
}

type Reply = { svgs: string[]; warnings: string[] } | { error: string };

export function renderSvgs(specs: TopLevelSpec[]): Promise<Rendered> {
  if (!specs.length) return Promise.resolve({ svgs: [], warnings: [] });
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'svg-worker.mjs'), { workerData: { specs } });
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      f();
    };
    worker.once('message', (reply: Reply) =>
      finish(() => ('error' in reply ? reject(new Error(`rendering the plots failed: ${reply.error}`)) : resolve(reply))),
    );
    worker.once('error', (err) => finish(() => reject(err)));
    worker.once('exit', (code) => finish(() => reject(new Error(`the plot renderer exited (status ${code}) before it answered`))));
  });
}
