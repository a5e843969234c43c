import fs from 'fs';
import path from 'path';
import type { Argv, CommandModule } from 'yargs';
import { writeFileAtomic } from '../../models/atomic';
import { UserError } from '../../models/config';
import { DoesNotFit } from '../../compiler/fit';
import { loadCorpus } from '../../models/data';
import { Evaluation, evaluate } from '../../models/evaluate';
import { loadModel, saveModel } from '../../models/file';
import { LanguageModel } from '../../models/model';
import { PRETRAINED_PREFIX } from '../../models/pretrained';
import { measureWeightSparsity } from '../../models/sparsity';
import type { Corpus } from '../../models/data/corpus';
import { initParams } from '../../models/params';
import { Rng } from '../../models/rng';
import { DEFAULT_TRAIN_SETTINGS, TrainSettings } from '../../models/train';
import { newProvenance } from '../../pipeline/provenance';
import { nonNegativeInt, positiveInt } from '../../pipeline/flags';
import { Progress } from '../../format/progress';
import { comparisonTable, perplexityColumn } from '../reports';
import { buildReport } from '../../report/build';
import { formatTable } from '../../format/table';
import { ChipRun, DEFAULT_DECODER, compileAndSimulate, denseBaselines } from '../../pipeline/chip-runs';
import { BaselineReport } from '../../simulator/baseline';
import { SimReport } from '../../simulator/report';
import { si } from '../../format/si';
import { energySentence, lessOrMore } from '../../format/ratio';
import { finetuneSettings, pruneModel } from '../../pipeline/prune';
import { runTraining } from '../../pipeline/training';
import { evaluationJson } from './eval';
import { terminalPruneHooks } from './prune';
import { describeModel } from './train';
import { oldName } from '../old-names';

/**
 * The sparse-activity settings of examples/quality (weight decay 1.0, L1 activity penalty 1, embedding init ±1,
 * thresholds around 0.2): at the demo's size they gave test perplexity 317 at 7% / 17% activity, against 332 at
 * 73% / 45% with weight decay 0.1 and no penalty (150k tokens, measured 2026-11-28).
 */
const INIT = { thresholdInit: 0.2, embeddingInit: 1 };

/** The shipped models the demo starts from (pretrained/README.md): the converged EGRU and its 80% pruning. */
const SHIPPED = 'brown-egru';
const SHIPPED_PRUNED = 'brown-egru-p80';

