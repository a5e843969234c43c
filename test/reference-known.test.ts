/**
 * Known answers for the model rebuilt from a map alone (compiler/reference.ts), on small maps of the invented tiny
 * target: parameters of populations cut over several cores (listed out of unit order), bit-plane rows, a model of
 * eleven layers, the vocabulary and provenance, and host tensors beside populations on the chip.
 */
import { emit } from '../compiler/emit';
import type { Placed } from '../compiler/ir';
import { compile, DEFAULT_OPTIONS } from '../compiler/pipeline';
import { nmapBody, type NmapBody } from '../compiler/nmap';
import { referenceModel } from '../compiler/reference';
import { route } from '../compiler/route';
import type { LanguageModel } from '../models/model';
import {
  DECODER_BIAS, DECODER_WEIGHT, PROJECTION_BIAS, PROJECTION_WEIGHT, biasName, kernelName, recurrentBiasName, recurrentKernelName,
  thresholdName,
} from '../models/params';
import { NEUROMAP_VERSION } from '../pipeline/provenance';
import { loadTarget } from '../targets/load';
import { partitioned } from './helpers/partitioned';
import { tinyWith } from './helpers/targets';
import { fixtureConfig, randomModel } from './fixtures/model';

const tiny = loadTarget('tiny');
const values = (a: ArrayLike<number>) => Array.from(a);

/** The map compiled by `compile` with the given options, as a map file's body. */
const compiled = (model: LanguageModel, options: Parameters<typeof compile>[2] = {}) => nmapBody(compile(model, tiny, options));

describe('populations cut over cores', () => {
  // One layer of 4 EGRU units from a 2-wide embedding, a vocabulary of 3, the decoder on the chip, 2 neurons per core:
  // slices layer0 0–1, layer0 2–3, decoder 0–1, decoder 2 (in that order). Placed by hand on cores 0, 1, 3 and 2, so
  // the map (cores in id order) lists decoder 2 before decoder 0–1.
  // Biases by hand, gate blocks z, r, g of 4 units each: b = 1…12, br = 10, 20, …, 120; thresholds 0.5, 0.25, 0.125, 1;
  // decoder bias 1, 2, 3.
  function handModel(): LanguageModel {
    const model = randomModel(fixtureConfig({ emb: 2, layers: [4], vocabSize: 3 }));
    model.params[biasName(0)].data.set(Array.from({ length: 12 }, (_, i) => i + 1));
    model.params[recurrentBiasName(0)].data.set(Array.from({ length: 12 }, (_, i) => 10 * (i + 1)));
    model.params[thresholdName(0)].data.set([0.5, 0.25, 0.125, 1]);
    model.params[DECODER_BIAS].data.set([1, 2, 3]);
    return model;
  }
  function mapOf(model: LanguageModel): NmapBody {
    const ir = partitioned(model, tinyWith({ neurons: 2 }), { decoder: 'chip' });
    const placed: Placed = {
      ...ir, stage: 'placed', chips: 1, sliceCore: Int32Array.from([0, 1, 3, 2]),
      placement: { heuristic: 'by hand', initialCost: 0, finalCost: 0, swaps: 0 },
    };
    return nmapBody(emit(route(placed)));
  }

  it('the cores are the ones worked out above, in core order', () => {
    const map = mapOf(handModel());
    expect(map.cores.map((c) => [map.populations[c.population].name, c.unit_start, c.unit_end])).toEqual([
      ['layer0', 0, 2], ['layer0', 2, 4], ['decoder', 2, 3], ['decoder', 0, 2],
    ]);
  });

  it('each core’s thresholds and biases land on its own units and no others (fp32: exactly the model’s)', () => {
    const model = handModel();
    const r = referenceModel(mapOf(model));
    expect(values(r.params[thresholdName(0)].data)).toEqual([0.5, 0.25, 0.125, 1]);
    // z and r folded (b + br) into bias, their recurrent_bias 0; the candidate's two kept apart.
    expect(values(r.params[biasName(0)].data)).toEqual([11, 22, 33, 44, 55, 66, 77, 88, 9, 10, 11, 12]);
    expect(values(r.params[recurrentBiasName(0)].data)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 90, 100, 110, 120]);
    expect(values(r.params[DECODER_BIAS].data)).toEqual([1, 2, 3]);
  });

  it('each core’s synapses land in the model’s matrices (fp32: exactly the model’s)', () => {
    const model = handModel();
    const r = referenceModel(mapOf(model));
    for (const name of [kernelName(0), recurrentKernelName(0), DECODER_WEIGHT]) {
      expect(values(model.params[name].data).every((w) => w !== 0)).toBe(true);
      expect(values(r.params[name].data)).toEqual(values(model.params[name].data));
    }
  });
});

