/**
 * Known answers for simulator/state.ts prepare: the maps it refuses (a core beyond the map's chips, too many
 * units on a core, a core twice, an unsupported number of axons per source), each in one line that names
 * what is wrong, and the accumulator layout of cores that hold a later slice of their population. The tiny
 * target: 8 cores per chip, 16 neurons per core. Every map is built inside its test (Stryker credits only
 * code run there).
 */
import { prepare } from '../simulator/state';
import type { SimMap } from '../simulator/map';
import { loadTarget } from '../targets/load';
import { MapBuilder } from './helpers/map-builder';

const tiny = loadTarget('tiny');

/** A host embedding (1 source) feeding `units` units of a chip population with `slots` slots, on the given cores. */
function mapOf(units: number, slots: number, cores: { core: number; unitStart: number; unitEnd: number }[]): SimMap {
  const b = new MapBuilder(tiny);
  const emb = b.population({ name: 'embedding', kind: 'embedding', where: 'host', size: 1, slots: 1, inputs: [] });
  const layer = b.population({ name: 'layer', kind: 'relu', where: 'chip', size: units, slots, inputs: [emb] });
  for (const c of cores) b.synapse(b.core({ ...c, population: layer }), b.source(emb, 0), 0, 0, 1);
  return b.build();
}

describe('prepare refuses a map it cannot run', () => {
  it('a core beyond the map\'s chips: core 8 is the first of chip 1, core 7 the last of chip 0', () => {
    const twoChips = mapOf(2, 1, [{ core: 7, unitStart: 0, unitEnd: 1 }, { core: 8, unitStart: 1, unitEnd: 2 }]);
    expect(twoChips.chips).toBe(2);
    expect(() => prepare(twoChips, tiny)).not.toThrow();
    // The same cores in a map that says it has 1 chip: cores 0 … 7 exist, core 8 does not.
    expect(() => prepare({ ...twoChips, chips: 1 }, tiny)).toThrow("core 8 is outside the map's 1 chips of tiny");
  });

  it('more units on a core than the target allows, counted from the core\'s own first unit', () => {
    // Units 3 … 19: 17 units, one more than tiny's 16 (3 … 18, 16 units, is fine).
    expect(() => prepare(mapOf(20, 1, [{ core: 0, unitStart: 3, unitEnd: 19 }]), tiny)).not.toThrow();
    expect(() => prepare(mapOf(20, 1, [{ core: 0, unitStart: 3, unitEnd: 20 }]), tiny)).toThrow('core 0 holds 17 units; tiny allows 16');
  });

  it('a core listed twice', () => {
    const map = mapOf(2, 1, [{ core: 2, unitStart: 0, unitEnd: 1 }, { core: 2, unitStart: 1, unitEnd: 2 }]);
    expect(() => prepare(map, tiny)).toThrow('core 2 appears twice in the map');
  });

  it('axons per source: 1 to 30, whole', () => {
    const map = mapOf(1, 1, [{ core: 0, unitStart: 0, unitEnd: 1 }]);
    for (const planes of [1, 30]) expect(() => prepare({ ...map, planes }, tiny)).not.toThrow();
    for (const planes of [0, 31, 1.5]) expect(() => prepare({ ...map, planes }, tiny)).toThrow(`the map has ${planes} axons per source; 1 to 30 are supported`);
  });
});

describe('accumulators', () => {
  it('each core gets its own units × slots, wherever its units start', () => {
    // 5 units of 4 slots: core 0 holds units 2 … 4 (3 × 4 = 12 accumulators), core 1 units 0 … 1 (2 × 4 = 8).
    const state = prepare(mapOf(5, 4, [{ core: 0, unitStart: 2, unitEnd: 5 }, { core: 1, unitStart: 0, unitEnd: 2 }]), tiny);
    expect([...state.accBase]).toEqual([0, 12, 20]);
    expect(state.acc.length).toBe(20);
    expect(state.accView.map((v) => v.length)).toEqual([12, 8]);
  });
});
