import { Rng } from '../models/rng';

describe('Rng', () => {
  it('repeats a sequence from the same seed and differs across seeds', () => {
    const a = new Rng(42), b = new Rng(42), c = new Rng(43);
    const sa = Array.from({ length: 8 }, () => a.nextU32());
    const sb = Array.from({ length: 8 }, () => b.nextU32());
    const sc = Array.from({ length: 8 }, () => c.nextU32());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
  });

  it('resumes exactly from a saved state', () => {
    const a = new Rng(7);
    a.normal();
    const state = a.getState();
    const next = [a.normal(), a.next(), a.int(1000)];
    const b = new Rng(1);
    b.setState(state);
    expect([b.normal(), b.next(), b.int(1000)]).toEqual(next);
  });

  it('draws uniform values in [0,1) with the right mean and normals with unit variance', () => {
    const r = new Rng(3);
    let s = 0, s2 = 0, lo = Infinity, hi = -Infinity;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
      s += u;
      const z = r.normal();
      s2 += z * z;
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    expect(s / n).toBeCloseTo(0.5, 1);
    expect(s2 / n).toBeCloseTo(1, 1);
  });

  it('draws Beta variates with the requested mean in (0, 1) (EvNN threshold initialisation)', () => {
    const r = new Rng(5);
    for (const [a, b] of [[0.3, 3], [1.2857, 3], [3, 3]]) {
      let s = 0, lo = Infinity, hi = -Infinity;
      const n = 20000;
      for (let i = 0; i < n; i++) {
        const x = r.beta(a, b);
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
        s += x;
      }
      expect(lo).toBeGreaterThanOrEqual(0);
      expect(hi).toBeLessThanOrEqual(1);
      expect(s / n).toBeCloseTo(a / (a + b), 2);
    }
  });
});