describe('bit-plane rows', () => {
  // Binary spikes (4-bit weights) with bit-plane events. Weights by hand, largest 0.5 in each matrix: the scale is
  // the power of two at or above 0.5 / 7, 1/8, so 0.5 = 4/8, −0.25 = −2/8 and 0.125 = 1/8 are stored exactly.
  function dyadic(): LanguageModel {
    const model = randomModel(fixtureConfig({ emb: 2, layers: [3], vocabSize: 3 }));
    for (const name of [kernelName(0), recurrentKernelName(0)]) {
      const W = model.params[name].data;
      for (let i = 0; i < W.length; i++) W[i] = [0.5, -0.25, 0.125][i % 3];
    }
    return model;
  }

  it('two planes (--planes 2, the fewest): plane 0’s rows hold the weights, and plane 1’s rows are not read', () => {
    // --planes 1 (where every row was plane 0) is refused now: a signed event needs a sign plane and a magnitude
    // plane. So plane 1's rows, which repeat plane 0's weights, are zeroed here: a reference that read only plane
    // 1 (row_plane[r] === 0 skipped) or read it after plane 0 (no skip; rows go source by source, plane 0 first)
    // would give zeros instead of the weights.
    const model = dyadic();
    const map = compiled(model, { arith: 'binary', binaryEncoding: true, planes: 2, decoder: 'host' });
    // Layer0 has 2 + 3 = 5 sources, each with a row on plane 0 then plane 1.
    expect(map.cores.map((c) => values(c.row_plane!))).toEqual([[0, 1, 0, 1, 0, 1, 0, 1, 0, 1]]);
    let zeroed = 0;
    for (const c of map.cores)
      for (let r = 0; r < c.row_source.length; r++)
        if (c.row_plane![r] === 1) for (let e = c.row_ptr[r]; e < c.row_ptr[r + 1]; e++) (c.weight[e] = 0), zeroed++;
    // 5 plane-1 rows, each reaching 3 gates of each of the 3 units (z, r, g): 5 × 9 = 45 entries.
    expect(zeroed).toBe(45);
    const r = referenceModel(map);
    // Input kernel [2, 12]: each row 0.5, −0.25, 0.125, 0.5, … (index mod 3).
    expect(values(r.params[kernelName(0)].data).slice(0, 6)).toEqual([0.5, -0.25, 0.125, 0.5, -0.25, 0.125]);
    expect(values(r.params[kernelName(0)].data)).toEqual(values(model.params[kernelName(0)].data));
    expect(values(r.params[recurrentKernelName(0)].data)).toEqual(values(model.params[recurrentKernelName(0)].data));
  });

  it('four planes: planes 1–3 repeat plane 0’s weights, and the matrices are the same', () => {
    const model = dyadic();
    const map = compiled(model, { arith: 'binary', binaryEncoding: true, decoder: 'host' });
    expect(new Set(values(map.cores[0].row_plane!))).toEqual(new Set([0, 1, 2, 3]));
    const r = referenceModel(map);
    expect(values(r.params[kernelName(0)].data)).toEqual(values(model.params[kernelName(0)].data));
    expect(values(r.params[recurrentKernelName(0)].data)).toEqual(values(model.params[recurrentKernelName(0)].data));
  });
});

