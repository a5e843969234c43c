/**
 * One sweep point, start to finish, in a worker: trained model (cached per training key) → pruned to the
 * point's level → evaluated at batch 1 → compiled and simulated on each target → its result line.
 */
import fs from 'fs';
import path from 'path';
import { UserError } from '../models/config';
import { Corpus, loadCorpus } from '../models/data';
import { evaluate } from '../models/evaluate';
import { loadModel, saveModel } from '../models/file';
import { LanguageModel } from '../models/model';
import { prunableSparsity } from '../models/prune';
import { TrainSettings } from '../models/train';
import { compileAndSimulate, denseBaselines } from '../pipeline/chip-runs';
import { PruneRound, finetuneSettings as finetuneRule, pruneModel, roundLine } from '../pipeline/prune';
import { SweepPoint } from './grid';
import { ResultLine, TargetResult } from './line';
import { pointDir, trainedModelFile } from './paths';
import { TrainHooks, trainedModel } from './train-cached';

export interface PointHooks extends TrainHooks {
  worker: number;
  phase(phase: string): void;
  /** The trained model is cached: other points of the same training key may start. */
  trained(): void;
}

const corpora = new Map<string, Corpus>();
/** A worker loads each corpus once (the embedded one takes seconds) and keeps it for its later points. */
function corpusFor(point: SweepPoint): Corpus {
  const id = `${point.train.data ?? ''}\u0000${point.train.vocabSize}`;
  let c = corpora.get(id);
  if (!c) corpora.set(id, (c = loadCorpus({ data: point.train.data, vocabSize: point.train.vocabSize })));
  return c;
}

export function runPoint(point: SweepPoint, outDir: string, hooks: PointHooks): ResultLine {
  const startedAt = new Date();
  const seconds = { train: 0, prune: 0, eval: 0, simulate: 0 };
  const timed = <T>(phase: keyof typeof seconds, f: () => T): T => {
    hooks.phase(phase);
    const t0 = process.hrtime.bigint();
    try {
      return f();
    } finally {
      seconds[phase] += Number(process.hrtime.bigint() - t0) / 1e9;
    }
  };
  const corpus = timed('train', () => corpusFor(point));
  const { model: trained, trainedHere } = timed('train', () => trainedModel(outDir, point.trainKey, point.train, corpus, hooks));
  hooks.trained();
  const dir = path.join(outDir, pointDir(point.key));
  fs.mkdirSync(dir, { recursive: true });

  let model: LanguageModel = trained;
  let modelFile = trainedModelFile(point.trainKey);
  let rounds: PruneRound[] = [];
  if (point.prune.sparsity > 0) {
    modelFile = path.join(pointDir(point.key), 'model.egru');
    ({ model, rounds } = timed('prune', () => prunePoint(point, trained, corpus, outDir, modelFile, hooks)));
  }

  const e = timed('eval', () =>
    evaluate(model.config, model.params, corpus.test, {
      maxTokens: point.evalTokens, onProgress: (done, total) => hooks.progress(done / total, [`${done}/${total} tokens`]),
    }));

  const targets: TargetResult[] = point.targets.map((target) => timed('simulate', () => simulateOn(model, modelFile, target, corpus.test, point, outDir)));
  return {
    key: point.key, train_key: point.trainKey, point: point.axes,
    seed: { config: point.configSeed, train: point.train.settings.seed, point: point.seed },
    corpus: corpus.source,
    model: {
      config: model.config, trained: trainedModelFile(point.trainKey), file: modelFile, train_tokens: trained.provenance.tokens,
      best_valid_perplexity: typeof trained.metrics.best_valid_perplexity === 'number' ? trained.metrics.best_valid_perplexity : null,
      sparsity: prunableSparsity(model.config, model.params), pruning: rounds,
    },
    eval: {
      tokens: e.tokens, loss: e.loss, perplexity: e.perplexity, mean_activity: e.mean_activity,
      activity: e.layers.map((l) => l.activity), macs: e.macs,
    },
    targets,
    baselines: point.targets.length
      ? denseBaselines(model).map((b) => ({
          baseline: b.baseline, energy_per_token_j: b.energy_per_token_j, latency_per_token_s: b.latency_per_token_s, dense_macs_per_token: b.dense_macs_per_token,
        }))
      : [],
    run: { worker: hooks.worker, trained_here: trainedHere, started_at: startedAt.toISOString(), finished_at: new Date().toISOString(), seconds },
  };
}

/**
 * Prunes a copy of the trained model into `modelFile` (relative to the sweep folder), continuing from its
 * checkpoint when an earlier run was stopped there. A stop request (Ctrl-C) stops at the next fine-tuning step
 * (or round) with a checkpoint and a StoppedError: the point resumes from it next time.
 */
function prunePoint(
  point: SweepPoint, trained: LanguageModel, corpus: Corpus, outDir: string, modelFile: string, hooks: PointHooks,
): { model: LanguageModel; rounds: PruneRound[] } {
  const file = path.join(outDir, modelFile);
  const ckpt = `${file}.ckpt`;
  const model = fs.existsSync(ckpt) ? loadModel(ckpt) : structuredClone(trained);
  const rounds = pruneModel(model, point.prune.sparsity, point.prune.steps, finetuneSettings(point), corpus.train, corpus.valid, modelFile, {
    shouldStop: hooks.shouldStop,
    finetuning: (round, n) => ({
      onStep: (s) => hooks.progress((round + s.step / s.totalSteps) / n, [`round ${round + 1}/${n}`, `step ${s.step}/${s.totalSteps}`, `${s.tokensPerSecond.toFixed(0)} tok/s`]),
    }),
    onCheckpoint: (m) => saveModel(ckpt, m),
    checkpointSeconds: 30,
    // The worker's stderr goes to the sweep's log.
    onRound: (...round) => process.stderr.write(`${roundLine(...round)}\n`),
  }, point.prune.scope);
  saveModel(file, model);
  fs.rmSync(ckpt, { force: true });
  return { model, rounds };
}

/** Fine-tuning as `neuromap prune` does it (pipeline/prune.ts finetuneSettings), seeded by the point. */
function finetuneSettings(point: SweepPoint): TrainSettings | null {
  const { finetuneTokens, lr } = point.prune;
  if (finetuneTokens === 0) return null;
  return finetuneRule({ ...point.train.settings, seed: point.seed }, { epochs: 1, tokens: finetuneTokens, lr });
}

function simulateOn(model: LanguageModel, modelFile: string, target: string, test: Int32Array, point: SweepPoint, outDir: string): TargetResult {
  const dir = path.join(outDir, pointDir(point.key));
  try {
    const run = compileAndSimulate(model, path.basename(modelFile), target, test, point.simTokens, dir, point.seed, point.decoder);
    const r = run.report;
    return {
      target, cores: run.cores, arithmetic: r.arithmetic, decoder: r.decoder, tokens: r.tokens, perplexity: r.perplexity,
      energy_per_token_j: r.energy_per_token_j, breakdown: { ...r.breakdown }, latency_per_token_s: r.latency_per_token_s,
      effective_macs_per_token: r.macs.effective_per_token, activity: r.layers.map((l) => l.activity),
      map: path.relative(outDir, run.map), report: path.relative(outDir, path.join(dir, `${target}.json`)),
    };
  } catch (err) {
    // A model that does not fit a target is a result of the sweep, not a failure of the point.
    if (err instanceof UserError) return { target, error: err.message };
    throw err;
  }
}
