/**
 * `neuromap sweep CONFIG --queue URL`: the coordinator. It queues the points not yet in DIR/results.jsonl as
 * BullMQ jobs (id = point key, so queueing again adds nothing), then polls their states and appends each finished
 * job's result line to results.jsonl, in the local mode's exact format. Everything it needs to go on lives in
 * Redis and in results.jsonl: killed and started again, it queues nothing twice, writes what finished meanwhile
 * and waits for the rest. Workers never need it to be running.
 */
import fs from 'fs';
import path from 'path';
import { Job, Queue } from 'bullmq';
import { SweepPoint, pointLabel } from '../grid';
import type { ResultLine } from '../line';
import { lockSweepDir } from '../lock';
import { LOG_FILE } from '../paths';
import { appendResult } from '../results';
import { SweepSummary, prepareSweep, resumeSweep } from '../run';
import { RedisTarget, connectRedis, outageReporter } from './connection';
import { PREFIX, PointJob, QUEUE, jobIdOf, pointJob } from './jobs';
import { QueueStatus } from './status';

export interface QueuedSweepOptions {
  config: string;
  out: string;
  redis: RedisTarget;
  /** A folder every worker reaches at this same path; absent: artifacts stay on the workers. */
  artifacts?: string;
  /** How often job states are read (ms). */
  pollMs?: number;
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

export async function runQueuedSweep(o: QueuedSweepOptions): Promise<SweepSummary> {
  const { points, outDir } = prepareSweep(o);
  const artifacts = o.artifacts ? path.resolve(o.artifacts) : null;
  if (artifacts) fs.mkdirSync(artifacts, { recursive: true });
  const unlock = lockSweepDir(outDir);
  try {
    return await coordinate(points, outDir, artifacts, o);
  } finally {
    unlock();
  }
}

type PointQueue = Queue<PointJob, ResultLine>;

async function coordinate(points: SweepPoint[], outDir: string, artifacts: string | null, o: QueuedSweepOptions): Promise<SweepSummary> {
  const stream = o.stream ?? process.stderr;
  const { todo, summary } = resumeSweep(points, outDir, stream);
  if (todo.length === 0) return summary;
  const redis = await connectRedis(o.redis);
  const queue: PointQueue = new Queue(QUEUE, { connection: redis, prefix: PREFIX });
  const log = fs.createWriteStream(path.join(outDir, LOG_FILE), { flags: 'a' });
  const status = new QueueStatus(stream, points.length, summary.alreadyDone, todo.length);
  const onSigint = () => {
    summary.stopped = true;
    status.log('sweep: stopping; the points stay queued and the workers go on (run the same command again to collect their results)');
  };
  process.on('SIGINT', onSigint);
  const outage = outageReporter((m) => status.log(`sweep: ${m}`));
  queue.on('error', outage.error);
  try {
    const jobs = todoJobs(todo, artifacts);
    const retried = await enqueue(queue, jobs);
    status.log(`sweep: ${todo.length} points queued on ${o.redis.shown}${retried ? ` (${retried} failed earlier, queued again)` : ''}; ` +
      `start workers with: neuromap worker --queue URL`);
    const pending = new Map(todo.map((p) => [p.key, p]));
    while (pending.size > 0 && !summary.stopped) {
      const keys = [...pending.keys()];
      const states = await Promise.all(keys.map((k) => queue.getJobState(jobIdOf(k))));
      let running = 0;
      let waiting = 0;
      for (const [i, key] of keys.entries()) {
        const point = pending.get(key)!;
        const state = states[i];
        if (state === 'completed' || state === 'failed') {
          const job = await Job.fromId<PointJob, ResultLine>(queue, jobIdOf(key));
          if (!job) continue;
          pending.delete(key);
          const line = job.returnvalue;
          if (state === 'completed' && line?.key === key) {
            appendResult(summary.results, line);
            summary.finished++;
          } else {
            const message = state === 'completed' ? 'its job finished without a result line' : (job.failedReason || 'failed without a reason').split('\n')[0];
            summary.failed.push({ key, label: pointLabel(point), message });
            log.write(`point ${key} (${pointLabel(point)}) failed: ${message}\n`);
            status.log(`sweep: ${pointLabel(point)} failed: ${message}`);
          }
        } else if (state === 'active') {
          running++;
        } else {
          // Gone (Redis restarted without persistence, or the job was removed): queue it again.
          if (state === 'unknown') await enqueue(queue, jobs.filter((j) => j.opts.jobId === jobIdOf(key)));
          waiting++;
        }
      }
      outage.ok();
      status.update({ finished: summary.finished, failed: summary.failed.length, running, waiting });
      if (pending.size > 0) await sleep(o.pollMs ?? 1000, () => summary.stopped);
    }
    status.end();
    return summary;
  } finally {
    process.off('SIGINT', onSigint);
    await queue.close();
    redis.disconnect();
    await new Promise<void>((resolve) => log.end(resolve));
  }
}

interface JobSpec {
  name: 'point';
  data: PointJob;
  opts: { jobId: string; attempts: number; removeOnComplete: false; removeOnFail: false };
}

/**
 * The jobs of the points to run, trainers first: the first point of each training key (grid order) trains its
 * model; the others of the key wait for it, so a model shared by several points is trained once.
 */
function todoJobs(todo: SweepPoint[], artifacts: string | null): JobSpec[] {
  const trainers = new Map<string, string>();
  for (const p of todo) if (!trainers.has(p.trainKey)) trainers.set(p.trainKey, p.key);
  const isTrainer = (p: SweepPoint) => trainers.get(p.trainKey) === p.key;
  return [...todo.filter(isTrainer), ...todo.filter((p) => !isTrainer(p))].map((p) => ({
    name: 'point', data: pointJob(p, trainers.get(p.trainKey)!, artifacts),
    // One attempt: a point's failure is deterministic (bad values, a bug); running the command again retries it.
    // Finished jobs stay, so queueing again never redoes a finished point.
    opts: { jobId: jobIdOf(p.key), attempts: 1, removeOnComplete: false, removeOnFail: false },
  }));
}

/**
 * Adds the jobs; BullMQ ignores an id it already holds (queued, running or finished). Jobs that failed earlier
 * take this run's data and run again, as failed points do when the local mode is run again. Returns their number.
 */
async function enqueue(queue: PointQueue, jobs: JobSpec[]): Promise<number> {
  const states = await Promise.all(jobs.map((j) => queue.getJobState(j.opts.jobId)));
  const failed = jobs.filter((_, i) => states[i] === 'failed');
  for (const spec of failed) {
    const job = await Job.fromId<PointJob, ResultLine>(queue, spec.opts.jobId);
    await job?.updateData(spec.data);
    await job?.retry('failed');
  }
  await queue.addBulk(jobs);
  return failed.length;
}

/** Waits `ms`, or less once `stop()` turns true (checked every 100 ms). */
async function sleep(ms: number, stop: () => boolean): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end && !stop()) await new Promise((r) => setTimeout(r, Math.min(100, end - Date.now())));
}
