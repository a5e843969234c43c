/**
 * Known answers for compiler/balance.ts on small work vectors whose balanced cuts are worked out by hand.
 *
 * The layers here are not compiled models: balance.ts takes each layer's per-unit work and a `grow` that
 * cuts a layer greedily under the core limits and a work cap (partition.ts's greedy over memory, fan-in,
 * …). Here the only core limits are a number of units per core, so every cut below can be counted on
 * paper. (compiler-known.test.ts checks the same passes through partition on a real model.)
 */
import { cutLayers, sameCut, type Layers } from '../compiler/balance';

/** Layers of the given unit works; a core holds at most `perCore` units and at most `cap` of work. */
function layers(works: number[][], perCore = Infinity): Layers {
  const work = works.map((w) => Float64Array.from(w));
  let calls = 0;
  return {
    work,
    names: works.map((_, i) => `layer${i}`),
    grow: (i, cap) => {
      // A search that never ends (a cap that stops shrinking) fails here instead of hanging the suite: a balanced
      // cut of these few units takes some 15 greedy cuts per layer and per call of the search, far below 1000.
      if (++calls > 1000) throw new Error('balance asked for more than 1000 greedy cuts');
      const w = work[i];
      const ends: number[] = [];
      let n = 0, busy = 0;
      for (let k = 0; k < w.length; k++) {
        // partition's greedy refuses a unit that alone is over the cap; balance must never ask for one.
        if (w[k] > cap) throw new Error(`layer${i} unit ${k} (${w[k]}) alone is over the cap ${cap}`);
        if (n === perCore || busy + w[k] > cap) ends.push(k), (n = 0), (busy = 0);
        n++, (busy += w[k]);
      }
      ends.push(w.length);
      return ends;
    },
  };
}

const cut = (works: number[][], cores: number | undefined, perCore = Infinity) => cutLayers(layers(works, perCore), 'balance', cores, 'test');

describe('balance --cores N, worked by hand', () => {
  it('takes as many cores as there are units: units 1, 1, 4 on 3 cores, one each', () => {
    // 3 units, --cores 3: allowed (at most one core per unit). Unit 2 (4) sets the smallest cap, 4; under any cap
    // from 4 up, greedy cuts 1+1 | 4, 2 cores, so no cap uses all 3. The free core goes to the busiest slice of
    // two or more units, 1+1 (work 2), not to the busier single unit 4: split after unit 0.
    expect(cut([[1, 1, 4]], 3)).toEqual([[1, 2, 3]]);
    // One core more than units is refused.
    expect(() => cut([[1, 1, 4]], 4)).toThrow('--cores 4: the model has 3 units to place on cores, at most one core each: give --cores 3 or fewer');
  });

  it('balances each layer on its own count after the spread: 5 | 2, 1, 1 on 3 cores', () => {
    // Layer 0: one unit of 5. Layer 1: units 2, 1, 1, at most 2 a core. Pack: layer 0 on 1 core, layer 1 2+1 | 1
    // (3 | 1): 3 cores, all of them. The spread over both layers cannot go below layer 0's unit, cap 5, under which
    // layer 1 still cuts 2+1 | 1. Balanced on its own 2 cores, layer 1 becomes 2 | 1+1 (2 | 2).
    expect(cut([[5], [2, 1, 1]], 3, 2)).toEqual([[1], [1, 3]]);
  });

  it('splits the free core’s slice where its larger half is smallest: units 1, 2 | 1, 1, 1 of 6, 1, 2, 1, 1, 1', () => {
    // Unit 0 (6) sets the cap; under it 6 | 1+2+1+1+1 (6 | 6) is 2 cores and no cap from 6 up uses 3.
    // The free core splits units 1–5 (work 1, 2, 1, 1, 1 = 6): after unit 1 the halves are 1 | 5, after
    // unit 2 3 | 3, after unit 3 4 | 2, after unit 4 5 | 1. Best: after unit 2, i.e. ends 1, 3, 6 (6 | 3 | 3).
    expect(cut([[6, 1, 2, 1, 1, 1]], 3)).toEqual([[1, 3, 6]]);
  });

  it('on a tie between two split points takes the first: units 1, 1, 2, 1, 1 after a unit of 6', () => {
    // The free core splits units 1–5 (work 1, 1, 2, 1, 1 = 6): halves 1 | 5, 2 | 4, 4 | 2, 5 | 1. The larger
    // half is 4 after unit 2 and after unit 3: the first, after unit 2, wins: ends 1, 3, 6 (6 | 2 | 4).
    expect(cut([[6, 1, 1, 2, 1, 1]], 3)).toEqual([[1, 3, 6]]);
  });
});

describe('balance on units of no expected work', () => {
  it('keeps pack’s cut and stops: no cap is below 0', () => {
    // Units 0, 0, 0, at most 2 a core: pack cuts 0+0 | 0 (ends 2, 3). The smallest cap balance can ask for is the
    // largest unit, 0, and pack's busiest core already holds 0: nothing to search, pack's cut stays.
    expect(cut([[0, 0, 0]], undefined, 2)).toEqual([[2, 3]]);
    // The same over two layers with --cores 3: pack's 2 + 1 cores already are 3; the spread has nothing to lower.
    expect(cut([[0, 0, 0], [0]], 3, 2)).toEqual([[2, 3], [1]]);
    // Units 0, 0, 0, 0 on --cores 3, at most 2 a core: pack 0+0 | 0+0 (ends 2, 4), the cap cannot go below 0, and
    // the free core splits the first slice of two or more units (both weigh 0; the first wins a tie) after unit 0.
    expect(cut([[0, 0, 0, 0]], 3, 2)).toEqual([[1, 2, 4]]);
  });
});

describe('sameCut: did balance cut every layer as pack does?', () => {
  it('is false when any one layer differs, even if the others match', () => {
    expect(sameCut([[1, 3], [2]], [[1, 3], [2]])).toBe(true);
    // Layer 0 cut 1 | 2–3 against 0–1 | 2; layer 1 the same.
    expect(sameCut([[1, 3], [2]], [[2, 3], [2]])).toBe(false);
  });

  it('is false for cuts of different lengths whose common part matches', () => {
    // One layer against two, the first the same.
    expect(sameCut([[1, 3]], [[1, 3], [2]])).toBe(false);
    // A layer in one slice ending at 3 against the same layer's first slice ending at 3 of two.
    expect(sameCut([[3]], [[3, 5]])).toBe(false);
  });
});
