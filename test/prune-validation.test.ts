/**
 * `prune` validates once per round: a fine-tuned round takes its figure from the fine-tuning's own validation of
 * the parameters it ends on, a one-shot round validates once itself. Counted: the fine-tuning's validations
 * through its onEval hook, prune's own through models/train's validationLoss wrapped in a counting jest.fn (the
 * real function runs).
 */
import { fixtureConfig, randomModel } from './fixtures/model';
import { Rng } from '../models/rng';
import * as train from '../models/train';
import { DEFAULT_TRAIN_SETTINGS, type EvalInfo, type TrainSettings } from '../models/train';
import { pruneModel } from '../pipeline/prune';

jest.mock('../models/train', () => {
  const actual = jest.requireActual('../models/train');
  return { ...actual, validationLoss: jest.fn(actual.validationLoss) };
});

const config = fixtureConfig({ layers: [8, 6], emb: 5, vocabSize: 10 });
const rng = new Rng(21);
const trainIds = Int32Array.from({ length: 400 }, () => rng.int(config.vocabSize));
const validIds = Int32Array.from({ length: 60 }, () => rng.int(config.vocabSize));
// 400 tokens in 4 streams: 99 inputs each, 13 BPTT windows of 8 an epoch. 64 tokens a round are 2 steps of 4 × 8,
// inside one epoch and with no --eval-every: the fine-tuning validates once, after its last step.
const finetune: TrainSettings = {
  ...DEFAULT_TRAIN_SETTINGS, batch: 4, bptt: 8, maxTokens: 64, lr: 0.01, weightDecay: 0.1, evalEvery: 0, seed: 2, constantFraction: 0,
};
const ownChecks = train.validationLoss as unknown as jest.Mock;

describe('prune validates once per round', () => {
  beforeEach(() => ownChecks.mockClear());

  it('with fine-tuning: the fine-tuning’s one validation per round is the round’s figure, none more', () => {
    const evals: EvalInfo[][] = [[], [], []];
    const rounds = pruneModel(randomModel(config, { seed: 5 }), 0.8, 3, finetune, trainIds, validIds, 'p.egru', {
      finetuning: (round) => ({ onEval: (e) => evals[round].push(e) }),
    });
    expect(evals.map((e) => e.length)).toEqual([1, 1, 1]);
    expect(ownChecks).not.toHaveBeenCalled();
    rounds.forEach((r, i) => {
      expect(r.validPerplexity).toBe(evals[i][0].validPerplexity);
      expect(r.activity).toEqual(evals[i][0].activity);
    });
  });

  it('one-shot (no fine-tuning): one validation of its own per round', () => {
    const rounds = pruneModel(randomModel(config, { seed: 5 }), 0.8, 3, null, trainIds, validIds, 'p.egru', {});
    expect(rounds).toHaveLength(3);
    expect(ownChecks).toHaveBeenCalledTimes(3);
  });
});