export const demoCommand: CommandModule = {
  command: 'demo',
  describe: 'The main job on the embedded Brown corpus: the shipped 80%-pruned EGRU (pretrained:brown-egru-p80) compiled for loihi2, spinnaker2 and loihi, test tokens simulated on each, compared with dense baselines (--train: train and prune a small EGRU first)',
  builder: (y: Argv) =>
    oldName(y, 'tokens', 'train-tokens', 'number')
      .option('out-dir', { type: 'string', default: 'neuromap-out', describe: 'Folder for the models and report.json' })
      .option('train', { type: 'boolean', default: false, describe: 'Train a small EGRU from scratch (embedding 64, layers 128,128, vocabulary 5,000) and prune it, instead of starting from the shipped models' })
      .option('model', { type: 'string', describe: 'Prune this model (trained or imported; pretrained:NAME for a shipped one) instead of starting from the shipped pruned model' })
      .option('train-tokens', { type: 'number', default: 150000, describe: 'With --train: training tokens' })
      .option('sparsity', { type: 'number', default: 0.8, describe: 'With --train or --model: pruning target' })
      .option('eval-tokens', { type: 'number', default: 5000, describe: 'Test tokens evaluated at batch 1' })
      .option('sim-tokens', { type: 'number', default: 300, describe: 'Test tokens simulated on each target' })
      .option('targets', { type: 'string', default: 'loihi2,spinnaker2,loihi', describe: 'Targets to compile for and simulate, comma-separated (binary-spike ones, loihi, get bit-plane events)' })
      .option('decoder', {
        choices: ['host', 'chip'] as const, default: DEFAULT_DECODER,
        describe: 'Where the decoder runs: host (the published SpiNNaker2 deployment: the host receives the last layer’s events and decodes on its CPU) or chip (every logit crosses the host link each token)',
      })
      .option('seed', { type: 'number', default: 1, describe: 'Seed of every random choice' })
      .example('$0 demo', 'the quick start: the shipped models on three chips, about a minute')
      .example('$0 demo --train', 'the whole pipeline from scratch at a small size: train, prune, compile, simulate')
      .example('$0 demo --model m.egru --out-dir run1', 'prune and evaluate a model you trained'),
  handler: async (argv) => {
    const args = argv as unknown as Record<string, unknown>;
    const outDir = String(args['out-dir']);
    const seed = nonNegativeInt(args.seed, '--seed');
    const tokens = positiveInt(args['train-tokens'], '--train-tokens');
    const evalTokens = positiveInt(args['eval-tokens'], '--eval-tokens');
    fs.mkdirSync(outDir, { recursive: true });
    if (args.train && args.model) throw new UserError('give --train (train a small model from scratch) or --model FILE (prune that model), not both');
    const start = args.train || args.model ? trainAndPrune(args, outDir, seed, tokens, evalTokens) : shippedModels(evalTokens);
    const { model, pruned, prunedFile, dense, sparse, corpus } = start;
    const simTokens = positiveInt(args['sim-tokens'], '--sim-tokens');
    const decoder = args.decoder === 'chip' ? 'chip' : 'host';
    const runs: ChipRun[] = [];
    const refused: Refusal[] = [];
    for (const t of String(args.targets).split(',').map((x) => x.trim()).filter(Boolean)) {
      // A target whose cores cannot hold the model is a finding, not a failure of the whole job: say why and go on.
      try {
        runs.push(compileAndSimulate(pruned, path.basename(prunedFile), t, corpus.test, simTokens, outDir, seed, decoder, 'auto'));
      } catch (e) {
        if (!(e instanceof DoesNotFit)) throw e;
        refused.push({ target: t, reason: e.message.replace(/^the model /, '') });
      }
    }
    const baselines = denseBaselines(pruned);
    const report = {
      corpus: corpus.source, seed, eval_tokens: evalTokens, sim_tokens: simTokens,
      models: [
        { file: start.modelFile, ...evaluationJson(model, dense, 'unpruned') },
        { file: prunedFile, ...evaluationJson(pruned, sparse, 'pruned') },
      ],
      targets: runs.map((r) => ({ target: r.target, planes: r.planes, map: r.map, trace: r.trace, cores: r.cores, report: path.join(outDir, `${r.target}.json`), ...headline(r.report) })),
      refused,
      baselines,
    };
    writeFileAtomic(path.join(outDir, 'report.json'), JSON.stringify(report, null, 2) + '\n');
    const html = path.join(outDir, 'report.html');
    await buildReport([path.join(outDir, 'report.json'), ...runs.map((r) => path.join(outDir, `${r.target}.json`))], {
      out: html,
      notes: [
        `neuromap demo: ${start.origin}; corpus ${corpus.source}, seed ${seed}; ${evalTokens.toLocaleString('en-US')} test tokens evaluated per model, ` +
          `${simTokens.toLocaleString('en-US')} simulated per target; decoder on the ${decoder === 'chip' ? 'cores' : 'host CPU'}`,
        ...refused.map((r) => `${r.target}: not simulated, the pruned model ${r.reason}`),
      ],
    });
    process.stdout.write(
      [
        `${start.origin}; batch 1 over the first ${evalTokens.toLocaleString('en-US')} test tokens:`,
        comparisonTable([['unpruned', dense], [`pruned ${(100 * start.sparsity).toFixed(0)}%`, sparse]]),
        '',
        `${simTokens} test tokens simulated per target, decoder on the ${decoder === 'chip' ? 'cores (--decoder host leaves it to the host CPU)' : 'host CPU, charged on the dense-cpu model (--decoder chip puts it on the cores)'}:`,
        targetTable(runs, baselines),
        ...runs.map((r) => baselineSentence(r, baselines)),
        ...refused.map((r) => `${r.target}: not simulated, the pruned model ${r.reason}`),
        '',
        `wrote ${outDir}/: report.html, report.json, ${start.modelFile.startsWith(PRETRAINED_PREFIX) ? '' : 'models (*.egru), '}compiled maps (*.nmap), simulation reports and traces (open *.trace.json in Perfetto)`,
      ].join('\n') + '\n',
    );
  },
};

