import fs from 'fs';
import os from 'os';
import * as path from 'path';
import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../../models/config';
import { positiveInt } from '../../pipeline/flags';
import { runSweep, summaryText, type SweepSummary } from '../../sweep/run';
import { writeSweepCsv } from '../../sweep/csv';
import { checkOutputs } from '../../format/outputs';
import { LOG_FILE, RESULTS_FILE } from '../../sweep/paths';
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
      .option('csv', { type: 'string', describe: 'Also write the results as CSV here when the sweep ends, one row per finished point (columns: JSON paths, e.g. targets.loihi2.energy_per_token_j)' })
      .option('artifacts', { type: 'string', describe: 'With --queue: a folder every worker reaches at this same path (shared file system) for models, maps, reports and checkpoints; without it they stay on the workers' })
      .example('$0 sweep examples/sweeps/tiny.yaml --out-dir tiny-sweep', 'a seconds-long sweep')
      .example('$0 sweep examples/sweeps/paper.yaml --out-dir paper --workers 2', 'the paper-reproduction grid (hours); Ctrl-C and re-run to resume')
      .example('$0 sweep examples/sweeps/tiny.yaml --out-dir tiny-sweep --csv tiny.csv', 'the same, and its results as one CSV row per point')
      .example(`${REDIS_URL_ENV}=redis://:PASSWORD@HOST:6379 $0 sweep examples/sweeps/paper.yaml --out-dir paper --queue`, 'the same on `neuromap worker`s on any machine (see the README)'),
  handler: async (argv) => {
    const args = argv as unknown as Record<string, unknown>;
    const config = String(args.config);
    const out = String(args['out-dir']);
    const csv = args.csv === undefined ? undefined : String(args.csv);
    // Checked before any point runs; a CSV inside an --out-dir the sweep has yet to make can only clash by name.
    if (csv !== undefined) {
      const inputs = [config, path.join(out, RESULTS_FILE), path.join(out, LOG_FILE)];
      if (fs.existsSync(path.dirname(csv)) || path.resolve(path.dirname(csv)) !== path.resolve(out)) checkOutputs(inputs, [{ flag: '--csv', file: csv }]);
      else if (inputs.slice(1).some((f) => path.resolve(f) === path.resolve(csv))) throw new UserError(`--csv ${csv} is the sweep's own ${path.basename(csv)}: choose another --csv`);
    }
    let summary: SweepSummary;
    if (args.queue === undefined) {
      if (args.artifacts !== undefined) throw new UserError('--artifacts goes with --queue; the local mode keeps artifacts in --out-dir');
      summary = await runSweep({ config, out, workers: positiveInt(args.workers, '--workers') });
    } else {
      const redis = redisTarget(String(args.queue));
      summary = await runQueuedSweep({ config, out, redis, artifacts: args.artifacts === undefined ? undefined : String(args.artifacts) });
    }
    // Written before the outcome, so the points that finished are in it even when others failed.
    const rows = csv === undefined ? 0 : writeSweepCsv(out, csv);
    process.stdout.write(`${summaryText(summary)}${csv === undefined ? '' : `; ${rows} rows in ${csv}`}\n`);
  },
};
