/**
 * Known answers for the partition pass (compiler/partition.ts) on the tiny target with one or two per-core numbers
 * changed: the fan-out each unit is first assumed to have (one output axon per plane for a unit that sends anywhere,
 * none for a silent one, one for every decoder logit), the memory limit's exact boundary, which limit a unit that
 * fits no core alone is refused for, and the note when balance cuts as pack does. Issue 14.
 *
 * tiny delivers multicast: a unit sending anywhere needs exactly one output axon (float events: one plane), so
 * a core of fan_out 2 holds at most two units that send somewhere, and any number that send nowhere.
 * Sources are numbered embedding (host, 2) first, then layer0, layer1, decoder.
 */
import type { Partitioned } from '../compiler/ir';
import type { LanguageModel } from '../models/model';
import { kernelName, recurrentKernelName } from '../models/params';
import type { Target } from '../targets/schema';
import { partitioned } from './helpers/partitioned';
import { tinyWith, variantOf } from './helpers/targets';
import { fixtureConfig, randomModel } from './fixtures/model';

/** Slice ranges per chip population, by name. */
function cuts(ir: Partitioned): Record<string, number[][]> {
  const out: Record<string, number[][]> = {};
  for (const s of ir.slices) (out[ir.populations[s.population].name] ??= []).push([s.start, s.end]);
  return out;
}

/** Zeroes every outgoing weight of the listed source units in a [sources × 3H] kernel (row-major). */
function silence(model: LanguageModel, name: string, units: number[]): void {
  const t = model.params[name];
  const width = t.shape[1];
  for (const j of units) t.data.fill(0, j * width, (j + 1) * width);
}

/** Where a refusal stops: the DoesNotFit's limit and message. */
function refusal(model: LanguageModel, target: Target): { limit: string; message: string } {
  try {
    partitioned(model, target);
  } catch (e) {
    return { limit: (e as { limit: string }).limit, message: (e as Error).message };
  }
  throw new Error('expected the partition to refuse the model');
}

describe('partition: the fan-out each unit is counted for (multicast, fan_out 2)', () => {
  it('a dense layer whose units all send: two units a core, 0–1 | 2–3 | 4–5', () => {
    // emb 2 → layer0 (6 units, dense recurrence) → decoder on the host. Every layer0 unit has a non-empty row in the
    // recurrent projection and feeds the host: one output axon each (multicast counts it once, not once per
    // projection). fan_out 2 → 2 units per core; memory (2·6 + 6·... rows, ≤ 1024 B), fan-in (8 ≤ 64) and
    // neurons (16) leave room for more, so fan-out alone cuts: 3 slices of 2, each using exactly 2 output axons.
    // Counting a unit 0 times (no initial count, or counting only host-side sources) puts all 6 on one core,
    // which the final check refuses; counting it twice (once per projection) gives one unit a core.
    const model = randomModel(fixtureConfig({ emb: 2, layers: [6], vocabSize: 3 }));
    const ir = partitioned(model, tinyWith({ fan_out: 2 }));
    expect(cuts(ir)).toEqual({ layer0: [[0, 2], [2, 4], [4, 6]] });
    expect(ir.slices.map((s) => s.usage.fanOut)).toEqual([2, 2, 2]);
  });

  it('silent units cost no output axon: odd layer0 units send nowhere, so 0–3 | 4–5; layer1 feeds only the host', () => {
    // emb 2 → layer0 (6) → layer1 (4) → host decoder. Units 1, 3, 5 of layer0 have all weights out of them zeroed
    // (their rows in layer0's recurrent kernel and layer1's input kernel): empty rows, no destination, fan-out 0.
    // Units 0, 2, 4 send: fan-out 1. Greedy under fan_out 2: running fan-out over units 0…5 is 1,1,2,2,3 → unit 4
    // opens a new core: 0–3 | 4–5. (Counting silent units too gives 0–1 | 2–3 | 4–5; shifting the empty-row
    // test by one row, rowPtr[j+1] > rowPtr[j−1], makes unit 0 silent and 1…5 sending: 0–2 | 3–4 | 5.)
    // layer1 has no recurrence (zeroed) and no chip consumer: its only output is the host, one axon per unit,
    // so 0–1 | 2–3; not counting host projections would put all 4 on one core, over fan_out.
    const model = randomModel(fixtureConfig({ emb: 2, layers: [6, 4], vocabSize: 3 }));
    silence(model, recurrentKernelName(0), [1, 3, 5]);
    silence(model, kernelName(1), [1, 3, 5]);
    silence(model, recurrentKernelName(1), [0, 1, 2, 3]);
    const ir = partitioned(model, tinyWith({ fan_out: 2 }));
    expect(cuts(ir)).toEqual({ layer0: [[0, 4], [4, 6]], layer1: [[0, 2], [2, 4]] });
    expect(ir.slices.map((s) => s.usage.fanOut)).toEqual([2, 1, 2, 2]);
  });

  it('every decoder logit on the chip goes to the host: one output axon each, so 3 logits take 0–1 | 2', () => {
    // decoder on the chip: vocabSize 3 logits, no projection out of them, yet each is sent to the host: fan-out 1.
    // fan_out 2 → 0–1 | 2. (Not counting them puts all 3 on one core, which needs 3 output axons.)
    // layer0's 4 units, dense: 2 a core.
    const model = randomModel(fixtureConfig({ emb: 2, layers: [4], vocabSize: 3 }));
    const ir = partitioned(model, tinyWith({ fan_out: 2 }), { decoder: 'chip' });
    expect(cuts(ir)).toEqual({ layer0: [[0, 2], [2, 4]], decoder: [[0, 2], [2, 3]] });
  });
});

