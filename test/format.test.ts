import { si, siScale } from '../format/si';
import { energySentence, lessOrMore } from '../format/ratio';
import { formatCountOf } from '../format/table';

// Known answers worked out by hand: the prefix is the largest power of 1000 not above |x|, three significant digits.
describe('si', () => {
  it('picks the prefix of the value itself', () => {
    expect(si(0.00123, 'J')).toBe('1.23 mJ'); // 1.23e-3 ≥ 1e-3
    expect(si(4.56e-5, 's')).toBe('45.6 µs'); // 4.56e-5 < 1e-3, ≥ 1e-6 → 45.6 µ
    expect(si(3320, 'B')).toBe('3.32 kB');
    expect(si(-2.5e-9, 'J')).toBe('-2.50 nJ'); // the sign does not change the prefix
    expect(si(0, 'J')).toBe('0 J');
  });
  it('falls back to the smallest prefix below the table', () => {
    expect(si(5e-15, 'J')).toBe('0.00500 pJ'); // 5e-15 / 1e-12
  });
});

describe('siScale', () => {
  it('chooses one prefix for a whole axis from its largest magnitude', () => {
    // max |x| = 3.2e-6 → µ, factor 1e6
    const s = siScale([1e-7, -3.2e-6, 2e-6], 'J');
    expect(s.unit).toBe('µJ');
    expect(s.factor).toBeCloseTo(1e6, 6);
  });
  it('keeps the bare unit for an all-zero or empty axis and ignores non-finite values', () => {
    expect(siScale([0, 0], 's')).toEqual({ factor: 1, unit: 's' });
    expect(siScale([], 's')).toEqual({ factor: 1, unit: 's' });
    expect(siScale([Infinity, 2500], 'B').unit).toBe('kB');
  });
});

// Worked by hand from issue 13's figures: a 145 µJ CPU baseline against 260 µJ and 20.1 µJ simulated.
describe('lessOrMore', () => {
  it('says how many times less or more, never a fraction of the other', () => {
    expect(lessOrMore(260e-6, 145e-6)).toBe('1.79× more'); // 260 / 145 = 1.7931 (the old text said "0.558× the")
    expect(lessOrMore(20.1e-6, 145e-6)).toBe('7.21× less'); // 145 / 20.1 = 7.2139
    expect(lessOrMore(77.8e-6, 2.72e-3)).toBe('35× less'); // 2720 / 77.8 = 34.96 → 35.0 → "35"
    expect(lessOrMore(3, 3)).toBe('the same');
    expect(lessOrMore(0, 3)).toBe('incomparable');
  });
  it('makes the sentence a reader wants', () => {
    expect(energySentence('loihi2', 77.8e-6, 'dense-cpu', 773e-6)).toBe('loihi2 spends 9.94× less energy per token than dense-cpu'); // 773 / 77.8 = 9.936
  });
});

describe('formatCountOf', () => {
  it('says one thing in the singular and every other count, zero too, in the plural', () => {
    expect(formatCountOf(1, 'route')).toBe('1 route');
    expect(formatCountOf(0, 'link')).toBe('0 links');
    expect(formatCountOf(2, 'group table')).toBe('2 group tables');
    expect(formatCountOf(1234, 'route')).toBe('1,234 routes');
    expect(formatCountOf(3, 'matrix', 'matrices')).toBe('3 matrices');
    expect(formatCountOf(1, 'matrix', 'matrices')).toBe('1 matrix');
  });
});
