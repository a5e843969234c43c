import { si, siScale } from '../format/si';

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
