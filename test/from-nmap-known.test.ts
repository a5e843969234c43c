/**
 * The compiled map as the simulator's input (simulator/from-nmap.ts): fp32 maps shared as they are, integer
 * weights turned into values with the scale of each row's own projection, and every way a map can disagree
 * with its own target refused in one line naming the file.
 */
import { compile, nmapBody, referenceModel } from '../compiler';
import type { CompileOptions } from '../compiler/ir';
import type { NmapBody } from '../compiler/nmap';
import { evaluate } from '../models/evaluate';
import type { LanguageModel } from '../models/model';
import { recurrentKernelName } from '../models/params';
import { simMapFromNmap } from '../simulator/from-nmap';
import { runModel } from '../simulator/run-model';
import { loadTarget } from '../targets/load';
import { errorOf } from './helpers/errors';
import { fixtureConfig, randomModel } from './fixtures/model';

const tiny = loadTarget('tiny');

function model(): LanguageModel {
  const m = randomModel(fixtureConfig({ emb: 8, layers: [9, 7], vocabSize: 20 }), { sparsity: 0.5, seed: 11 });
  for (const [name, t] of Object.entries(m.params)) if (name.endsWith('.thr')) t.data.fill(0.01);
  return m;
}
const body = (options: Partial<CompileOptions>, m = model()): NmapBody => nmapBody(compile(m, tiny, options));

describe('numbers', () => {
  it('shares an fp32 map\'s weights, thresholds and biases instead of copying them', () => {
    const nmap = body({ arith: 'fp32' });
    const { map } = simMapFromNmap(nmap);
    expect(map.table!.weight).toBe(nmap.synapses.weight);
    map.cores.forEach((c, i) => {
      expect(c.weight).toBe(nmap.cores[i].weight);
      expect(c.thr).toBe(nmap.cores[i].thr);
      expect(c.bias).toBe(nmap.cores[i].bias);
    });
  });

  it('scales each integer row by its own projection: layer 1\'s input and recurrent weights 16× apart', () => {
    // Layer 1's recurrent weights made 16× larger than the rest: its projection gets a 16× coarser weight scale,
    // so any row valued with another projection's scale is 16× off, and the simulation leaves the quantised model.
    const m = model();
    const recurrent = m.params[recurrentKernelName(1)].data;
    recurrent.forEach((v, i) => (recurrent[i] = v * 16));
    const nmap = body({ arith: 'int8' }, m);
    const scales = new Set(nmap.projections.filter((p) => p.to !== nmap.populations.length - 1).map((p) => p.weight_scale));
    expect(scales.size).toBe(2);
    const reference = referenceModel(nmap);
    const ids = Int32Array.from({ length: 25 }, (_, i) => (i * 7 + 3) % 20);
    const want = evaluate(reference.config, reference.params, ids);
    const exact = { ...nmap, populations: nmap.populations.map((p) => ({ ...p, event: { kind: 'float' as const } })) };
    const run = runModel(exact, ids, {});
    const events = run.activity.events();
    expect(want.layers.every((l) => l.events > 0)).toBe(true);
    expect(run.map.populations.flatMap((p, i) => (p.kind === 'egru' ? [events[i]] : []))).toEqual(want.layers.map((l) => l.events));
    expect(Math.exp(-run.activity.logProbs.reduce((a, b) => a + b, 0) / run.tokens)).toBeCloseTo(want.perplexity, 4);
  });
});

describe('numbers a compiled map never holds, as a map file may (nmap-check accepts them)', () => {
  it('an fp32 map whose state scale is not 1: thresholds and biases are stored value × scale, in copies', () => {
    // state_scale 2 on the population of the first core with thresholds; its thresholds stored as 0.375 and
    // biases as −0.5 become 0.375 × 2 = 0.75 and −0.5 × 2 = −1 (both exact in binary), in new arrays: the
    // map's own stay as stored. Scale 1 shares them (the test above).
    const n = body({ arith: 'fp32' });
    const i = n.cores.findIndex((c) => c.thr !== null && c.bias !== null);
    const core = n.cores[i];
    const thr = new Float32Array(core.thr!.length).fill(0.375), bias = new Float32Array(core.bias!.length).fill(-0.5);
    const scaled: NmapBody = {
      ...n,
      populations: n.populations.map((p, k) => (k === core.population ? { ...p, state_scale: 2 } : p)),
      cores: n.cores.map((c, k) => (k === i ? { ...c, thr, bias } : c)),
    };
    const { map } = simMapFromNmap(scaled);
    expect(thr.length).toBeGreaterThan(0);
    expect(Array.from(map.cores[i].thr!)).toEqual(Array.from(thr, () => 0.75));
    expect(Array.from(map.cores[i].bias!)).toEqual(Array.from(bias, () => -1));
    expect(map.cores[i].thr).not.toBe(thr);
    expect(Array.from(thr)).toEqual(Array.from(thr, () => 0.375));
  });

  it('a native map sends one axon per source whatever its planes field says (0 to 32 in a file)', () => {
    // compiler.planes only counts bit planes: a native map written with planes 0 or 3 is still one axon per
    // source (planes 1), and simulates exactly as the same map with planes 1 (the compiler writes 1).
    const n = body({ arith: 'fp32' });
    expect([n.compiler.encoding, n.compiler.planes]).toEqual(['native', 1]);
    const withPlanes = (planes: number): NmapBody => ({ ...n, compiler: { ...n.compiler, planes } });
    expect([0, 3].map((p) => simMapFromNmap(withPlanes(p)).map.planes)).toEqual([1, 1]);
    const ids = Int32Array.from({ length: 9 }, (_, k) => (k * 7 + 3) % 20);
    const zero = runModel(withPlanes(0), ids, {}), one = runModel(n, ids, {});
    expect(Array.from(zero.activity.logProbs)).toEqual(Array.from(one.activity.logProbs));
  });
});

