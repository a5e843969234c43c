/**
 * models/rng.ts on known answers: xoshiro128** stepped by hand from small states (set with setState), the seed
 * expansion (murmur3's fmix32 over seed + k·0x9e3779b9) written out, and the samplers (uniform, int, normal,
 * gamma, beta) fed scripted draws so that every branch gives a number worked out below.
 *
 * One xoshiro128** step from s = [s0, s1, s2, s3]: out = rotl(s1·5, 7)·9; t = s1 << 9; s2 ^= s0; s3 ^= s1;
 * s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11) (all mod 2^32).
 *
 * Mutants of models/rng.ts left alive here, equivalent: the all-zero guard of the constructor (fmix32 is a
 * bijection with fmix32(0) = 0, and the four x = seed + k·0x9e3779b9, k = 1..4, are never all 0, so the guard never
 * fires); `>>> 0` in setState (a Uint32Array stores the value mod 2^32 anyway); gamma's squeeze test
 * `u < 1 − 0.0331x⁴` made false or `<=` (the squeeze lies inside the exact test, which then accepts the same u) and
 * the exact test's `<` as `<=` (equal only on a draw of measure zero); `|| Number.MIN_VALUE` as `|| 0` or dropped
 * (for shape < 1 the power 1/shape > 1 sends both to 0); `i <= 4` in the constructor's and setState's loops (the
 * fifth word is written past the Uint32Array's end, ignored).
 */
import { Rng } from '../models/rng';

/** A generator whose uniform and normal draws are scripted; it throws when a draw is taken that was not planned. */
class Scripted extends Rng {
  constructor(private uniforms: number[], private normals: number[] = []) {
    super(1);
  }
  override next(): number {
    if (!this.uniforms.length) throw new Error('unplanned uniform draw');
    return this.uniforms.shift()!;
  }
  override normal(): number {
    if (!this.normals.length) throw new Error('unplanned normal draw');
    return this.normals.shift()!;
  }
  left(): [number, number] {
    return [this.uniforms.length, this.normals.length];
  }
}

/** Uniform draws scripted, normal() the real one (Box–Muller over the scripted uniforms). */
class ScriptedUniform extends Rng {
  constructor(private uniforms: number[]) {
    super(1);
  }
  override next(): number {
    if (!this.uniforms.length) throw new Error('unplanned uniform draw');
    return this.uniforms.shift()!;
  }
  left(): number {
    return this.uniforms.length;
  }
}

function withState(s: number[], spare = NaN): Rng {
  const r = new Rng(0);
  r.setState([...s, spare]);
  return r;
}

