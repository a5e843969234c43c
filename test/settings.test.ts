/**
 * models/settings.ts is the one place a model or training setting's default and range are written: `neuromap
 * train`'s flags and a sweep file must take the same values, refuse the same ones with the same words, and start
 * from the same defaults (they did not: a sweep started the decoder bias at 0 where train starts it at the log
 * unigram distribution, and took a threshold mean of 0 that train refused).
 */
import path from 'path';
import yargs from 'yargs';
import { DEFAULT_TRAIN_SETTINGS } from '../models/train';
import { configFromArgs, initFromArgs, modelOptions, trainSettingsFromArgs, trainingOptions } from '../pipeline/flags';
import { parseSweepConfig } from '../sweep/config';
import { expandGrid } from '../sweep/grid';

/** The flags `neuromap train` would see with none given (yargs fills in every default). */
function trainFlags(argv: string[] = []): Record<string, unknown> {
  return trainingOptions(modelOptions(yargs(argv))).parseSync() as Record<string, unknown>;
}

function sweepPoint(config: object) {
  return expandGrid(parseSweepConfig(JSON.stringify(config), path.join('/tmp', 'settings.json')))[0];
}

describe('one set of training settings', () => {
  it('keeps the library defaults it had (written out by hand, not read from the table)', () => {
    expect(DEFAULT_TRAIN_SETTINGS).toEqual({
      batch: 32, bptt: 35, lr: 2e-3, minLr: 1e-4, constantFraction: 0.5, weightDecay: 0.01, beta1: 0.9, beta2: 0.999,
      clip: 0.25, dropoutEmbedding: 0.1, dropoutHidden: 0.1, dropoutOutput: 0.2, dropConnect: 0, activityPenalty: 0,
      thresholdLrScale: 1, epochs: 1, maxTokens: 0, validTokens: 0, evalEvery: 0, seed: 1, threads: 1,
    });
  });

  it('a sweep point with no settings trains what `neuromap train` with no flags would', () => {
    const point = sweepPoint({ seed: 1 });
    const flags = trainFlags();
    const cli = trainSettingsFromArgs(flags);
    // The sweep derives each point's seed from its own, and runs one thread per worker.
    expect({ ...point.train.settings, seed: 0, threads: 0 }).toEqual({ ...cli, seed: 0, threads: 0 });
    expect(point.train.config).toEqual(configFromArgs(flags, 10000));
    expect(point.train.init).toEqual({ ...initFromArgs(flags), decoderBias: 'unigram' });
    // A sweep may still ask for the zero bias, and such a point keeps the key it had before the default moved.
    expect(sweepPoint({ seed: 1, model: { 'decoder-bias-init': 'zero' } }).train.init).toEqual({ thresholdInit: 0.05, embeddingInit: 0.1 });
  });

  it.each([
    ['lr', -1, 'must be greater than 0'],
    ['batch', 2.5, 'must be a positive integer'],
    ['train-tokens', -3, 'must be a non-negative integer'],
    ['dropout-emb', 1, 'must be in [0, 1)'],
    ['constant-fraction', 1.5, 'must be in [0, 1]'],
    ['clip', -0.5, 'must be 0 or more'],
  ])('refuses --%s %p in the train flags and in a sweep file with the same words', (name, value, words) => {
    expect(() => trainSettingsFromArgs({ ...trainFlags(), [name]: value })).toThrow(`--${name} ${words} (got ${value})`);
    expect(() => sweepPoint({ train: { [name]: value } })).toThrow(`train.${name}: ${words}`);
  });

  it.each([
    ['threshold-init', 0, 'must be in (0, 1)'],
    ['embedding-init', 0, 'must be greater than 0'],
    ['surrogate-support', -1, 'must be greater than 0'],
  ])('refuses model setting --%s %p in both places with the same words', (name, value, words) => {
    const refuse = () => {
      const flags = { ...trainFlags(), [name]: value };
      configFromArgs(flags, 100);
      initFromArgs(flags);
    };
    expect(refuse).toThrow(`--${name} ${words} (got ${value})`);
    expect(() => sweepPoint({ model: { [name]: value } })).toThrow(`model.${name}: ${words}`);
  });

  it('takes a flag given on the command line over its default, and the sweep file likewise', () => {
    expect(trainSettingsFromArgs(trainFlags(['--lr', '0.003', '--weight-decay', '0.1,0.5'])).lr).toBe(0.003);
    expect(trainSettingsFromArgs(trainFlags(['--weight-decay', '0.1,0.5'])).weightDecay).toEqual([0.1, 0.5]);
    expect(sweepPoint({ train: { lr: 0.003 } }).train.settings.lr).toBe(0.003);
  });
});