describe('partition: fan-out delivered per destination core (as Loihi), recounted until no unit’s grows', () => {
  // emb 2 → layer0 (6) → layer1 (6) → host decoder; fan_out 6; every other limit roomy. Each unit sends one output
  // axon per destination core (and one to the host). Synapses kept (3 gates each, all other weights zeroed):
  //   layer0 → layer1: unit k → unit k, and unit 2 → unit 3 too; layer0 has no recurrence;
  //   layer1 → layer1: unit k → unit k, and unit 0 → unit 3 too.
  // Round 0 counts one axon per projection with synapses (+1 for the host): layer0 1 each, layer1 2 each:
  //   layer0 0–5 (6 axons), layer1 0–2 | 3–5 (3 units × 2).
  // Round 1 counts the real destinations: layer0 unit 2 reaches layer1's two slices (units 2 and 3): 2; layer1 unit 0
  //   reaches its two slices (units 0 and 3) and the host: 3. Recut: layer0 1,1,2,1,1,1 → 0–4 (6) | 5;
  //   layer1 3,2,2,2,2,2 → 0–1 (5) | 2–4 (6) | 5.
  // Round 2: layer0 unit 2 now reaches one slice (units 2 and 3 both in 2–4): 1, less than the 2 counted. A count
  //   only grows (slices only shrink, so this ends), so layer0 stays 0–4 | 5; letting it fall back to 1 would put
  //   all of layer0 on one core again.
  it('layer0 0–4 | 5 and layer1 0–1 | 2–4 | 5', () => {
    const model = randomModel(fixtureConfig({ emb: 2, layers: [6, 6], vocabSize: 3 }));
    const keep = (name: string, pairs: [number, number][]) => {
      const t = model.params[name];
      const kept = new Float32Array(t.data.length);
      for (const [j, k] of pairs) for (let g = 0; g < 3; g++) kept[j * 18 + g * 6 + k] = t.data[j * 18 + g * 6 + k];
      t.data.set(kept);
    };
    const diagonal = [0, 1, 2, 3, 4, 5].map((k): [number, number] => [k, k]);
    keep(recurrentKernelName(0), []);
    keep(kernelName(1), [...diagonal, [2, 3]]);
    keep(recurrentKernelName(1), [...diagonal, [0, 3]]);
    const target = variantOf(tinyWith({ fan_out: 6 }), 'tiny-test', (data) => {
      data.routing.delivery = { value: 'per-destination-core', source: 'assumption: test' };
    });
    const ir = partitioned(model, target);
    expect(cuts(ir)).toEqual({ layer0: [[0, 5], [5, 6]], layer1: [[0, 2], [2, 5], [5, 6]] });
    // Output axons per slice as finally counted: layer0 1 each (unit 2's two targets share a core): 5 | 1;
    // layer1: unit 0 3, the others 2: 5 | 6 | 2.
    expect(ir.slices.map((s) => s.usage.fanOut)).toEqual([5, 1, 5, 6, 2]);
  });
});