describe('xoshiro128** stepped by hand', () => {
  it('from [1, 0, 0, 0]: outputs 0, 5760, 5760, 2954880 and the states between', () => {
    const r = withState([1, 0, 0, 0]);
    // Step 1: out = rotl(0, 7)·9 = 0. t = 0; s2 = 0^1 = 1; s3 = 0^0 = 0; s1 = 0^1 = 1; s0 = 1^0 = 1; s2 = 1^0 = 1;
    // s3 = rotl(0, 11) = 0 → [1, 1, 1, 0].
    expect(r.nextU32()).toBe(0);
    expect(r.getState().slice(0, 4)).toEqual([1, 1, 1, 0]);
    // Step 2: out = rotl(5, 7)·9 = 640·9 = 5760. t = 1 << 9 = 512; s2 = 1^1 = 0; s3 = 0^1 = 1; s1 = 1^0 = 1;
    // s0 = 1^1 = 0; s2 = 0^512 = 512; s3 = rotl(1, 11) = 2048 → [0, 1, 512, 2048].
    expect(r.nextU32()).toBe(5760);
    expect(r.getState().slice(0, 4)).toEqual([0, 1, 512, 2048]);
    // Step 3: out = 5760 again (s1 = 1). t = 512; s2 = 512^0 = 512; s3 = 2048^1 = 2049; s1 = 1^512 = 513;
    // s0 = 0^2049 = 2049; s2 = 512^512 = 0; s3 = rotl(2049, 11) = 2049·2048 = 4196352 → [2049, 513, 0, 4196352].
    expect(r.nextU32()).toBe(5760);
    expect(r.getState().slice(0, 4)).toEqual([2049, 513, 0, 4196352]);
    // Step 4: out = rotl(513·5 = 2565, 7)·9 = 2565·128·9 = 2954880. t = 513·512 = 262656; s2 = 0^2049 = 2049;
    // s3 = 4196352^513 = 4196865; s1 = 513^2049 = 2560; s0 = 2049^4196865 = 4194816; s2 = 2049^262656 = 264705;
    // s3 = rotl(4196865, 11): 4196865 = 2^22 + 2^11 + 2^9 + 1 → 2^33 + 2^22 + 2^20 + 2^11, and the 2^33 bit
    // wraps round to 2^1: 2 + 4194304 + 1048576 + 2048 = 5244930.
    expect(r.nextU32()).toBe(2954880);
    expect(r.getState().slice(0, 4)).toEqual([4194816, 2560, 264705, 5244930]);
  });

  it('wraps the multiplications and rotations mod 2^32', () => {
    // s1 = 2^31: s1·5 = 5·2^31 ≡ 2^31; rotl(2^31, 7) = 2^6 = 64 (the top bit comes round); out = 64·9 = 576.
    // t = 2^31 << 9 ≡ 0; s2 = 0; s3 = 2^31; s1 = 2^31 ^ 0 = 2^31; s0 = 0 ^ 2^31 = 2^31; s2 = 0;
    // s3 = rotl(2^31, 11) = 2^10 = 1024.
    const r = withState([0, 0x80000000, 0, 0]);
    expect(r.nextU32()).toBe(576);
    expect(r.getState().slice(0, 4)).toEqual([0x80000000, 0x80000000, 0, 1024]);
  });

  it('next() is the output over 2^32; uniform and int scale it', () => {
    // s1 = 0xCD000000 = 205·2^24: s1·5 = 1025·2^24 ≡ 2^24 (1025 = 4·256 + 1); rotl(2^24, 7) = 2^31;
    // 9·2^31 ≡ 2^31: out = 2^31, next() = 1/2.
    expect(withState([0, 0xcd000000, 0, 0]).next()).toBe(0.5);
    expect(withState([0, 0xcd000000, 0, 0]).uniform(2, 10)).toBe(6); // 2 + 8·1/2
    expect(withState([0, 0xcd000000, 0, 0]).uniform(-3, 1)).toBe(-1); // −3 + 4·1/2
    // s1 = 103·2^23: s1·5 = 515·2^23 ≡ 3·2^23 (515 = 512 + 3); rotl(3·2^23, 7) = 3·2^30; 9·3·2^30 ≡ 3·2^30
    // (9 ≡ 1 mod 4): out = 3·2^30, next() = 3/4.
    expect(withState([0, 103 * 2 ** 23, 0, 0]).next()).toBe(0.75);
    expect(withState([0, 103 * 2 ** 23, 0, 0]).int(10)).toBe(7); // ⌊7.5⌋
    // From [1, 1, 1, 0] the output is 5760 (above): next() = 5760/2^32 ≈ 1.34e-6, int(10) = ⌊1.34e-5⌋ = 0.
    expect(withState([1, 1, 1, 0]).next()).toBe(5760 / 4294967296);
    expect(withState([1, 1, 1, 0]).int(10)).toBe(0);
  });
});

