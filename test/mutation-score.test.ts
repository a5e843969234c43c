import { percent, score, scoreTable, type Tally } from '../scripts/mutation/score';

const tally = (killed: number, timeout: number, survived: number, noCoverage: number): Tally =>
  ({ killed, timeout, survived, noCoverage, ignored: 0, invalid: 0 });

describe('mutation score as printed', () => {
  it('is cut, not rounded, to two decimals: a score just under 85% never prints as 85', () => {
    // compiler/ on 2026-12-04: (2229 + 346) / (2229 + 346 + 404 + 52) = 2575 / 3031 = 84.9554…%.
    expect(percent(score(tally(2229, 346, 404, 52)))).toBe('84.95%');
    // 1999 / 2000 = 99.95% exactly; 19999 / 20000 = 99.995% is cut to 99.99, not rounded to 100.00.
    expect(percent(score(tally(1999, 0, 1, 0)))).toBe('99.95%');
    expect(percent(score(tally(19999, 0, 1, 0)))).toBe('99.99%');
    expect(percent(score(tally(3, 0, 0, 0)))).toBe('100.00%');
    // 1 / 3 = 33.333…% → 33.33%; 2 / 3 = 66.666…% → 66.66% (rounding would give 66.67).
    expect(percent(score(tally(1, 0, 2, 0)))).toBe('33.33%');
    expect(percent(score(tally(1, 1, 1, 0)))).toBe('66.66%');
  });

  it('says when nothing was scored instead of printing NaN%', () => {
    expect(percent(score(tally(0, 0, 0, 0)))).toBe('n/a (none scored)');
  });

  it('sums files into folders and the whole in the table', () => {
    // a/x: 2 killed, 1 survived; a/y: 1 timeout, 1 uncovered; b/z: 1 killed. a/ = 3 of 5 = 60%, all = 4 of 6 = 66.66%.
    const table = scoreTable(new Map([['a/x.ts', tally(2, 0, 1, 0)], ['a/y.ts', tally(0, 1, 0, 1)], ['b/z.ts', tally(1, 0, 0, 0)]]));
    expect(table).toContain('| a/x.ts | 2 | 0 | 1 | 0 | 0 | 0 | 66.66% |');
    expect(table).toContain('| a/y.ts | 0 | 1 | 0 | 1 | 0 | 0 | 50.00% |');
    expect(table).toContain('| **a/** | 2 | 1 | 1 | 1 | 0 | 0 | 60.00% |');
    expect(table).toContain('| **all** | 3 | 1 | 1 | 1 | 0 | 0 | 66.66% |');
  });
});