/** A target the pruned model does not fit, and the compiler's reason. */
interface Refusal {
  target: string;
  reason: string;
}

interface DemoStart {
  model: LanguageModel;
  modelFile: string;
  pruned: LanguageModel;
  prunedFile: string;
  /** Measured weight sparsity of the pruned model's prunable matrices. */
  sparsity: number;
  dense: Evaluation;
  sparse: Evaluation;
  corpus: Corpus;
  /** Where the models came from, for the table's heading. */
  origin: string;
}

/** The shipped models (pretrained/): nothing to train or prune. */
function shippedModels(evalTokens: number): DemoStart {
  const modelFile = `${PRETRAINED_PREFIX}${SHIPPED}`, prunedFile = `${PRETRAINED_PREFIX}${SHIPPED_PRUNED}`;
  const model = loadModel(modelFile), pruned = loadModel(prunedFile);
  const corpus = loadCorpus({ vocabSize: model.vocab.length });
  const dense = evaluateWithProgress(model, corpus.test, evalTokens, 'eval (unpruned)');
  const sparse = evaluateWithProgress(pruned, corpus.test, evalTokens, 'eval (pruned)');
  const sparsity = measureWeightSparsity(pruned.config, pruned.params).overall;
  return { model, modelFile, pruned, prunedFile, sparsity, dense, sparse, corpus, origin: `the shipped models ${modelFile} and ${prunedFile} (pretrained/README.md)` };
}

/** --train (a small EGRU from scratch) or --model FILE, then pruning with fine-tuning. */
function trainAndPrune(args: Record<string, unknown>, outDir: string, seed: number, tokens: number, evalTokens: number): DemoStart {
  const given = args.model ? loadModel(String(args.model)) : null;
  const corpus = loadCorpus({ vocabSize: given ? given.vocab.length : 5000 });
  if (given && corpus.vocab.join('\n') !== given.vocab.join('\n'))
    throw new UserError(`${args.model} was not trained on the embedded Brown corpus (its vocabulary differs); the demo evaluates on Brown`);
  const settings: TrainSettings = {
    ...DEFAULT_TRAIN_SETTINGS, maxTokens: tokens, validTokens: Math.min(10000, tokens), weightDecay: 1.0, activityPenalty: 1, seed,
    dropoutEmbedding: 0.05, dropoutHidden: 0.05, dropoutOutput: 0.1,
  };
  let model: LanguageModel;
  if (given) {
    model = given;
  } else {
    const config = {
      cell: 'egru' as const, vocabSize: corpus.vocab.length, emb: 64, layers: [128, 128], tied: false, projection: 0,
      surrogateGamma: 0.3, surrogateSupport: 10,
    };
    model = {
      config, params: initParams(config, new Rng(seed), INIT), masks: {}, vocab: corpus.vocab,
      provenance: newProvenance(corpus.source, seed, { ...settings, ...INIT }), metrics: {},
    };
    process.stderr.write(`demo: training ${describeModel(model)} on ${tokens} tokens of ${corpus.source}\n`);
    const r = runTraining(model, corpus.train, corpus.valid, settings, { label: 'train' });
    model.provenance.steps += r.steps;
    model.provenance.tokens += r.tokens;
    saveModel(path.join(outDir, 'model.egru'), model);
  }
  const dense = evaluateWithProgress(model, corpus.test, evalTokens, 'eval (unpruned)');
  const pruned: LanguageModel = structuredClone(model);
  const sparsity = Number(args.sparsity);
  process.stderr.write(`demo: pruning to ${(100 * sparsity).toFixed(0)}% in 2 rounds, fine-tuning ${Math.round(tokens / 5)} tokens each\n`);
  const prunedFile = path.join(outDir, `model-p${Math.round(100 * sparsity)}.egru`);
  pruneModel(pruned, sparsity, 2, finetuneSettings(settings, { epochs: 1, tokens: Math.round(tokens / 5) }),
    corpus.train, corpus.valid, prunedFile, terminalPruneHooks());
  saveModel(prunedFile, pruned);
  const sparse = evaluateWithProgress(pruned, corpus.test, evalTokens, 'eval (pruned)');
  const modelFile = given ? String(args.model) : path.join(outDir, 'model.egru');
  return {
    model, modelFile, pruned, prunedFile, sparsity, dense, sparse, corpus,
    origin: given ? `${modelFile}, pruned here` : `a ${describeModel(model)} trained and pruned here`,
  };
}

