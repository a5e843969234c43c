/**
 * The training part of a point: load the cached model of its training key, or train it (continuing from the
 * key's checkpoint if an earlier run was interrupted) and cache it. Calls models/train.ts directly rather than
 * pipeline/training.ts because a worker thread gets no SIGINT and has no terminal: stopping is a shared flag
 * polled every step, and progress goes to the main thread.
 */
import fs from 'fs';
import path from 'path';
import { Corpus } from '../models/data';
import { loadModel, saveModel } from '../models/file';
import { LanguageModel, isPruningResume } from '../models/model';
import { initParams } from '../models/params';
import { Rng } from '../models/rng';
import { StoppedError, train } from '../models/train';
import { newProvenance } from '../pipeline/provenance';
import { TrainSpec } from './grid';
import { checkpointFile, trainedModelFile } from './paths';

export interface TrainHooks {
  shouldStop(): boolean;
  progress(fraction: number, fields: string[]): void;
}

export interface CachedModel {
  model: LanguageModel;
  /** False when the model came from the cache. */
  trainedHere: boolean;
}

export function trainedModel(outDir: string, trainKey: string, spec: TrainSpec, corpus: Corpus, hooks: TrainHooks): CachedModel {
  const file = path.join(outDir, trainedModelFile(trainKey));
  if (fs.existsSync(file)) return { model: loadModel(file), trainedHere: false };
  const ckpt = path.join(outDir, checkpointFile(trainKey));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let model: LanguageModel;
  if (fs.existsSync(ckpt)) {
    model = loadModel(ckpt);
    // For the sweep's log: this training goes on where an interrupted one (here, or on another worker) stopped.
    process.stdout.write(`training ${trainKey}: resuming from its checkpoint at step ${model.training && !isPruningResume(model.training) ? model.training.step : '?'}\n`);
  } else {
    const config = { ...spec.config, vocabSize: corpus.vocab.length };
    model = {
      config, masks: {}, vocab: corpus.vocab,
      params: initParams(config, new Rng(spec.settings.seed), { ...spec.init, unigramTokens: spec.init.decoderBias === 'unigram' ? corpus.train : undefined }),
      provenance: newProvenance(corpus.source, spec.settings.seed, { ...spec.settings, ...spec.init, sweepTrainKey: trainKey }), metrics: {},
    };
  }
  let loss = NaN;
  const result = train(model, corpus.train, corpus.valid, spec.settings, {
    checkpointSeconds: 30,
    onCheckpoint: (m) => saveModel(ckpt, m),
    shouldStop: hooks.shouldStop,
    onStep: (s) => {
      loss = Number.isNaN(loss) ? s.loss : 0.95 * loss + 0.05 * s.loss;
      hooks.progress(s.step / s.totalSteps, [`step ${s.step}/${s.totalSteps}`, `${s.tokensPerSecond.toFixed(0)} tok/s`, `loss ${loss.toFixed(3)}`]);
    },
  });
  if (!result.finished) throw new StoppedError();
  model.provenance.steps += result.steps;
  model.provenance.tokens += result.tokens;
  model.metrics = { ...model.metrics, best_valid_perplexity: result.bestValidPerplexity, history: result.history };
  saveModel(file, model);
  fs.rmSync(ckpt, { force: true });
  return { model, trainedHere: true };
}
