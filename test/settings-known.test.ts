/**
 * models/settings.ts's two functions by known answers, called inside each test (DEFAULT_TRAIN_SETTINGS is worked
 * out when the module loads, which mutation testing cannot credit): trainSettingsFrom with nothing given (every
 * default, written out by hand, and Adam's fixed betas), with some values given (taken over the defaults, each
 * under its TrainSettings field name), and with a value out of range (the problem callback handed the setting's
 * name, its schema's words and the value); checkSetting on one setting's schema.
 */
import { MODEL_SETTINGS, TRAINING_SETTINGS, checkSetting, trainSettingsFrom } from '../models/settings';

const never = (name: string, message: string) => new Error(`unexpected: ${name} ${message}`);

describe('trainSettingsFrom', () => {
  it('fills every field from its default, with Adam\'s betas 0.9 and 0.999', () => {
    expect(trainSettingsFrom({}, never)).toEqual({
      beta1: 0.9, beta2: 0.999,
      epochs: 1, maxTokens: 0, batch: 32, bptt: 35, lr: 2e-3, minLr: 1e-4, constantFraction: 0.5, weightDecay: 0.01,
      clip: 0.25, dropoutEmbedding: 0.1, dropoutHidden: 0.1, dropoutOutput: 0.2, dropConnect: 0, activityPenalty: 0,
      thresholdLrScale: 1, validTokens: 0, evalEvery: 0, seed: 1, threads: 1,
    });
  });

  it('takes the values given over the defaults, under their field names', () => {
    const s = trainSettingsFrom({ lr: 0.5, 'train-tokens': 1000, 'dropout-emb': 0, 'weight-decay': [0.1, 2], 'constant-fraction': 1 }, never);
    expect([s.lr, s.maxTokens, s.dropoutEmbedding, s.weightDecay, s.constantFraction]).toEqual([0.5, 1000, 0, [0.1, 2], 1]);
    // The others keep their defaults.
    expect([s.batch, s.minLr, s.beta1]).toEqual([32, 1e-4, 0.9]);
  });

  it('hands a value out of range to `problem` with the setting\'s name and its schema\'s words, and throws what it returns', () => {
    const seen: unknown[][] = [];
    const problem = (name: string, message: string, value: unknown) => (seen.push([name, message, value]), new Error(`--${name} ${message}`));
    expect(() => trainSettingsFrom({ batch: 32, bptt: 0 }, problem)).toThrow('--bptt must be a positive integer');
    expect(seen).toEqual([['bptt', 'must be a positive integer', 0]]);
    expect(() => trainSettingsFrom({ 'weight-decay': [] }, problem)).toThrow('--weight-decay must have at least one value');
    expect(() => trainSettingsFrom({ 'weight-decay': 'x' }, problem)).toThrow('--weight-decay must be a number ≥ 0, or a list of them, one per recurrent layer');
  });
});

describe('checkSetting', () => {
  it('returns the value a schema accepts and words the first problem of one it refuses', () => {
    const problem = (name: string, message: string, value: unknown) => new Error(`${name}: ${message} (got ${JSON.stringify(value)})`);
    expect(checkSetting('emb', MODEL_SETTINGS.emb, 7, problem)).toBe(7);
    expect(checkSetting('cell', MODEL_SETTINGS.cell, 'lstm', problem)).toBe('lstm');
    expect(() => checkSetting('emb', MODEL_SETTINGS.emb, 0, problem)).toThrow('emb: must be a positive integer (got 0)');
    expect(() => checkSetting('dropconnect', TRAINING_SETTINGS.dropconnect, 1, problem)).toThrow('dropconnect: must be in [0, 1) (got 1)');
    expect(() => checkSetting('threshold-init', MODEL_SETTINGS['threshold-init'], '0.5', problem)).toThrow('threshold-init: must be in (0, 1) (got "0.5")');
  });
});
