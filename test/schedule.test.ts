/** Pipeline lags, worked out by hand from who feeds whom (simulator/schedule.ts). */
import { loadTarget } from '../targets/load';
import type { SimMap, SimPopulation } from '../simulator/map';
import { scheduled } from '../simulator/schedule';
import { MapBuilder } from './helpers/map-builder';

const tiny = loadTarget('tiny');

/** A map of these populations and no cores: the schedule reads only who feeds whom. */
function mapOf(pops: [name: string, where: 'host' | 'chip', inputs: number[]][]): SimMap {
  const b = new MapBuilder(tiny);
  for (const [name, where, inputs] of pops) b.population({ name, kind: 'relu', where, size: 1, slots: 1, inputs });
  return b.build();
}

describe('scheduled', () => {
  // embedding (host, injects) → layer0 → layer1 → projection (chip) → decoder (host)
  const map = mapOf([['embedding', 'host', []], ['layer0', 'chip', [0]], ['layer1', 'chip', [1]], ['projection', 'chip', [2]], ['decoder', 'host', [3]]]);

  it('sequential: every lag 0, the map unchanged', () => {
    const s = scheduled(map, 'sequential');
    expect([...s.lag]).toEqual([0, 0, 0, 0, 0]);
    expect(s.map).toBe(map);
  });

  it('pipelined: a chip input from a chip population adds a step; the injection and a host consumer add none', () => {
    const s = scheduled(map, 'pipelined');
    // layer0 reads the injection in its step (0); layer1 reads layer0 a step later (1); projection (2);
    // the host decoder reads the projection in the step it arrives, so it shares its lag (2).
    expect([...s.lag]).toEqual([0, 0, 1, 2, 2]);
    // Chip populations keep only host inputs as same-step inputs; the host decoder keeps its own.
    expect(s.map.populations.map((p: SimPopulation) => p.inputs)).toEqual([[], [0], [], [], [3]]);
  });

  it('takes the longest way in: two paths of different depth', () => {
    // c reads a (depth 1) and b (fed by a: depth 2), so c lags 2 behind a's step + 1 = 2.
    const s = scheduled(mapOf([['emb', 'host', []], ['a', 'chip', [0]], ['b', 'chip', [1]], ['c', 'chip', [1, 2]]]), 'pipelined');
    expect([...s.lag]).toEqual([0, 0, 1, 2]);
  });

  it('refuses a loop through other populations', () => {
    expect(() => scheduled(mapOf([['emb', 'host', []], ['a', 'chip', [0, 2]], ['b', 'chip', [1]]]), 'pipelined'))
      .toThrow(/population (a|b) feeds itself through other populations: no pipeline order/);
  });
});

describe('which inputs make a population wait', () => {
  // Every map is built inside its test (Stryker credits only code run there).
  it('a chip population with no inputs is no injection: its consumer still waits a step for it', () => {
    // a sends from a chip (it reads nothing), so b reads a's events a step later: lag 1. Only a host
    // population with no inputs (the host's injection) is served in the same step.
    const s = scheduled(mapOf([['a', 'chip', []], ['b', 'chip', [0]]]), 'pipelined');
    expect([...s.lag]).toEqual([0, 1]);
  });

  it('a host population with inputs is no injection either: a chip population it feeds shares its lag', () => {
    // emb injects (lag 0) → a (0) → c (chip after chip: 1) → h on the host (shares c's lag: 1) → b on chip,
    // fed by a host population: it reads h's events as they arrive, lag 1, not 0 as if h were the injection.
    const s = scheduled(mapOf([['emb', 'host', []], ['a', 'chip', [0]], ['c', 'chip', [1]], ['h', 'host', [2]], ['b', 'chip', [3]]]), 'pipelined');
    expect([...s.lag]).toEqual([0, 0, 1, 1, 1]);
    // b keeps its host input as a same-step input; c's chip input moves to the next step.
    expect(s.map.populations.map((p: SimPopulation) => p.inputs)).toEqual([[], [0], [], [2], [3]]);
  });
});
