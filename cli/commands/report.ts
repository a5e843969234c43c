/**
 * `neuromap report RUN.json… --out report.html [--png DIR]`: one self-contained HTML page (inline SVG plots,
 * inline CSS, no scripts, no network) from any mix of `neuromap eval --json` and `neuromap simulate --json`
 * results (simulations of maps and dense baselines of models) and sweep results (JSON Lines); the headline table
 * is printed here too. See report/index.ts.
 */
import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../../models/config';
import { buildReport } from '../../report';

export interface ReportArgs {
  files: string[];
  out: string;
  png?: string;
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <files..>',
  describe: 'Plots and headline tables from eval, simulate and sweep results, as one self-contained HTML page',
  builder: (y: Argv) =>
    y
      .positional('files', {
        type: 'string', array: true, demandOption: true,
        describe: 'Result files: neuromap eval --json, neuromap simulate --json (OUT.json of a map, or of a model with --target dense-cpu|dense-gpu), sweep results (*.jsonl), the demo’s report.json',
      })
      .option('out', { type: 'string', default: 'report.html', describe: 'Write the HTML page here' })
      .option('png', { type: 'string', describe: 'Also write one PNG per plot into this folder' })
      .example('$0 report eval.json --out model.html', 'activity per layer and MAC reduction of one model')
      .example('$0 report loihi2.json spinnaker2.json eval.json --out compare.html', 'energy, latency and core maps of two targets, next to the model')
      .example('$0 report loihi2.json cpu.json gpu.json --out vs-dense.html', 'a chip run next to dense baselines (simulate p.egru --target dense-cpu --json cpu.json)')
      .example('$0 report sweep.jsonl --out sweep.html --png plots/', 'perplexity against effective MACs of a sweep, plus PNGs'),
  handler: async (args) => {
    process.stdout.write((await runReport(args)) + '\n');
  },
};

/** Runs the command and returns the text to print. */
export async function runReport(args: ReportArgs): Promise<string> {
  if (!/\.html?$/i.test(args.out)) throw new UserError(`--out ${args.out}: name an .html file (the report is one HTML page)`);
  const result = await buildReport(args.files.map(String), { out: args.out, pngDir: args.png });
  const plots = result.plots.length;
  return [
    result.text,
    '',
    `wrote ${args.out} (${plots} plot${plots === 1 ? '' : 's'}${args.png ? `; PNGs in ${args.png}` : ''})`,
    ...result.warnings.map((w) => `warning (plot renderer): ${w}`),
  ].join('\n');
}