describe('the seed expansion', () => {
  // x_k = seed + k·0x9e3779b9 (k = 1..4, mod 2^32), s[k−1] = fmix32(x_k): z ^= z >>> 16; z ·= 0x85ebca6b;
  // z ^= z >>> 13; z ·= 0xc2b2ae35; z ^= z >>> 16. Worked with exact integers (Python), each stage:
  //   seed 0: x = 0x9e3779b9 → 0x936dd45a → 0x92cabdc4 → 0x92ca2f0e = 2462723854
  //           x = 0x3c6ef372 → 0x5c70a8b4 → 0x3cd6df25 → 0x3cd6e3f3 = 1020716019
  //           x = 0xdaa66d2b → 0xaff2f9ef → 0x1b1466d8 → 0x1b147dcc = 454327756
  //           x = 0x78dde6e4 → 0x3ecd1bd3 → 0x4c0851b7 → 0x4c081dbf = 1275600319
  //   seed 1: x = 0x9e3779ba → 0x0d8209ef → 0x96a06fcb → 0x96a0f96b = 2527132011
  //           x = 0x3c6ef373 → 0xe25c731f → 0x12bc912c → 0x12bc8390 = 314344336
  //           x = 0xdaa66d2c → 0x1e2f9aae → 0x971e0e7a → 0x971e9964 = 2535364964
  //           x = 0x78dde6e5 → 0xb8e15168 → 0x79adbe4a → 0x79adc7e7 = 2041432039
  // First outputs (the step above): seed 0 → 3809008728, 1133695204; seed 1 → 2442144158, 3238099751.
  it('seed 0 and seed 1 give the states and first outputs worked out', () => {
    const r0 = new Rng(0), r1 = new Rng(1);
    expect(r0.getState()).toEqual([2462723854, 1020716019, 454327756, 1275600319, NaN]);
    expect(r1.getState()).toEqual([2527132011, 314344336, 2535364964, 2041432039, NaN]);
    expect([r0.nextU32(), r0.nextU32()]).toEqual([3809008728, 1133695204]);
    expect([r1.nextU32(), r1.nextU32()]).toEqual([2442144158, 3238099751]);
  });

  it('a seed is taken mod 2^32: −1 and 2^32 − 1 agree, 2^32 is seed 0', () => {
    expect(new Rng(-1).getState()).toEqual(new Rng(2 ** 32 - 1).getState());
    expect(new Rng(2 ** 32).getState()).toEqual([2462723854, 1020716019, 454327756, 1275600319, NaN]);
  });

  it('fork() seeds a new generator with the next output', () => {
    // From [1, 0, 0, 0] the next output is 0: the fork is Rng(0), whose first output is 3809008728, and the
    // parent has stepped to [1, 1, 1, 0].
    const parent = withState([1, 0, 0, 0]);
    const child = parent.fork();
    expect(child.getState()).toEqual([2462723854, 1020716019, 454327756, 1275600319, NaN]);
    expect(child.nextU32()).toBe(3809008728);
    expect(parent.getState()).toEqual([1, 1, 1, 0, NaN]);
  });

  it('setState keeps the spare normal (NaN for none) and takes words mod 2^32', () => {
    const r = new Rng(0);
    r.setState([-1, 2 ** 32 + 5, 7, 0, 0.25]);
    expect(r.getState()).toEqual([4294967295, 5, 7, 0, 0.25]);
    expect(r.normal()).toBe(0.25); // the spare, no draw
    expect(r.getState()).toEqual([4294967295, 5, 7, 0, NaN]);
    r.setState([1, 0, 0, 0, NaN]);
    expect(r.getState()[4]).toBeNaN();
    // NaN means no spare: the next normal is drawn (Box–Muller, u = e^−2, v = 1/12: √3, below), not NaN.
    const s = new ScriptedUniform([Math.exp(-2), 1 / 12]);
    s.setState([1, 0, 0, 0, NaN]);
    expect(s.normal()).toBeCloseTo(Math.sqrt(3), 12);
  });
});

describe('normal(): Box–Muller over two uniforms', () => {
  it('u = e^−2, v = 1/12 give r = 2 and the pair (2 cos π/6, 2 sin π/6) = (√3, 1), the second kept as spare', () => {
    // A first uniform of 0 is drawn again (log 0 = −∞). r = √(−2 ln e^−2) = 2; 2πv = π/6.
    const r = new ScriptedUniform([0, Math.exp(-2), 1 / 12, Math.exp(-0.5), 0.5]);
    expect(r.normal()).toBeCloseTo(Math.sqrt(3), 12);
    expect(r.left()).toBe(2);
    expect(r.getState()[4]).toBeCloseTo(1, 12);
    expect(r.normal()).toBeCloseTo(1, 12); // the spare: no uniform drawn
    expect(r.left()).toBe(2);
    expect(r.getState()[4]).toBeNaN();
    // Then a fresh pair: r = √(−2 · −1/2) = 1, 2πv = π, cos π = −1, sin π ≈ 0.
    expect(r.normal()).toBeCloseTo(-1, 12);
    expect(r.left()).toBe(0);
    expect(r.normal()).toBeCloseTo(0, 12);
  });
});

