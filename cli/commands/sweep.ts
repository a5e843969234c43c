import os from 'os';
import type { Argv, CommandModule } from 'yargs';
import { positiveInt } from '../../pipeline/flags';
import { runSweep, summaryText } from '../../sweep/run';

export const sweepCommand: CommandModule = {
  command: 'sweep <config>',
  describe: 'Run a grid of train → prune → eval → compile → simulate points in parallel, one JSON line per point; re-running resumes',
  builder: (y: Argv) =>
    y
      .positional('config', { type: 'string', demandOption: true, describe: 'Sweep config (*.yaml or *.json): base settings and the grid (see examples/sweeps/)' })
      .option('out', { type: 'string', default: 'sweep-out', describe: 'Folder for results.jsonl, cached models, per-point artifacts and sweep.log' })
      .option('workers', { type: 'number', default: Math.max(1, Math.min(2, os.availableParallelism?.() ?? os.cpus().length)), describe: 'Points run at the same time (worker threads)' })
      .example('$0 sweep examples/sweeps/tiny.yaml --out tiny-sweep', 'a seconds-long sweep')
      .example('$0 sweep examples/sweeps/paper.yaml --out paper --workers 2', 'the paper-reproduction grid (hours); Ctrl-C and re-run to resume'),
  handler: async (argv) => {
    const args = argv as unknown as Record<string, unknown>;
    const summary = await runSweep({ config: String(args.config), out: String(args.out), workers: positiveInt(args.workers, '--workers') });
    process.stdout.write(`${summaryText(summary)}\n`);
  },
};