describe('partition: the per-destination recount goes on until nothing grows, however long the chain', () => {
  // A chain of D layers of 4 units, fan_out 3, per-destination delivery, host decoder. Synapses kept (3 gates each):
  //   layer d → layer d+1: unit k → unit k, and unit 1 → unit 2 too; no recurrence except the last layer's
  //   unit 0 → units 0 and 3.
  // Round 0 counts 1 axon per unit (one projection), 2 for the last layer's unit 0 (recurrence + host), so every
  // layer is cut 0–2 | 3 (1+1+1) but the last, 0–1 | 2–3 (2+1). That splits units 1 and 2 of the last layer, so in
  // round 1 the layer before it finds its unit 1 reaching 2 cores: 1+2 fills a core, recut 0–1 | 2–3. That splits
  // the previous layer's unit 1 in round 2, and so back one layer a round: layer 0 grows in round D − 1, and
  // round D finds nothing new. (The last layer's unit 0 grows to 3 in round 1 too: 0 | 1–3.)
  // Until 2026-12-04 the pass stopped after round 19 (a cap of 20 rounds): D = 21 was left with layer0 0–2 | 3,
  // whose unit 1 really sends to 2 cores (1 + 2 + 1 = 4 output axons on a core of 3), and was refused for fan-out
  // although it fits one round later. Every D fits: layers 0…D−2 cut 0–1 | 2–3, the last 0 | 1–3.
  function chain(D: number) {
    const model = randomModel(fixtureConfig({ emb: 2, layers: Array(D).fill(4), vocabSize: 3 }));
    const keep = (name: string, pairs: [number, number][]) => {
      const t = model.params[name];
      const kept = new Float32Array(t.data.length);
      for (const [j, k] of pairs) for (let g = 0; g < 3; g++) kept[j * 12 + g * 4 + k] = t.data[j * 12 + g * 4 + k];
      t.data.set(kept);
    };
    for (let d = 0; d < D; d++) {
      if (d > 0) keep(kernelName(d), [[0, 0], [1, 1], [2, 2], [3, 3], [1, 2]]);
      keep(recurrentKernelName(d), d === D - 1 ? [[0, 0], [0, 3]] : []);
    }
    return model;
  }
  const target = () =>
    variantOf(tinyWith({ fan_out: 3 }), 'tiny-test', (data) => {
      data.routing.delivery = { value: 'per-destination-core', source: 'assumption: test' };
    });

  const fitted = (D: number): Record<string, number[][]> => {
    const want: Record<string, number[][]> = {};
    for (let d = 0; d < D - 1; d++) want[`layer${d}`] = [[0, 2], [2, 4]];
    want[`layer${D - 1}`] = [[0, 1], [1, 4]];
    return want;
  };

  it('20 layers: layer0 is recut in round 19', () => {
    expect(cuts(partitioned(chain(20), target()))).toEqual(fitted(20));
  });

  it('21 layers, once refused by the cap of rounds, fit: layer0 is recut in round 20', () => {
    expect(cuts(partitioned(chain(21), target()))).toEqual(fitted(21));
  });

  it('40 layers fit too: layer0 is recut in round 39', () => {
    expect(cuts(partitioned(chain(40), target()))).toEqual(fitted(40));
  });
});

