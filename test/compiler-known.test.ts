/**
 * Known-answer tests on tiny hand-built cases: partition cut points worked out by hand from the target's
 * synapse encoding, routes and routing-table entries of a hand placement, and the mesh geometry.
 */
import { lower } from '../compiler/lower';
import { route } from '../compiler/route';
import { verify } from '../compiler/verify';
import { geometry, walk } from '../compiler/mesh';
import { DEFAULT_OPTIONS } from '../compiler/pipeline';
import { LINK, type Partitioned, type Placed } from '../compiler/ir';
import type { LanguageModel } from '../models/model';
import { recurrentKernelName } from '../models/params';
import { loadTarget } from '../targets/load';
import { partitioned } from './helpers/partitioned';
import { tinyWith } from './helpers/targets';
import { fixtureConfig, randomModel } from './fixtures/model';

const tiny = loadTarget('tiny');

const ranges = (ir: Partitioned) => ir.slices.map((s) => [s.start, s.end]);

describe('partition, worked by hand', () => {
  // One EGRU layer of 6 units fed by a 2-wide embedding; only unit 0 has recurrent inputs (6 sources × 3 gates).
  // fp32 synapses take 32 + 8 bits; a row of n takes ⌈(32 + 40n) / 32⌉ words of 4 bytes; each unit 8 bytes of state.
  // A slice of units 0…n−1: 2 embedding rows of 3n synapses + 6 recurrent rows of 3, + 8n bytes:
  //   n = 4: 2·64 + 6·20 + 32 = 280 bytes; n = 5: 2·80 + 6·20 + 40 = 320 bytes.
  function oneHotRecurrence(): LanguageModel {
    const model = randomModel(fixtureConfig({ emb: 2, layers: [6], vocabSize: 3 }));
    const R = model.params[recurrentKernelName(0)].data;
    for (let j = 0; j < 6; j++) for (let c = 0; c < 18; c++) if (c % 6 !== 0) R[j * 18 + c] = 0;
    return model;
  }
  const target = tinyWith({ memory_bytes: 300 });

  it('pack fills each core as far as memory allows: units 0–3 (280 of 300 bytes), then 4–5', () => {
    const ir = partitioned(oneHotRecurrence(), target);
    expect(ranges(ir)).toEqual([[0, 4], [4, 6]]);
    expect(ir.slices.map((s) => s.usage.memoryBytes)).toEqual([280, 2 * 36 + 16]);
    expect(ir.slices[0].usage).toMatchObject({ neurons: 4, fanIn: 8, synapses: 2 * 12 + 6 * 3, addresses: 16 });
  });

  it('balance keeps two cores but evens the expected work: unit 0 costs twice the others', () => {
    // Work per unit (tiny latencies, every source active): update 10 ns + synaptic ops + spike 2 ns:
    // unit 0: 10 + 6 + 18 + 2 = 36 ns, units 1–5: 10 + 6 + 2 = 18 ns. Best split of 126 ns: 72 | 54.
    const ir = partitioned(oneHotRecurrence(), target, { strategy: 'balance' });
    expect(ranges(ir)).toEqual([[0, 3], [3, 6]]);
    expect(ir.slices.map((s) => Math.round(s.work * 1e9))).toEqual([72, 54]);
  });

  describe('balance over --cores N (the same model: unit 0 36 ns, units 1–5 18 ns each, 126 ns in all)', () => {
    const works = (ir: ReturnType<typeof partitioned>) => ir.slices.map((s) => Math.round(s.work * 1e9));
    const notes = (ir: ReturnType<typeof partitioned>) => ir.diagnostics.map((d) => `${d.pass}: ${d.message}`).join('\n');

    it('--cores 3: the smallest cap that needs 3 cores is 54 ns: units 0–1 | 2–4 | 5', () => {
      // Under a cap below 54 ns, units 0 and 1 (36 + 18) cannot share a core: 0 | 1–2 | 3–4 | 5 is 4 cores.
      // At 54: 0–1 (54) | 2–4 (54) | 5 (18). Memory: 0–1 takes 2·36 + 6·20 + 16 = 208 bytes, 2–4 (no recurrent rows)
      // 2 rows of 9: 2·⌈(32 + 360) / 32⌉·4 + 24 = 128 bytes, both under 300.
      const ir = partitioned(oneHotRecurrence(), target, { strategy: 'balance', cores: 3 });
      expect(ranges(ir)).toEqual([[0, 2], [2, 5], [5, 6]]);
      expect(works(ir)).toEqual([54, 54, 18]);
    });

    it('--cores 4: the cap falls to unit 0’s own 36 ns: 0 | 1–2 | 3–4 | 5', () => {
      const ir = partitioned(oneHotRecurrence(), target, { strategy: 'balance', cores: 4 });
      expect(ranges(ir)).toEqual([[0, 1], [1, 3], [3, 5], [5, 6]]);
      expect(works(ir)).toEqual([36, 36, 36, 18]);
      expect(notes(ir)).toContain('partition: balance (--cores 4): 4 slices: layer0 4 (≤2 units)');
    });

    it('--cores 5: no cap below 36 ns exists (unit 0 alone), so the free core splits the first busiest slice of two units, 1–2', () => {
      const ir = partitioned(oneHotRecurrence(), target, { strategy: 'balance', cores: 5 });
      expect(ranges(ir)).toEqual([[0, 1], [1, 2], [2, 3], [3, 5], [5, 6]]);
      expect(works(ir)).toEqual([36, 18, 18, 36, 18]);
    });

    it('refuses fewer cores than pack needs, and more than there are units, saying the bound', () => {
      expect(() => partitioned(oneHotRecurrence(), target, { strategy: 'balance', cores: 1 })).toThrow(
        '--cores 1: the model needs at least 2 cores on tiny-test (layer0 2, as --strategy pack cuts it): give --cores 2 or more',
      );
      expect(() => partitioned(oneHotRecurrence(), target, { strategy: 'balance', cores: 7 })).toThrow(
        '--cores 7: the model has 6 units to place on cores, at most one core each: give --cores 6 or fewer',
      );
      expect(() => partitioned(oneHotRecurrence(), target, { strategy: 'pack', cores: 4 })).toThrow(/--cores 4 spreads layers .* --strategy pack uses the fewest cores/);
      expect(() => partitioned(oneHotRecurrence(), target, { strategy: 'balance', cores: 2.5 })).toThrow('--cores must be a whole number of cores, 1 or more; got 2.5');
    });

    it('says so when balance changes nothing: on pack’s 2 cores, or with every layer on one core', () => {
      // 2 cores: 0–2 | 3–5 (72 | 54) is balance's cut; pack's is 0–3 | 4–5, so no note.
      expect(notes(partitioned(oneHotRecurrence(), target, { strategy: 'balance' }))).not.toContain('as pack would');
      // Room for the whole layer on one core: balance has nothing to even out.
      const roomy = partitioned(oneHotRecurrence(), tinyWith({ memory_bytes: 1000 }), { strategy: 'balance' });
      expect(ranges(roomy)).toEqual([[0, 6]]);
      expect(roomy.diagnostics).toContainEqual({
        pass: 'partition', level: 'warning',
        message: 'balance placed every layer as pack would: each layer already fits one core; use --cores N (more than 1) to spread',
      });
      // With --cores 2 it spreads: 0–2 | 3–5, as balance does on the tighter memory.
      expect(ranges(partitioned(oneHotRecurrence(), tinyWith({ memory_bytes: 1000 }), { strategy: 'balance', cores: 2 }))).toEqual([[0, 3], [3, 6]]);
    });
  });

  it('the index bits bound units per core: 8 bits name 256 accumulators, 64 EGRU units', () => {
    const model = randomModel(fixtureConfig({ emb: 1, layers: [70], vocabSize: 3 }), { sparsity: 0.97 });
    const ir = partitioned(model, tinyWith({ neurons: 1000, memory_bytes: 100000, fan_in: 1000, fan_out: 1000 }));
    expect(ranges(ir)).toEqual([[0, 64], [64, 70]]);
  });
});