it('a model of eleven layers: layer10’s projections go to layers.10’s matrices', () => {
  // Projection names layer0.input … layer10.recurrent: the layer number has two digits from the eleventh layer on.
  const model = randomModel(fixtureConfig({ emb: 1, layers: Array(11).fill(1), vocabSize: 2 }));
  const map = compiled(model, { decoder: 'host' });
  expect(map.projections.map((p) => p.name)).toContain('layer10.recurrent');
  const r = referenceModel(map);
  for (const name of [kernelName(10), recurrentKernelName(10), kernelName(9)]) {
    expect(values(model.params[name].data).every((w) => w !== 0)).toBe(true);
    expect(values(r.params[name].data)).toEqual(values(model.params[name].data));
  }
});

it('keeps the map’s vocabulary and says in its provenance which map it comes from', () => {
  const model = randomModel(fixtureConfig({ emb: 2, layers: [3], vocabSize: 3 }));
  const r = referenceModel(compiled(model, { arith: 'int8', seed: 7 }));
  expect(r.vocab).toEqual(['<eos>', '<unk>', 'w2']);
  expect(r.provenance).toEqual({
    data: 'compiled map for tiny', seed: 7, steps: 0, tokens: 0, commands: [], createdAt: '', neuromapVersion: NEUROMAP_VERSION,
    settings: { arithmetic: 'int8' },
  });
  expect(r.metrics).toEqual({});
  expect(r.masks).toEqual({});
});

describe('host tensors beside populations on the chip', () => {
  // A projection of 2 and the decoder, both on the chip; the compiler then writes no host tensors. A map may carry some
  // anyway (nmap-check.ts only asks them to be finite): those of a population on the chip, or of no model tensor at
  // all, must not replace what the cores hold.
  const model = () => randomModel(fixtureConfig({ emb: 2, layers: [3], vocabSize: 3, projection: 2 }));
  const sevens = (n: number) => new Float32Array(n).fill(7);

  it('projection and decoder on the chip: their host tensors are ignored, and so is a tensor the model has not', () => {
    const m = model();
    const map = compiled(m);
    expect(map.host.tensors).toEqual({});
    // projection.weight [3, 2], projection.bias [2], decoder.weight [2, 3], decoder.bias [3].
    map.host.tensors = {
      [PROJECTION_WEIGHT]: sevens(6), [PROJECTION_BIAS]: sevens(2), [DECODER_WEIGHT]: sevens(6), [DECODER_BIAS]: sevens(3), 'notes.extra': sevens(1),
    };
    const r = referenceModel(map);
    expect(r.params['notes.extra']).toBeUndefined();
    for (const name of [PROJECTION_WEIGHT, PROJECTION_BIAS, DECODER_WEIGHT, DECODER_BIAS]) {
      expect(values(r.params[name].data)).not.toContain(7);
      expect(values(r.params[name].data)).toEqual(values(m.params[name].data));
    }
  });

  it('projection on the chip, decoder on the host: the decoder from the host tensors, the projection from its cores', () => {
    const m = model();
    const map = compiled(m);
    // The same map with the decoder moved to the host: its cores dropped, its tensors (and a stale projection, and a
    // tensor of no population, which is taken for the decoder's) on the host.
    const decoder = map.populations.find((p) => p.name === 'decoder')!;
    decoder.where = 'host';
    map.cores = map.cores.filter((c) => c.population !== decoder.id);
    map.host.tensors = {
      [PROJECTION_WEIGHT]: sevens(6), [PROJECTION_BIAS]: sevens(2), [DECODER_WEIGHT]: sevens(6), [DECODER_BIAS]: sevens(3), 'notes.extra': sevens(1),
    };
    const r = referenceModel(map);
    expect(r.params['notes.extra']).toBeUndefined();
    expect(values(r.params[PROJECTION_WEIGHT].data)).toEqual(values(m.params[PROJECTION_WEIGHT].data));
    expect(values(r.params[PROJECTION_BIAS].data)).toEqual(values(m.params[PROJECTION_BIAS].data));
    expect(values(r.params[DECODER_WEIGHT].data)).toEqual([7, 7, 7, 7, 7, 7]);
    expect(values(r.params[DECODER_BIAS].data)).toEqual([7, 7, 7]);
  });
});