describe('partition: rows a slice has opened are forgotten when the next slice starts', () => {
  // emb 2 → layer0 (12) → layer1 (1) → host decoder (3): 2 + 12 + 1 + 3 = 18 sources. neurons 10, fan_in 4.
  // Every layer0 unit takes both embedding rows; recurrence kept only for layer0 row 11 → units 9 and 10,
  // row 10 → unit 10, row 9 → unit 11; layer1 takes layer0 row 0 and its own recurrence (2 input axons).
  // layer0 first core, units 0–9 (neurons 10): input axons e0, e1, row 11: 3 ≤ 4.
  // Next core: unit 10 brings e0, e1, rows 11 and 10: 4; unit 11 adds row 9: 5 > 4, so 10 | 11.
  // Row 11 was opened on the first core and must count again on the second: the pass remembers which rows a core
  // opened (one entry per distinct source, at most 18) to clear them. Recording an entry per (unit, source) pair
  // instead overflows that list at unit 9 (2 entries a unit for units 0–8 are 18), so row 11 stays "open" and the
  // second core under-counts it: 10–11 on one core, 5 input axons of 4.
  it('layer0 0–9 | 10 | 11, layer1 0', () => {
    const model = randomModel(fixtureConfig({ emb: 2, layers: [12, 1], vocabSize: 3 }));
    const keep = (name: string, width: number, pairs: [number, number][]) => {
      const t = model.params[name];
      const kept = new Float32Array(t.data.length);
      for (const [j, k] of pairs) for (let g = 0; g < 3; g++) kept[j * 3 * width + g * width + k] = t.data[j * 3 * width + g * width + k];
      t.data.set(kept);
    };
    keep(recurrentKernelName(0), 12, [[11, 9], [11, 10], [10, 10], [9, 11]]);
    keep(kernelName(1), 1, [[0, 0]]);
    const ir = partitioned(model, tinyWith({ neurons: 10, fan_in: 4 }));
    expect(ir.sources).toBe(18);
    expect(cuts(ir)).toEqual({ layer0: [[0, 10], [10, 11], [11, 12]], layer1: [[0, 1]] });
    expect(ir.slices.map((s) => s.usage.fanIn)).toEqual([3, 4, 3, 2]);
  });
});

describe('partition: the memory limit is inclusive', () => {
  // One EGRU layer of 6 units fed by a 2-wide embedding; only unit 0 has recurrent inputs (6 sources × 3 gates)
  // (the compiler-known.test.ts case). fp32: a row of n synapses takes ⌈(32 + 40n) / 32⌉ words of 4 bytes; 8 bytes of
  // state per unit. Units 0…3: 2 embedding rows of 12 synapses (2·64) + 6 recurrent rows of 3 (6·20) + 32 = 280 B.
  it('a core of exactly 280 bytes takes units 0–3 (280 ≤ 280), then 4–5', () => {
    const model = randomModel(fixtureConfig({ emb: 2, layers: [6], vocabSize: 3 }));
    const R = model.params[recurrentKernelName(0)].data;
    for (let j = 0; j < 6; j++) for (let c = 0; c < 18; c++) if (c % 6 !== 0) R[j * 18 + c] = 0;
    const ir = partitioned(model, tinyWith({ memory_bytes: 280 }));
    expect(cuts(ir)).toEqual({ layer0: [[0, 4], [4, 6]] });
    expect(ir.slices[0].usage.memoryBytes).toBe(280);
  });
});

