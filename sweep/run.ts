/**
 * The main thread of a sweep: expand the grid, skip points already in results.jsonl, run the rest on worker
 * threads, append each result line as it arrives, show progress, and stop gracefully on Ctrl-C (points training
 * or pruning write their checkpoint and stop; points evaluating or simulating finish; a second Ctrl-C stops at once).
 */
import fs from 'fs';
import path from 'path';
import { Worker } from 'worker_threads';
import { UserError } from '../models/config';
import { describeIoError } from '../models/atomic';
import { checkWritable } from '../format/outputs';
import { loadTarget } from '../targets/load';
import { Board } from './board';
import { loadSweepConfig } from './config';
import { SweepPoint, expandGrid, pointLabel } from './grid';
import { FromWorker, ToWorker, WorkerData } from './protocol';
import { lockSweepDir } from './lock';
import { LOG_FILE, RESULTS_FILE, trainedModelFile } from './paths';
import { appendResult, readResults } from './results';
import { Scheduler } from './scheduler';

export interface SweepOptions {
  config: string;
  out: string;
  workers: number;
  /** Where progress goes (default stderr). */
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

export interface SweepSummary {
  total: number;
  alreadyDone: number;
  finished: number;
  failed: { key: string; label: string; message: string }[];
  stopped: boolean;
  results: string;
}

export async function runSweep(options: SweepOptions): Promise<SweepSummary> {
  const { points, outDir } = prepareSweep(options);
  const unlock = lockSweepDir(outDir);
  try {
    return await runLocked(points, outDir, options);
  } finally {
    unlock();
  }
}

/** The config's points, checked, and the absolute output folder (created); shared with the queued mode. */
export function prepareSweep(options: { config: string; out: string }): { points: SweepPoint[]; outDir: string } {
  const config = loadSweepConfig(options.config);
  const points = expandGrid(config);
  // Unknown targets fail now, not after the first hour of training.
  for (const t of new Set(points.flatMap((p) => p.targets))) loadTarget(t);
  const outDir = path.resolve(options.out);
  try {
    fs.mkdirSync(outDir, { recursive: true });
  } catch (err) {
    throw new UserError(`--out ${options.out}: cannot create the sweep folder: ${describeIoError(err)}`);
  }
  checkWritable('--out', path.join(outDir, RESULTS_FILE));
  return { points, outDir };
}

/** Reads what earlier runs finished (results.jsonl) and returns the points still to run, with the summary so far. */
export function resumeSweep(points: SweepPoint[], outDir: string, stream: NodeJS.WritableStream): { todo: SweepPoint[]; summary: SweepSummary } {
  const resultsFile = path.join(outDir, RESULTS_FILE);
  const previous = readResults(resultsFile);
  for (const w of previous.warnings) stream.write(`sweep: ${w}\n`);
  const todo = points.filter((p) => !previous.done.has(p.key));
  const summary: SweepSummary = {
    total: points.length, alreadyDone: points.length - todo.length, finished: 0, failed: [], stopped: false, results: resultsFile,
  };
  const simulated = points.find((p) => p.targets.length);
  const decoder = simulated ? `; targets simulated with the decoder on the ${simulated.decoder === 'host' ? 'host CPU' : 'cores'}` : '';
  stream.write(`sweep: ${points.length} points, ${summary.alreadyDone} already in ${resultsFile}, ${todo.length} to run${decoder}\n`);
  return { todo, summary };
}

async function runLocked(points: SweepPoint[], outDir: string, options: SweepOptions): Promise<SweepSummary> {
  const stream = options.stream ?? process.stderr;
  const { todo, summary } = resumeSweep(points, outDir, stream);
  const resultsFile = summary.results;
  if (todo.length === 0) return summary;

  const scheduler = new Scheduler(todo, (k) => fs.existsSync(path.join(outDir, trainedModelFile(k))));
  const workers = Math.max(1, Math.min(options.workers, todo.length));
  const board = new Board(stream, workers, todo.length, summary.alreadyDone, points.length);
  const stop = new SharedArrayBuffer(4);
  const stopFlag = new Int32Array(stop);
  const log = fs.createWriteStream(path.join(outDir, LOG_FILE), { flags: 'a' });
  // A log that cannot be written (full disk) stops the sweep with one line, rather than crashing it.
  let logError: unknown = null;
  log.on('error', (err) => {
    logError ??= err;
    summary.stopped = true;
    Atomics.store(stopFlag, 0, 1);
  });
  const pool: Worker[] = [];

  await new Promise<void>((resolve) => {
    const running = new Map<number, SweepPoint>();
    let alive = 0;
    const onSigint = () => {
      if (summary.stopped) {
        board.log('sweep: stopping now; unfinished points run again next time');
        for (const w of pool) void w.terminate();
        return;
      }
      summary.stopped = true;
      Atomics.store(stopFlag, 0, 1);
      board.log('sweep: stopping: points training or pruning write a checkpoint, points evaluating or simulating finish (Ctrl-C again to stop at once)');
    };
    process.on('SIGINT', onSigint);
    const finish = () => {
      process.off('SIGINT', onSigint);
      resolve();
    };

    const dispatch = (w: number, worker: Worker) => {
      const point = summary.stopped ? null : scheduler.next();
      if (!point) {
        board.worker(w, scheduler.remaining > 0 && !summary.stopped ? 'waiting for a model another worker trains' : 'idle', true);
        // Idle workers with nothing left to wait for exit; the last one out ends the sweep.
        if (scheduler.remaining === 0 || summary.stopped) worker.postMessage({ type: 'exit' } satisfies ToWorker);
        return;
      }
      running.set(w, point);
      board.worker(w, `${pointLabel(point)}: start`, true);
      worker.postMessage({ type: 'run', point } satisfies ToWorker);
    };
    const idleWorkers = () => pool.forEach((worker, i) => !running.has(i + 1) && dispatch(i + 1, worker));

    const spawn = (w: number) => {
      const worker = new Worker(path.join(__dirname, 'worker.js'), {
        workerData: { worker: w, outDir, stop } satisfies WorkerData, stdout: true, stderr: true,
      });
      // Workers' own output (pruning and simulation progress, warnings) goes to the log, not the terminal.
      worker.stdout.pipe(log, { end: false });
      worker.stderr.pipe(log, { end: false });
      pool[w - 1] = worker;
      alive++;
      worker.on('message', (m: FromWorker) => {
        const point = running.get(w);
        if (!point) return;
        if (m.type === 'phase') {
          const pct = m.fraction > 0 ? ` ${(100 * m.fraction).toFixed(0)}%` : '';
          board.worker(w, `${pointLabel(point)}: ${m.phase}${pct}${m.fields.length ? ` | ${m.fields.join(' | ')}` : ''}`, m.fraction === 0);
          return;
        }
        if (m.type === 'trained') {
          scheduler.trained(m.trainKey);
          idleWorkers();
          return;
        }
        running.delete(w);
        if (m.type === 'done') {
          try {
            appendResult(resultsFile, m.line);
            summary.finished++;
            board.pointEnded(true);
          } catch (err) {
            // The results file cannot be written (disk full, permissions): stop rather than compute in vain.
            summary.failed.push({ key: point.key, label: pointLabel(point), message: (err as Error).message });
            board.log(`sweep: ${(err as Error).message}; stopping`);
            summary.stopped = true;
            Atomics.store(stopFlag, 0, 1);
          }
          scheduler.ended(point, null);
        } else if (m.type === 'stopped') {
          scheduler.ended(point, null);
          board.worker(w, `${pointLabel(point)}: stopped at a checkpoint`, true);
        } else {
          summary.failed.push({ key: point.key, label: pointLabel(point), message: m.message });
          log.write(`point ${point.key} (${pointLabel(point)}) failed: ${m.message}\n`);
          board.log(`sweep: ${pointLabel(point)} failed: ${m.user ? m.message : 'internal error (the stack is in the log)'}`);
          board.pointEnded(false);
          scheduler.ended(point, m.message);
          for (const s of scheduler.skipped.splice(0)) summary.failed.push({ key: s.point.key, label: pointLabel(s.point), message: s.reason });
        }
        dispatch(w, worker);
        idleWorkers();
      });
      worker.on('error', (err) => {
        // An uncaught error kills the worker: its point failed; a fresh worker takes its place.
        const point = running.get(w);
        running.delete(w);
        if (point) {
          summary.failed.push({ key: point.key, label: pointLabel(point), message: err.stack ?? String(err) });
          log.write(`point ${point.key} (${pointLabel(point)}) crashed its worker: ${err.stack ?? String(err)}\n`);
          board.pointEnded(false);
          scheduler.ended(point, String(err));
        }
      });
      worker.on('exit', () => {
        alive--;
        const point = running.get(w);
        if (point) {
          // Terminated (second Ctrl-C) mid-point: nothing was written for it; it runs next time.
          running.delete(w);
          scheduler.ended(point, null);
        }
        if (!summary.stopped && scheduler.remaining > 0 && pool[w - 1] === worker) {
          spawn(w);
          dispatch(w, pool[w - 1]);
          return;
        }
        if (alive === 0) finish();
      });
    };
    for (let w = 1; w <= workers; w++) spawn(w);
    for (let w = 1; w <= workers; w++) dispatch(w, pool[w - 1]);
  });
  board.done();
  if (logError === null) await new Promise<void>((resolve) => log.end(resolve));
  if (logError !== null) throw new UserError(`cannot write ${path.join(outDir, LOG_FILE)}: ${describeIoError(logError)}; the sweep stopped (run the same command again to resume)`);
  return summary;
}

/** The one-line outcome, or a UserError when points failed or the user stopped the sweep. */
export function summaryText(s: SweepSummary): string {
  const done = s.alreadyDone + s.finished;
  if (s.failed.length) {
    const first = s.failed.slice(0, 3).map((f) => `${f.label}: ${f.message.split('\n')[0]}`).join('; ');
    throw new UserError(`${s.failed.length} of ${s.total} sweep points failed (${first}${s.failed.length > 3 ? '; …' : ''}); ` +
      `${done} done in ${s.results}; see ${path.join(path.dirname(s.results), LOG_FILE)}, fix and run the same command again`);
  }
  if (s.stopped && done < s.total) throw new UserError(`stopped with ${done} of ${s.total} points done in ${s.results}; run the same command again to resume`);
  return `sweep: all ${s.total} points done: ${s.results}`;
}