describe('gamma(): Marsaglia and Tsang', () => {
  // shape 2: d = 2 − 1/3 = 5/3, c = 1/√(9d) = 1/√15.
  it('x = 0 gives v = 1 and returns d = 5/3', () => {
    const r = new Scripted([0.5], [0]);
    expect(r.gamma(2)).toBeCloseTo(5 / 3, 12);
    expect(r.left()).toEqual([0, 0]);
  });

  it('x = √15/2: v = (1 + 1/2)³ = 27/8, returns d·v = 45/8, through the squeeze or the exact test', () => {
    // x² = 15/4, x⁴ = 225/16: squeeze 1 − 0.0331·14.0625 = 0.53453. Exact test: ½x² + d(1 − v + ln v)
    // = 1.875 + (5/3)(1 − 3.375 + 1.216395) = −0.056008.
    const x = Math.sqrt(15) / 2;
    // u = 0.5 passes the squeeze (and the exact test: ln 0.5 = −0.693 < −0.056).
    expect(new Scripted([0.5], [x]).gamma(2)).toBeCloseTo(45 / 8, 12);
    // u = 0.75 fails the squeeze but passes the exact test: ln 0.75 = −0.288 < −0.056.
    expect(new Scripted([0.75], [x]).gamma(2)).toBeCloseTo(45 / 8, 12);
    // u = 0.97 fails both (ln 0.97 = −0.0305 ≥ −0.056): rejected, the next pair x = 0, u = 0.5 gives 5/3.
    const r = new Scripted([0.97, 0.5], [x, 0]);
    expect(r.gamma(2)).toBeCloseTo(5 / 3, 12);
    expect(r.left()).toEqual([0, 0]);
  });

  it('x = √15: v = 2³ = 8 is rejected by the exact test (ln 0.5 = −0.6931 ≥ 7.5 + (5/3)(−7 + ln 8) = −0.7009)', () => {
    const r = new Scripted([0.5, 0.25], [Math.sqrt(15), 0]);
    expect(r.gamma(2)).toBeCloseTo(5 / 3, 12);
    expect(r.left()).toEqual([0, 0]);
  });

  it('v ≤ 0 redraws x at once, with no uniform drawn', () => {
    // shape 4/3: d = 1, c = 1/√9 = 1/3 (exact). x = −3: v = 1 − 1 = 0; x = −10: v = −7/3 < 0. Then x = 0, v = 1,
    // and one uniform: d·1 = 1.
    const r = new Scripted([0.5], [-3, -10, 0]);
    expect(r.gamma(4 / 3)).toBeCloseTo(1, 12);
    expect(r.left()).toEqual([0, 0]);
  });

  it('shape 1 is drawn directly (d = 2/3), shape < 1 through Gamma(shape + 1)·U^(1/shape)', () => {
    expect(new Scripted([0.5], [0]).gamma(1)).toBeCloseTo(2 / 3, 12);
    // shape 1/2: Gamma(3/2) with x = 0 is d = 3/2 − 1/3 = 7/6 (its u = 0.9 < 1 passes), then U = 1/2:
    // 7/6 · (1/2)^2 = 7/24.
    const r = new Scripted([0.9, 0.5], [0]);
    expect(r.gamma(0.5)).toBeCloseTo(7 / 24, 12);
    expect(r.left()).toEqual([0, 0]);
    // shape 1/4: Gamma(5/4), d = 5/4 − 1/3 = 11/12, then (1/2)^4 = 1/16: 11/192.
    expect(new Scripted([0.9, 0.5], [0]).gamma(0.25)).toBeCloseTo(11 / 192, 12);
    // U = 0 gives 0 (U^(1/shape) underflows either way).
    expect(new Scripted([0.9, 0], [0]).gamma(0.5)).toBe(0);
  });
});

describe('beta(a, b) = X / (X + Y), X ~ Gamma(a), Y ~ Gamma(b)', () => {
  it('X = 1, Y = 3 give 1/4, with the shapes asked in that order', () => {
    const asked: number[] = [];
    const draws = [1, 3];
    class G extends Rng {
      override gamma(shape: number): number {
        asked.push(shape);
        return draws.shift()!;
      }
    }
    expect(new G(1).beta(0.3, 3)).toBe(0.25);
    expect(asked).toEqual([0.3, 3]);
  });
});
