import os from 'os';
import path from 'path';
import type { Argv, CommandModule } from 'yargs';
import { positiveInt } from '../../pipeline/flags';
import { UserError } from '../../models/config';
import { REDIS_URL_ENV, redisTarget } from '../../sweep/queue/connection';
import { runQueueWorker } from '../../sweep/queue/worker';

export const workerCommand: CommandModule = {
  command: 'worker',
  describe: 'Run queued sweep points (`neuromap sweep --queue`) on this machine until stopped or idle',
  builder: (y: Argv) =>
    y
      .option('queue', { type: 'string', describe: `Redis URL, redis://[:PASSWORD@]HOST:PORT[/DB] or rediss:// (TLS); default ${REDIS_URL_ENV}` })
      .option('concurrency', { type: 'number', default: Math.max(1, Math.min(2, os.availableParallelism?.() ?? os.cpus().length)), describe: 'Points run at the same time (one thread each)' })
      .option('idle-exit', { type: 'number', describe: 'Exit after this many seconds with no point to run (default: run until SIGTERM or Ctrl-C)' })
      .option('work', { type: 'string', default: 'neuromap-worker', describe: "This worker's folder: models, maps and checkpoints of sweeps without --artifacts, and worker's sweep.log" })
      .option('stall-seconds', { type: 'number', default: 30, describe: "A point's lock lasts this long unless renewed: a dead worker's point is taken over after about this time" })
      .example(`${REDIS_URL_ENV}=redis://:PASSWORD@HOST:6379 $0 worker --concurrency 2`, 'serve the queue until stopped')
      .example('$0 worker --queue redis://127.0.0.1:6379 --idle-exit 60', 'exit after a minute with nothing to do'),
  handler: async (argv) => {
    const args = argv as unknown as Record<string, unknown>;
    const redis = redisTarget(args.queue === undefined ? undefined : String(args.queue));
    const idle = args['idle-exit'];
    if (idle !== undefined && !(typeof idle === 'number' && idle >= 0)) throw new UserError(`--idle-exit must be a number of seconds ≥ 0 (got ${String(idle)})`);
    const stall = Number(args['stall-seconds']);
    if (!(stall >= 1)) throw new UserError(`--stall-seconds must be at least 1 (got ${String(args['stall-seconds'])})`);
    await runQueueWorker({
      redis, concurrency: positiveInt(args.concurrency, '--concurrency'), idleExitSeconds: idle as number | undefined,
      workDir: path.resolve(String(args.work)), stallSeconds: stall,
    });
  },
};
