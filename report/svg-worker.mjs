// @ts-check
/**
 * Renders vega-lite specs to SVG strings, in a worker thread started by report/svg.ts.
 *
 * Why a worker: vega 6 and vega-lite 6 are ES modules, and vega-canvas (loaded by vega) has a top-level await,
 * so Node 20's require() cannot load them from our CommonJS code, and jest's module registry cannot import()
 * them either. A worker thread runs Node's own ES module loader whoever starts it (the CLI, jest, a script).
 *
 * workerData: { specs: object[] }. Posts { svgs: string[], warnings: string[] } or { error: string }.
 * Data is inline in every spec; the loader refuses to fetch anything, so rendering never touches a network.
 */
import { parentPort, workerData } from 'node:worker_threads';

try {
  const vega = await import('vega');
  const vl = await import('vega-lite');
  /** @type {string[]} */
  const warnings = [];
  let level = 2; // vega's Warn
  const logger = {
    /** @param {number} [l] */
    level(l) { if (l === undefined) return level; level = l; return logger; },
    error(/** @type {unknown[]} */ ...m) { throw new Error(m.map(String).join(' ')); },
    warn(/** @type {unknown[]} */ ...m) { warnings.push(m.map(String).join(' ')); return logger; },
    info() { return logger; },
    debug() { return logger; },
  };
  const loader = vega.loader();
  loader.load = async (/** @type {string} */ uri) => { throw new Error(`report plots use inline data; refused to load ${uri}`); };
  /** @type {string[]} */
  const svgs = [];
  for (const spec of workerData.specs) {
    const compiled = vl.compile(spec, { logger }).spec;
    const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader, logger: /** @type {any} */ (logger) });
    svgs.push(await view.toSVG());
    view.finalize();
  }
  parentPort?.postMessage({ svgs, warnings });
} catch (err) {
  parentPort?.postMessage({ error: err instanceof Error ? err.stack ?? err.message : String(err) });
}
