/** Shipped models by name (models/pretrained.ts) and the decoder bias that starts at the unigram distribution. */
import { UserError } from '../models/config';
import { logUnigram } from '../models/params';
import { PRETRAINED_DIR, resolveModelPath } from '../models/pretrained';

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
