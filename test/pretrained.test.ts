/**
 * Shipped models by name (models/pretrained.ts), their cards (pretrained/README.md, whose perplexities
 * examples/brown-models/run.sh eval re-measures over the whole test split), and the decoder bias that starts at the
 * unigram distribution.
 */
import { createHash } from 'crypto';
import fs from 'fs';
import { UserError } from '../models/config';
import { loadModel } from '../models/file';
import { logUnigram } from '../models/params';
import { PRETRAINED_DIR, pretrainedNames, resolveModelPath } from '../models/pretrained';
import { measureWeightSparsity } from '../models/sparsity';

describe('pretrained:NAME', () => {
  it('leaves a path alone and resolves a shipped name into pretrained/', () => {
    expect(resolveModelPath('runs/m.egru')).toBe('runs/m.egru');
    expect(() => resolveModelPath('pretrained:no-such-model')).toThrow(UserError);
    expect(() => resolveModelPath('pretrained:no-such-model')).toThrow(/no pretrained model "no-such-model"/);
    // A name may not climb out of the folder.
    expect(() => resolveModelPath('pretrained:../package')).toThrow(UserError);
    expect(PRETRAINED_DIR.endsWith('pretrained')).toBe(true);
  });
});

describe('the unigram decoder bias', () => {
  it('is the log of the add-one unigram distribution', () => {
    // Tokens 0, 0, 1 over a vocabulary of 3: counts + 1 = 3, 2, 1 out of 3 + 3 = 6.
    const b = logUnigram(Int32Array.from([0, 0, 1]), 3);
    expect(b[0]).toBeCloseTo(Math.log(3 / 6), 6);
    expect(b[1]).toBeCloseTo(Math.log(2 / 6), 6);
    expect(b[2]).toBeCloseTo(Math.log(1 / 6), 6);
  });
});

describe('the shipped models and their cards', () => {
  const cards = fs.readFileSync(`${PRETRAINED_DIR}/README.md`, 'utf8').split(/^## /m).slice(1);

  it('has a card for every file, whose sha256 and weight sparsity are the file\'s own', () => {
    expect(cards.map((c) => c.split('\n')[0].trim())).toEqual(pretrainedNames());
    expect(pretrainedNames()).toEqual(['brown-egru', 'brown-egru-p80', 'brown-egru-p90']);
    for (const card of cards) {
      const name = card.split('\n')[0].trim();
      const bytes = fs.readFileSync(`${PRETRAINED_DIR}/${name}.egru`);
      expect(bytes.length).toBeLessThanOrEqual(20e6);
      expect(card).toContain(createHash('sha256').update(bytes).digest('hex'));
      const model = loadModel(`pretrained:${name}`);
      const sparsity = measureWeightSparsity(model.config, model.params).overall;
      expect(card).toContain(`| weight sparsity | ${(100 * sparsity).toFixed(1)}% of the prunable weights`);
    }
  });
});