describe('partition: a unit no core can hold alone is refused for the first limit it breaks', () => {
  // emb 2 → layer0 of 6, dense: unit 0 alone has 8 input rows (2 embedding + 6 recurrent) of 3 synapses each
  // (one per gate), ⌈(32 + 120) / 32⌉ = 5 words = 20 B a row: 8·20 + 8 B of state = 168 B; 8 input axons;
  // 1 output axon (multicast). EGRU units take 4 postsynaptic addresses each.
  const dense = () => randomModel(fixtureConfig({ emb: 2, layers: [6], vocabSize: 3 }));

  it('fan-out, when memory, fan-in and neurons are exactly at their limits', () => {
    // Delivered per destination core (as Loihi), unit 0 is first counted one output axon per projection it has
    // synapses in: the recurrent one and the host decoder's, 2. memory_bytes 168, fan_in 8, neurons 1: unit 0 alone
    // fits each of them exactly; fan_out 1 < 2 is what fails, and the message must say fan-out.
    const target = variantOf(tinyWith({ memory_bytes: 168, fan_in: 8, fan_out: 1, neurons: 1 }), 'tiny-test', (data) => {
      data.routing.delivery = { value: 'per-destination-core', source: 'assumption: test' };
    });
    const { limit, message } = refusal(dense(), target);
    expect(limit).toBe('fan-out');
    expect(message).toContain('layer0 unit 0 alone needs 2 output axons, a core has 1 (fan-out).');
  });

  it('memory: 168 bytes of a core’s 100', () => {
    const { limit, message } = refusal(dense(), tinyWith({ memory_bytes: 100 }));
    expect(limit).toBe('memory');
    expect(message).toContain('layer0 unit 0 alone needs 168 bytes of core memory (its synapse rows and state), a core has 100.');
  });

  it('memory is named before fan-in when both fail: 168 bytes of 100 and 8 input axons of 7', () => {
    // (Had memory not been checked, fan-in would be the first failed check; with none failed the fallback is memory,
    // so the memory-only case above cannot tell.)
    const { limit, message } = refusal(dense(), tinyWith({ memory_bytes: 100, fan_in: 7 }));
    expect(limit).toBe('memory');
    expect(message).toContain('layer0 unit 0 alone needs 168 bytes of core memory (its synapse rows and state), a core has 100.');
  });

  it('fan-in: 8 input axons of a core’s 7', () => {
    const { limit, message } = refusal(dense(), tinyWith({ fan_in: 7 }));
    expect(limit).toBe('fan-in');
    expect(message).toContain('layer0 unit 0 alone needs 8 input axons, a core has 7 (fan-in).');
  });

  it('addresses: 1 index bit names 2 accumulators, an EGRU unit needs 4', () => {
    const { limit, message } = refusal(dense(), tinyWith({}, { index_bits: 1 }));
    expect(limit).toBe('addresses');
    expect(message).toContain('layer0 unit 0 alone needs 4 postsynaptic addresses, the index bits name 2.');
  });
});

describe('partition: the note when balance cuts as pack does', () => {
  // The dense 6-unit layer under fan_out 2: every cut into 3 cores must be 0–1 | 2–3 | 4–5 (two sending units a
  // core at most), so balance can only repeat pack's cut, whatever the work per unit.
  const dense = () => randomModel(fixtureConfig({ emb: 2, layers: [6], vocabSize: 3 }));
  const warnings = (ir: ReturnType<typeof partitioned>) => ir.diagnostics.filter((d) => d.pass === 'partition' && d.level === 'warning').map((d) => d.message);

  it('pack itself gets no such note', () => {
    expect(warnings(partitioned(dense(), tinyWith({ fan_out: 2 })))).toEqual([]);
  });

  it('balance on 3 cores for one layer, uncalibrated: says every unit was counted active', () => {
    const ir = partitioned(dense(), tinyWith({ fan_out: 2 }), { strategy: 'balance' });
    expect(cuts(ir)).toEqual({ layer0: [[0, 2], [2, 4], [4, 6]] });
    expect(warnings(ir)).toEqual([
      "balance placed every layer as pack would: no cut of pack's 3 cores leaves less expected work on the busiest core" +
        ' (without --calibrate every unit is counted active every step); use --cores N (more than 3) to spread',
    ]);
  });

  it('balance calibrated: the same note without the --calibrate hint', () => {
    const calibration = Int32Array.from({ length: 20 }, (_, i) => i % 3);
    const ir = partitioned(dense(), tinyWith({ fan_out: 2 }), { strategy: 'balance', calibration });
    expect(ir.calibrated).toBe(true);
    expect(warnings(ir)).toEqual([
      "balance placed every layer as pack would: no cut of pack's 3 cores leaves less expected work on the busiest core;" +
        ' use --cores N (more than 3) to spread',
    ]);
  });
});
