import os from 'os';
import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../../models/config';
import { positiveInt } from '../../pipeline/flags';
import { runSweep, summaryText } from '../../sweep/run';
import { REDIS_URL_ENV, redisTarget } from '../../sweep/queue/connection';
import { runQueuedSweep } from '../../sweep/queue/coordinator';
import { oldName } from '../old-names';

export const sweepCommand: CommandModule = {
  command: 'sweep <config>',
  describe: 'Run a grid of train → prune → eval → compile → simulate points in parallel, one JSON line per point; re-running resumes',
  builder: (y: Argv) =>
    oldName(y, 'out', 'out-dir', 'string')
      .positional('config', { type: 'string', demandOption: true, describe: 'Sweep config (*.yaml or *.json): base settings and the grid (see examples/sweeps/)' })
      .option('out-dir', { type: 'string', default: 'sweep-out', describe: 'Folder for results.jsonl, cached models, per-point artifacts and sweep.log' })
      .option('workers', { type: 'number', default: Math.max(1, Math.min(2, os.availableParallelism?.() ?? os.cpus().length)), describe: 'Points run at the same time (worker threads)' })
      .option('queue', {
        type: 'string',
        describe: `Run the points on \`neuromap worker\`s anywhere through Redis: redis://[:PASSWORD@]HOST:PORT[/DB] or rediss:// (TLS); with no value, ${REDIS_URL_ENV}. --out-dir then gets results.jsonl and sweep.log only`,
      })
      .option('artifacts', { type: 'string', describe: 'With --queue: a folder every worker reaches at this same path (shared file system) for models, maps, reports and checkpoints; without it they stay on the workers' })
      .example('$0 sweep examples/sweeps/tiny.yaml --out-dir tiny-sweep', 'a seconds-long sweep')
      .example('$0 sweep examples/sweeps/paper.yaml --out-dir paper --workers 2', 'the paper-reproduction grid (hours); Ctrl-C and re-run to resume')
      .example(`${REDIS_URL_ENV}=redis://:PASSWORD@HOST:6379 $0 sweep examples/sweeps/paper.yaml --out-dir paper --queue`, 'the same on `neuromap worker`s on any machine (see the README)'),
  handler: async (argv) => {
    const args = argv as unknown as Record<string, unknown>;
    const config = String(args.config);
    const out = String(args['out-dir']);
    if (args.queue === undefined) {
      if (args.artifacts !== undefined) throw new UserError('--artifacts goes with --queue; the local mode keeps artifacts in --out-dir');
      const summary = await runSweep({ config, out, workers: positiveInt(args.workers, '--workers') });
      process.stdout.write(`${summaryText(summary)}\n`);
      return;
    }
    const redis = redisTarget(String(args.queue));
    const summary = await runQueuedSweep({ config, out, redis, artifacts: args.artifacts === undefined ? undefined : String(args.artifacts) });
    process.stdout.write(`${summaryText(summary)}\n`);
  },
};