describe('routes of a hand placement', () => {
  // Two units of one layer, one per core (neurons: 1), the decoder on the host. Unit 0 sits on core 0
  // (chip 0, router (0,0)); unit 1 on core 15 (chip 1, group (1,1), grid position (3,1)). Routers: chip ·
  // 4 + y · 2 + x, so the grid row y = 0 is routers 0, 1 | 4, 5 and row y = 1 is 2, 3 | 6, 7.
  // Built inside each test, not once for the block: Stryker credits a test only with the code run inside it, so a
  // route computed at describe level left route.ts's mutants to tests that never look at links.
  const routedByHand = () => {
    const model = randomModel(fixtureConfig({ emb: 2, layers: [2], vocabSize: 3 }));
    const ir = partitioned(model, tinyWith({ neurons: 1 }));
    const placed: Placed = {
      ...ir, stage: 'placed', chips: 2, sliceCore: Int32Array.from([0, 15]),
      placement: { heuristic: 'by hand', initialCost: 0, finalCost: 0, swaps: 0 },
    };
    return route(placed);
  };

  it('builds one tree per distinct (source, destinations): x first, then y, across the chip edge', () => {
    const routed = routedByHand();
    verify(routed);
    const r = routed.routes;
    expect(r.count).toBe(3);
    // Both embedding values share a route; the host decoder's outputs (sources 4–6) go nowhere on chip.
    expect(Array.from(r.unitRoute)).toEqual([0, 0, 1, 2, -1, -1, -1]);
    expect(Array.from(r.source)).toEqual([-1, 0, 1]);
    expect(Array.from(r.origin)).toEqual([0, 0, 7]);
    expect(Array.from(r.toHost)).toEqual([0, 1, 1]);
    const edges = (q: number) =>
      Array.from({ length: r.edgePtr[q + 1] - r.edgePtr[q] }, (_, i) => {
        const e = r.edgePtr[q] + i;
        return `${r.edgeFrom[e]}>${r.edgeTo[e]}`;
      });
    expect(edges(0)).toEqual(['0>1', '1>4', '4>5', '5>7']);
    expect(edges(1)).toEqual(['0>1', '1>4', '4>5', '5>7']);
    expect(edges(2)).toEqual(['7>6', '6>3', '3>2', '2>0']);
    expect(Array.from(r.edgeLink.subarray(r.edgePtr[2], r.edgePtr[3]))).toEqual([LINK.west, LINK.west, LINK.west, LINK.north]);
    for (let q = 0; q < 3; q++) expect(Array.from(r.destCore.subarray(r.destPtr[q], r.destPtr[q + 1]))).toEqual([0, 15]);
  });

  it('counts one table entry per route and router, with its links and local cores', () => {
    const t = routedByHand().tables;
    expect(t.scope).toBe('group');
    expect(Array.from(t.owner)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(Array.from(t.entries)).toEqual([3, 2, 1, 1, 2, 2, 1, 3]);
    const at = (router: number) =>
      Array.from({ length: t.entries[router] }, (_, i) => {
        const e = t.entryPtr[router] + i;
        return { source: t.entrySource[e], links: t.entryLinks[e], cores: Array.from(t.deliveryCore.subarray(t.deliveryPtr[e], t.deliveryPtr[e + 1])) };
      });
    expect(at(0)).toEqual([
      { source: -1, links: LINK.east, cores: [0] },
      { source: 0, links: LINK.east | LINK.host, cores: [0] },
      { source: 1, links: LINK.host, cores: [0] },
    ]);
    expect(at(5)).toEqual([
      { source: -1, links: LINK.south, cores: [] },
      { source: 0, links: LINK.south, cores: [] },
    ]);
  });
});

describe('mesh geometry', () => {
  it('numbers routers chip by chip and prices hops by direction and chip edge', () => {
    const lowered = lower(randomModel(), tiny, DEFAULT_OPTIONS);
    const geo = geometry(lowered.ctx, 2);
    expect(geo.routers).toBe(8);
    expect([geo.gx[15], geo.gy[15], geo.router[15]]).toEqual([3, 1, 7]);
    expect(geo.routerAt(2, 0)).toBe(4);
    // (0,0) → (3,1): 2 east-west mesh hops (1 pJ), 1 chip hop (10 pJ), 1 north-south hop (2 pJ).
    expect(geo.hopEnergy(0, 0, 3, 1)).toBeCloseTo(14e-12, 20);
    expect(geo.hopEnergy(1, 1, 1, 1)).toBeCloseTo(1e-12, 20); // within a group
    const steps: string[] = [];
    walk(3, 1, 0, 0, (fx, fy, tx, ty) => steps.push(`${fx},${fy}>${tx},${ty}`));
    expect(steps).toEqual(['3,1>2,1', '2,1>1,1', '1,1>0,1', '0,1>0,0']);
  });
});