describe('a map that disagrees with its target, refused in one line', () => {
  const nmap = () => body({ arith: 'fp32' });

  it('names the file, or "the map" when none is given', () => {
    const n = nmap();
    const taller = { ...n, mesh: { ...n.mesh, height: n.mesh.height + 1 } };
    expect(errorOf(() => simMapFromNmap(taller))).toBe('the map does not match its target tiny: mesh 2×3 with 8 cores per chip, the target has 2×2 with 8');
    expect(errorOf(() => simMapFromNmap(taller, 'm.nmap'))).toMatch(/^m\.nmap does not match its target tiny: mesh 2×3/);
  });

  it('mesh width, height and cores per chip each checked', () => {
    const n = nmap();
    expect(errorOf(() => simMapFromNmap({ ...n, mesh: { ...n.mesh, width: 3 } }))).toMatch(/mesh 3×2 with 8 cores per chip/);
    expect(errorOf(() => simMapFromNmap({ ...n, mesh: { ...n.mesh, cores_per_chip: 4 } }))).toMatch(/mesh 2×2 with 4 cores per chip/);
  });

  it('an arithmetic the target does not have', () => {
    const n = nmap();
    expect(errorOf(() => simMapFromNmap({ ...n, compiler: { ...n.compiler, arithmetic: 'fp64' } }))).toBe('the map does not match its target tiny: no arithmetic fp64');
  });

  it('a core recorded at another chip, x, y or index than the target puts its id', () => {
    // tiny: core c sits on chip ⌊c / 8⌋, tile ⌊(c mod 8) / 2⌋ at x = tile mod 2, y = ⌊tile / 2⌋, index c mod 2.
    const n = nmap();
    const moved = (change: object) => errorOf(() => simMapFromNmap({ ...n, cores: n.cores.map((c, i) => (i === 0 ? { ...c, ...change } : c)) }));
    const c = n.cores[0];
    const where = `chip ${c.chip} (${c.x}, ${c.y}) #${c.index}`;
    expect(moved({ chip: c.chip + 1 })).toBe(`the map does not match its target tiny: core ${c.core} is recorded at chip ${c.chip + 1} (${c.x}, ${c.y}) #${c.index}, the target puts it at ${where}`);
    expect(moved({ x: 1 - c.x })).toMatch(new RegExp(`recorded at chip ${c.chip} \\(${1 - c.x}, ${c.y}\\)`));
    expect(moved({ y: 1 - c.y })).toMatch(new RegExp(`recorded at chip ${c.chip} \\(${c.x}, ${1 - c.y}\\)`));
    expect(moved({ index: 1 - c.index })).toMatch(new RegExp(`#${1 - c.index}, the target`));
  });

  it('a core on a chip beyond the map\'s chip count: the count itself is beyond', () => {
    // Every core of this map is on chip 0: with a chip count of 0, chip 0 is already one too many; with 1, none is.
    const n = nmap();
    expect(n.cores.every((c) => c.chip === 0)).toBe(true);
    expect(errorOf(() => simMapFromNmap({ ...n, compiler: { ...n.compiler, chips: 0 } }))).toBe(
      `the map does not match its target tiny: core ${n.cores[0].core} is on chip 0, beyond the map's 0 chips`);
    expect(() => simMapFromNmap({ ...n, compiler: { ...n.compiler, chips: 1 } })).not.toThrow();
  });

  it('a core holding more units than a core of the target can', () => {
    // tiny's cores hold 16 neurons: 17 units from 3 to 20 are one too many; 16 (3 to 19) fit.
    const n = nmap();
    const holding = (end: number) => ({ ...n, cores: n.cores.map((c, i) => (i === 0 ? { ...c, unit_start: 3, unit_end: end } : c)) });
    expect(tiny.core.neurons.value).toBe(16);
    expect(errorOf(() => simMapFromNmap(holding(20)))).toBe(`the map does not match its target tiny: core ${n.cores[0].core} holds 17 units, a core holds 16`);
    expect(() => simMapFromNmap(holding(19))).not.toThrow();
  });

  it('row planes on a map without bit-plane encoding, or none on one with it', () => {
    const n = nmap();
    const planed = { ...n, cores: n.cores.map((c, i) => (i === 0 ? { ...c, row_plane: new Uint8Array(c.row_source.length) } : c)) };
    expect(errorOf(() => simMapFromNmap(planed, 'm.nmap'))).toBe(`m.nmap is malformed: core ${n.cores[0].core} has row planes, its encoding is native`);
    const b = body({ arith: 'binary', binaryEncoding: true, decoder: 'host' });
    const flat = { ...b, cores: b.cores.map((c, i) => (i === 0 ? { ...c, row_plane: null } : c)) };
    expect(errorOf(() => simMapFromNmap(flat, 'm.nmap'))).toBe(`m.nmap is malformed: core ${b.cores[0].core} lacks row planes, its encoding is bit-planes`);
  });
});