function headline(r: SimReport) {
  return {
    tokens: r.tokens, perplexity: r.perplexity, energy_per_token_j: r.energy_per_token_j, breakdown: r.breakdown,
    latency_per_token_s: r.latency_per_token_s, effective_macs_per_token: r.macs.effective_per_token,
    activity: r.layers.map((l) => l.activity), timestep: r.timestep, quantisation: r.quantisation ?? null,
  };
}

/** Per target: cores, energy per token and its parts, latency, effective MACs, activity, perplexity; then the dense baselines. */
function targetTable(runs: ChipRun[], baselines: BaselineReport[]): string {
  // The int8 map's fp32 perplexity is over the same simulated tokens (pipeline/quantisation.ts).
  const ppl = perplexityColumn('perplexity', runs.map((r) => ({
    perplexity: r.report.perplexity, tokens: r.report.tokens,
    extra: r.report.quantisation ? ` (fp32 ${r.report.quantisation.fp32_perplexity.toFixed(1)})` : undefined,
  })));
  const rows = runs.map((r, i) => {
    const p = r.report, b = p.breakdown;
    return [
      `${r.target} (${p.arithmetic}${r.planes > 1 ? `, ${r.planes} bit planes` : ''})`, String(r.cores), si(p.energy_per_token_j, 'J'),
      `syn ${si(b.synaptic, 'J')}, neu ${si(b.neuron, 'J')}, net ${si(b.network, 'J')}, sync ${si(b.sync, 'J')}, static ${si(b.static, 'J')}, host ${si(b.host, 'J')}`,
      si(p.latency_per_token_s, 's') + (p.timestep.ticks_per_step > 1 ? ` (${p.timestep.ticks_per_step.toFixed(1)} ticks of ${si(p.timestep.tick_s ?? 0, 's')})` : ''),
      Math.round(p.macs.effective_per_token).toLocaleString('en-US'),
      p.layers.map((l) => `${(100 * l.activity).toFixed(0)}%`).join(','),
      ppl.cells[i],
    ];
  });
  for (const b of baselines) {
    rows.push([b.baseline, '-', si(b.energy_per_token_j, 'J'), `compute ${si(b.breakdown.compute, 'J')}, memory ${si(b.breakdown.memory, 'J')}, static ${si(b.breakdown.static, 'J')}`,
      si(b.latency_per_token_s, 's'), b.dense_macs_per_token.toLocaleString('en-US') + ' (dense)', '-', '-']);
  }
  return formatTable(rows, {
    header: ['target', 'cores', 'energy/token', 'breakdown', 'latency/token', 'MACs/token', 'activity', ppl.header],
    align: ['left', 'right', 'right', 'left', 'right', 'right', 'right', 'right'],
  });
}

/** "loihi2 spends 9.9× less energy per token than dense-cpu, 35× less than dense-gpu": the answer at a glance. */
function baselineSentence(r: ChipRun, baselines: BaselineReport[]): string {
  const [first, ...rest] = baselines;
  if (!first) return '';
  const e = r.report.energy_per_token_j;
  return [energySentence(r.target, e, first.baseline, first.energy_per_token_j), ...rest.map((b) => `${lessOrMore(e, b.energy_per_token_j)} than ${b.baseline}`)].join(', ');
}

function evaluateWithProgress(model: LanguageModel, ids: Int32Array, maxTokens: number, label: string): Evaluation {
  const progress = new Progress(label);
  const e = evaluate(model.config, model.params, ids, {
    maxTokens, onProgress: (done, total) => progress.update({ fraction: done / total, fields: [`${done}/${total} tokens`] }),
  });
  progress.done();
  return e;
}
