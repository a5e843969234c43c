/**
 * `neuromap worker`: takes sweep points from the BullMQ queue and runs them (train → prune → eval → compile →
 * simulate) on its point threads until stopped (SIGTERM/SIGINT: points training or pruning checkpoint and go back
 * to the queue, points evaluating or simulating finish) or idle for the given time. A job's result line is its
 * BullMQ return value; the coordinator writes it to results.jsonl. A worker that dies (kill -9, a lost machine)
 * stops renewing its jobs' locks; BullMQ's stalled-job check in the other workers puts those jobs back in the queue.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { DelayedError, Job, Queue, WaitingError, Worker } from 'bullmq';
import { pointLabel } from '../grid';
import { LOG_FILE } from '../paths';
import { connectRedis, outageReporter, RedisTarget } from './connection';
import { PREFIX, PointJob, PointProgress, QUEUE, jobIdOf, refusal } from './jobs';
import { ModelShare } from './models';
import { PointThreads } from './threads';
import type { ResultLine } from '../line';

export interface QueueWorkerOptions {
  redis: RedisTarget;
  /** Points run at the same time (one thread each). */
  concurrency: number;
  /** Exit after this many seconds with nothing to do; undefined: run until stopped. */
  idleExitSeconds?: number;
  /** This worker's own folder: models, maps and checkpoints of jobs without a shared artifacts folder, and its log. */
  workDir: string;
  /** A job's lock lasts this long unless renewed: a dead worker's point is taken over after about this time. */
  stallSeconds: number;
  /** One line per point started and ended (default stderr). */
  stream?: NodeJS.WritableStream;
}

export interface QueueWorkerSummary {
  done: number;
  failed: number;
  /** Points handed back to the queue (stopped at a checkpoint). */
  handedBack: number;
  reason: 'idle' | 'signal';
}

export async function runQueueWorker(o: QueueWorkerOptions): Promise<QueueWorkerSummary> {
  const stream = o.stream ?? process.stderr;
  const host = `${os.hostname()}:${process.pid}`;
  const say = (text: string) => stream.write(`worker ${host}: ${text}\n`);
  const redis = await connectRedis(o.redis);
  fs.mkdirSync(o.workDir, { recursive: true });
  const log = fs.createWriteStream(path.join(o.workDir, LOG_FILE), { flags: 'a' });
  const threads = new PointThreads(o.concurrency, o.workDir, log);
  const share = new ModelShare(redis, o.workDir);
  const queue = new Queue<PointJob>(QUEUE, { connection: redis, prefix: PREFIX });
  const summary: QueueWorkerSummary = { done: 0, failed: 0, handedBack: 0, reason: 'idle' };
  let active = 0;
  let lastBusy = Date.now();

  const process_ = async (job: Job<PointJob>, token?: string): Promise<ResultLine> => {
    const data = job.data;
    const refused = refusal(data);
    if (refused) throw new Error(refused);
    const point = data.point;
    if (!(await share.available(data)) && data.point.key !== data.trainer) {
      const state = await queue.getJobState(jobIdOf(data.trainer));
      if (state === 'failed') throw new Error(`its model's training failed (see point ${data.trainer})`);
      // Still to be trained by its trainer: wait without holding this worker. (Completed or gone and yet no
      // model, e.g. Redis was flushed: this point trains it.)
      if (state !== 'completed' && state !== 'unknown') {
        await job.moveToDelayed(Date.now() + waitForModelMs(job.attemptsStarted), token);
        throw new DelayedError();
      }
    }
    await share.fetch(data);
    const label = pointLabel(point);
    const started = Date.now();
    say(`${label} (${point.key}): start`);
    const uploads: Promise<void>[] = [];
    let lastProgress = 0;
    let lastPhase = '';
    const outcome = await threads.run(point, share.outDir(data), {
      phase: (phase, fraction) => {
        const now = Date.now();
        // A new phase at once, then at most 4 updates a second: enough for a display, little for Redis.
        if (phase === lastPhase && now - lastProgress < 250) return;
        lastPhase = phase;
        lastProgress = now;
        job.updateProgress({ phase, fraction, host } satisfies PointProgress).catch(() => {});
      },
      trained: () => uploads.push(share.publish(data)),
    });
    await Promise.all(uploads);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (outcome.type === 'done') {
      say(`${label}: done in ${seconds} s`);
      summary.done++;
      return { ...outcome.line, run: { ...outcome.line.run, worker: outcome.worker, host } };
    }
    if (outcome.type === 'stopped') {
      // Stopped at a checkpoint: back to the queue for any worker (with a shared folder it resumes there).
      say(`${label}: stopped at a checkpoint; back in the queue`);
      summary.handedBack++;
      await job.moveToWait(token);
      throw new WaitingError();
    }
    const reason = outcome.message.split('\n')[0];
    if (!outcome.user) log.write(`point ${point.key} (${label}) failed: ${outcome.message}\n`);
    throw new Error(reason);
  };

  const worker = new Worker<PointJob, ResultLine>(QUEUE, async (job, token) => {
    active++;
    lastBusy = Date.now();
    try {
      return await process_(job, token);
    } catch (err) {
      // A delayed job waits for its model; a waiting one was handed back: neither failed.
      if (!(err instanceof DelayedError || err instanceof WaitingError)) {
        summary.failed++;
        say(`${job.data.point ? pointLabel(job.data.point) : job.id}: failed: ${(err as Error).message}`);
      }
      throw err;
    } finally {
      active--;
      lastBusy = Date.now();
    }
  }, {
    connection: redis, prefix: PREFIX, concurrency: o.concurrency,
    lockDuration: o.stallSeconds * 1000, stalledInterval: (o.stallSeconds * 1000) / 2, maxStalledCount: 2,
  });
  const outage = outageReporter(say);
  worker.on('error', outage.error);
  queue.on('error', outage.error);
  redis.on('ready', outage.ok);
  say(`serving ${o.redis.shown} with ${o.concurrency} thread${o.concurrency > 1 ? 's' : ''}; files in ${o.workDir}`);

  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = async (reason: QueueWorkerSummary['reason']) => {
      if (stopping) return;
      stopping = true;
      summary.reason = reason;
      clearInterval(idleTimer);
      threads.stop();
      await worker.close();
      resolve();
    };
    const onSignal = () => {
      if (stopping) {
        // A second signal: leave now; running points stall and other workers take them over.
        say('stopping now');
        process.exit(130);
      }
      say('stopping: points training or pruning checkpoint and go back to the queue, others finish (signal again to leave at once)');
      void stop('signal');
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const idleTimer = setInterval(() => {
      if (o.idleExitSeconds !== undefined && active === 0 && Date.now() - lastBusy >= o.idleExitSeconds * 1000) void stop('idle');
    }, 250);
    worker.once('closed', () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    });
  });
  await threads.close();
  await queue.close();
  redis.disconnect();
  await new Promise<void>((resolve) => log.end(resolve));
  say(`${summary.reason === 'idle' ? `idle for ${o.idleExitSeconds} s` : 'stopped'}: ${summary.done} done, ${summary.failed} failed, ${summary.handedBack} handed back`);
  return summary;
}

/**
 * How long a point waiting for its model stays delayed before it looks again: 250 ms, doubling with every look
 * (BullMQ counts each as a start) up to 5 s. Short trainings are joined quickly; long ones cost a few Redis
 * operations per waiting point every 5 s.
 */
export function waitForModelMs(starts: number): number {
  return Math.min(5000, 250 * 2 ** Math.max(0, starts - 1));
}
