import type { Argv, CommandModule } from 'yargs';
import { writeFilesAtomic } from '../../models/atomic';
import { csvText, type CsvRecord } from '../../format/csv';
import { Evaluation, evaluate } from '../../models/evaluate';
import { loadModel } from '../../models/file';
import { resolveModelPath } from '../../models/pretrained';
import { checkOutputs } from '../../format/outputs';
import { LanguageModel } from '../../models/model';
import { Progress } from '../../format/progress';
import { tokenIds } from '../../pipeline/token-ids';
import { nonNegativeInt } from '../../pipeline/flags';
import { evaluationTable } from '../reports';
import { layerName } from '../../models/params';
import { oldName } from '../old-names';

export const evalCommand: CommandModule = {
  command: 'eval <model>',
  describe: 'Perplexity, per-layer activity and MACs at batch 1 (the paper’s accounting)',
  builder: (y: Argv) =>
    oldName(y, 'max-tokens', 'eval-tokens', 'number')
      .positional('model', { type: 'string', demandOption: true, describe: 'Model file (*.egru)' })
      .option('data', { type: 'string', describe: 'Penn-Treebank-format directory to read --split from (default: the embedded Brown corpus)' })
      .option('split', { choices: ['train', 'valid', 'test'] as const, default: 'test' as const, describe: 'Which split of the corpus' })
      .option('text', { type: 'string', describe: 'Evaluate one text file instead (one sentence a line), through the model’s vocabulary' })
      .option('eval-tokens', { type: 'number', default: 0, describe: 'Stop after this many predicted tokens (0: all)' })
      .option('json', { type: 'string', describe: 'Also write the results as JSON here' })
      .option('csv', { type: 'string', describe: 'Also write one CSV row per layer here (activity, and MACs per token as macs.by_layer has them)' })
      .conflicts('text', ['data'])
      .example('$0 eval m.egru --eval-tokens 5000 --json eval.json', 'first 5,000 test tokens of the embedded corpus')
      .example('$0 eval m.egru --text my.txt', 'a text of your own')
      .example('$0 eval m.egru --eval-tokens 5000 --csv layers.csv', 'per-layer activity and MACs for a spreadsheet'),
  handler: (argv) => {
    const args = argv as unknown as Record<string, unknown>;
    // -1, NaN or abc used to evaluate the whole split with exit 0; refused before the model loads.
    const maxTokens = nonNegativeInt(args['eval-tokens'], '--eval-tokens');
    checkOutputs([resolveModelPath(String(args.model)), args.text as string | undefined], [
      { flag: '--json', file: args.json as string | undefined }, { flag: '--csv', file: args.csv as string | undefined },
    ]);
    const model = loadModel(String(args.model));
    const ids = tokenIds(model.vocab, { text: args.text as string | undefined, data: args.data as string | undefined, split: String(args.split) });
    const progress = new Progress('eval');
    const result = evaluate(model.config, model.params, ids, {
      maxTokens,
      onProgress: (done, total) => progress.update({ fraction: done / total, fields: [`${done}/${total} tokens`] }),
    });
    progress.done();
    const json = evaluationJson(model, result, String(args.model));
    writeFilesAtomic([
      ...(args.json ? [{ file: String(args.json), data: JSON.stringify(json, null, 2) + '\n' }] : []),
      ...(args.csv ? [{ file: String(args.csv), data: csvText(layerRecords(json)) }] : []),
    ]);
    process.stdout.write(evaluationTable(result) + '\n');
  },
};

export function evaluationJson(model: LanguageModel, e: Evaluation, file: string) {
  return {
    model: file,
    config: model.config,
    tokens: e.tokens,
    loss: e.loss,
    perplexity: e.perplexity,
    mean_activity: e.mean_activity,
    layers: e.layers.map((l) => ({ layer: l.layer, name: layerName(l.layer), units: l.units, events: l.events, activity: l.activity, unit_events: l.unit_events, raster: l.raster })),
    macs: e.macs,
    neurobench: e.neurobench,
  };
}

/**
 * `eval --csv`: one row per layer that has MACs (EGRU layers, then projection
 * and decoder), with `layer`, `name`, `units`, `events` and `activity` as `layers[]` has them (empty for a layer
 * without events) and `macs_dense`, `macs_effective`, `macs_reduction` per token as `macs.by_layer[]` has them.
 */
export function layerRecords(json: Pick<ReturnType<typeof evaluationJson>, 'layers' | 'macs'>): CsvRecord[] {
  return json.macs.by_layer.map((m) => {
    const l = json.layers.find((x) => x.name === m.name);
    return {
      layer: l?.layer, name: m.name, units: l?.units, events: l?.events, activity: l?.activity,
      macs_dense: m.dense, macs_effective: m.effective, macs_reduction: m.reduction,
    };
  });
}
