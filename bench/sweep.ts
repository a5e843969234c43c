/**
 * Sweep benchmark: the tiny sweep (examples/sweeps/tiny.yaml, 6 points) side by side in one run, on the local mode
 * and on a fresh redis-server (append-only, fsync every second) with `neuromap worker` processes of one thread each,
 * for 1 and 2 units of parallelism:
 *   local  one `runSweep` (includes starting its threads);
 *   cold   the workers are started with the clock (process and thread start included), then the sweep;
 *   warm   the same workers, already running, take the tiny sweep at another seed (as a cluster's workers would).
 * The coordinator polls every 250 ms. For the warm run it prints the queue's overhead per point from BullMQ's own
 * timestamps: the time a worker held a job beyond the point's own run (thread messages, model sharing, Redis), and
 * the gap between one job's end and the next one's start on the same worker (fetching the next job; with 2 workers
 * it includes waiting for a model the other worker trains).
 *
 *   node -r ts-node/register/transpile-only bench/sweep.ts
 */
import { ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { Writable } from 'stream';
import { Job, Queue } from 'bullmq';
import Redis from 'ioredis';
import type { ResultLine } from '../sweep/line';
import { readResults } from '../sweep/results';
import { runSweep } from '../sweep/run';
import { redisTarget } from '../sweep/queue/connection';
import { runQueuedSweep } from '../sweep/queue/coordinator';
import { PREFIX, QUEUE } from '../sweep/queue/jobs';
import { startRedis } from '../test/helpers/redis';

// The point threads register ts-node with swc (sweep/worker.js). Unless this thread holds swc's native binding too
// (bin/neuromap.js and jest's @swc/jest do), it is unloaded with the last thread, and loading it again in the next
// sweep's threads crashes the process (segmentation fault, measured here on Node 20.20).
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('@swc/core');

const ROOT = path.join(__dirname, '..');
const TINY = path.join(ROOT, 'examples', 'sweeps', 'tiny.yaml');
const quiet = () => new Writable({ write: (_c, _e, cb) => cb() });

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'neuromap-bench-sweep-'));
  const redis = await startRedis({ appendfsync: 'everysec' });
  const client = new Redis(redis.url, { maxRetriesPerRequest: null });
  const queue = new Queue(QUEUE, { connection: client, prefix: PREFIX });
  const seed2 = path.join(root, 'tiny-seed2.yaml');
  fs.writeFileSync(seed2, fs.readFileSync(TINY, 'utf8').replace('seed: 1', 'seed: 2').replace('data: tiny-corpus', `data: ${path.join(path.dirname(TINY), 'tiny-corpus')}`));
  const lines: string[] = [];
  const timed = async (f: () => Promise<unknown>) => {
    const t0 = Date.now();
    await f();
    return (Date.now() - t0) / 1000;
  };
  try {
    for (const n of [1, 2]) {
      const local = await timed(() => runSweep({ config: TINY, out: path.join(root, `local-${n}`), workers: n, stream: quiet() }));
      await client.flushdb();
      let procs: ReturnType<typeof worker>[] = [];
      const sweep = (config: string, out: string) => runQueuedSweep({ config, out: path.join(root, out), redis: redisTarget(redis.url), pollMs: 250, stream: quiet() });
      const cold = await timed(async () => {
        procs = Array.from({ length: n }, (_, i) => worker(root, `w${n}-${i}`, redis.url));
        await sweep(TINY, `cold-${n}`);
      });
      const warm = await timed(() => sweep(seed2, `warm-${n}`));
      const o = await overheads(queue, readResults(path.join(root, `warm-${n}`, 'results.jsonl')).lines);
      for (const p of procs) p.child.kill('SIGTERM');
      await Promise.all(procs.map((p) => p.exited));
      lines.push(`  ${n} thread${n > 1 ? 's' : ''}/worker${n > 1 ? 's' : ''}: local ${local.toFixed(2)} s, queue cold ${cold.toFixed(2)} s, warm ${warm.toFixed(2)} s; ` +
        `warm, per point: held beyond the run ${o.held.toFixed(0)} ms, gap to the next job ${o.gap.toFixed(0)} ms, point's own run ${o.run.toFixed(0)} ms`);
    }
  } finally {
    await queue.close();
    client.disconnect();
    await redis.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  }
  console.log(`tiny sweep (6 points), ${new Date().toISOString()}, load ${os.loadavg()[0].toFixed(1)} at the end`);
  for (const l of lines) console.log(l);
}

/** Mean milliseconds per point: a worker held the job beyond the point's run; the gap before its next job; the run. */
async function overheads(queue: Queue, ls: ResultLine[]): Promise<{ held: number; gap: number; run: number }> {
  const jobs = await Promise.all(ls.map(async (l) => {
    const job = (await Job.fromId(queue, l.key))!;
    return { host: l.run.host!, start: job.processedOn!, end: job.finishedOn!, run: Date.parse(l.run.finished_at) - Date.parse(l.run.started_at) };
  }));
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
  const gaps: number[] = [];
  for (const host of new Set(jobs.map((j) => j.host))) {
    const mine = jobs.filter((j) => j.host === host).sort((a, b) => a.start - b.start);
    for (let i = 1; i < mine.length; i++) gaps.push(mine[i].start - mine[i - 1].end);
  }
  return { held: mean(jobs.map((j) => j.end - j.start - j.run)), gap: mean(gaps), run: mean(jobs.map((j) => j.run)) };
}

function worker(root: string, name: string, url: string): { child: ChildProcess; exited: Promise<unknown> } {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'neuromap.js'), 'worker', '--concurrency', '1', '--work', path.join(root, name)], {
    env: { ...process.env, NEUROMAP_REDIS_URL: url },
  });
  return { child, exited: new Promise((r) => child.on('exit', r)) };
}

void main();
