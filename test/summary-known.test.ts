/**
 * Known answers for compile's summary (compiler/summary.ts): SUMMARY.json's facts and the text `neuromap compile`
 * and `neuromap inspect` print, for a tiny compiled map worked out by hand, and for summaries written by hand
 * where a small compile does not reach (several chips, bit-plane events, a per-core table cut to its fullest cores
 * with a memory tie at the cut, warnings). Every expected line is written out in full.
 */
import { compile } from '../compiler/pipeline';
import { summarize, summaryText, type CoreSummary, type Summary } from '../compiler/summary';
import type { LanguageModel } from '../models/model';
import { recurrentKernelName } from '../models/params';
import { tinyWith } from './helpers/targets';
import { fixtureConfig, randomModel } from './fixtures/model';

describe('summarize and summaryText on a compiled map on one chip', () => {
  // The model of compiler-known.test.ts: one EGRU layer of 6 units fed by a 2-wide embedding (on the host);
  // only unit 0 has recurrent inputs (6 sources × 3 gates). Decoder on the host, so every unit also feeds the host.
  function oneHotRecurrence(): LanguageModel {
    const model = randomModel(fixtureConfig({ emb: 2, layers: [6], vocabSize: 3 }));
    const R = model.params[recurrentKernelName(0)].data;
    for (let j = 0; j < 6; j++) for (let c = 0; c < 18; c++) if (c % 6 !== 0) R[j * 18 + c] = 0;
    return model;
  }

  it('per layer, per chip, per core and the utilization and routing lines, worked out by hand', () => {
    // tiny with 300 bytes a core; fp32 rows of n synapses take ⌈(32 + 40n) / 32⌉ words of 4 bytes, a unit 8 bytes.
    // pack: core 0 units 0–3: 2 embedding rows of 12 + 6 recurrent rows of 3 = 42 synapses, 2·64 + 6·20 + 32 = 280 B;
    //       core 1 units 4–5: 2 embedding rows of 6 = 12 synapses, 2·⌈272/32⌉·4 + 16 = 88 B. 54 synapses, 368 B.
    // Both slices land in tile (0,0) of chip 0 (cores 0 and 1), next to the host's router: 8 cores on one chip.
    // Fan-in: 2 embedding + 6 recurrent axons on core 0, 2 on core 1. Fan-out (multicast): one axon per unit
    // (every unit feeds the host) = 4 and 2. Routes: one per source slice with the same destinations (embedding
    // from the host, slice 0, slice 1: each to core 0 or both cores, and the host) = 3, all at router (0,0): 0 links,
    // one group table of 3 entries, which both cores report.
    const s = summarize(compile(oneHotRecurrence(), tinyWith({ memory_bytes: 300 }), { decoder: 'host' }));
    // max mem: 280 / 300 = 93.3% (the fullest core of the layer, not the emptiest).
    expect(s.per_layer).toEqual([
      { population: 'layer0', kind: 'egru', units: 6, cores: 2, synapses: 54, memory_bytes: 368, max_memory_utilization: 280 / 300 },
    ]);
    // Utilization over 2 cores: memory 280/300 = 93.3%, mean 184/300 = 61.3%; neurons 4/16 = 25.0%, mean 3/16 =
    // 18.75% → 18.8%; fan-in 8/64 = 12.5%, mean 5/64 = 7.8%; fan-out 4/64 = 6.25% → 6.3%, mean 3/64 = 4.7%.
    // The default 12 rows show both cores, in id order, with no "(the N fullest of M)".
    expect(summaryText(s).split('\n\n').slice(0, 5)).toEqual([
      'model → tiny-test (fp32, pack, decoder on host): 6 units, 54 synapses on 2 of 8 cores, 1 chip',
      [
        'per layer',
        '  population  kind  units  cores  synapses  memory B  max mem',
        '  ----------  ----  -----  -----  --------  --------  -------',
        '  layer0      egru      6      2        54       368  93.3%',
      ].join('\n'),
      [
        'per chip',
        '  chip  cores  units  synapses  memory B',
        '  ----  -----  -----  --------  --------',
        '     0      2      6        54       368',
      ].join('\n'),
      [
        'per core',
        '  id  chip  x,y  core  population  units  neurons  synapses  memory B    mem  fan-in  fan-out  routing',
        '  --  ----  ---  ----  ----------  -----  -------  --------  --------  -----  ------  -------  -------',
        '   0     0  0,0     0  layer0        0–3        4        42       280  93.3%       8        4        3',
        '   1     0  0,0     1  layer0        4–5        2        12        88  29.3%       2        2        3',
      ].join('\n'),
      [
        'utilization (max / mean over cores in use): memory 93.3% / 61.3%, neurons 25.0% / 18.8%, fan-in 12.5% / 7.8%, fan-out 6.3% / 4.7%',
        'routing: 3 routes over 0 links; 1 group table, at most 3 of 64 entries',
      ].join('\n'),
    ]);
    // fp32, one plane: every synapse is stored once, so the stored count is the 42 + 12 above.
    expect([s.synapses, s.stored_synapses]).toEqual([54, 54]);
  });

  it('per chip on two chips: the chip the map does not use is listed empty, not credited with every core', () => {
    // Same map with --chips 2: both slices stay next to the host's router on chip 0 (placement's host-energy term),
    // so chip 1 holds nothing.
    const s = summarize(compile(oneHotRecurrence(), tinyWith({ memory_bytes: 300 }), { decoder: 'host', chips: 2 }));
    expect(s.per_core.map((c) => c.chip)).toEqual([0, 0]);
    expect([s.chips, s.cores_available]).toEqual([2, 16]);
    expect(s.per_chip).toEqual([
      { chip: 0, cores: 2, neurons: 6, synapses: 54, memory_bytes: 368 },
      { chip: 1, cores: 0, neurons: 0, synapses: 0, memory_bytes: 0 },
    ]);
  });

  it('marks warnings, and only warnings, in the diagnostics (bit-plane events warn; the partition note does not)', () => {
    const s = summarize(compile(oneHotRecurrence(), tinyWith({ memory_bytes: 3000 }), { decoder: 'host', arith: 'binary', binaryEncoding: true }));
    expect(s.diagnostics.filter((d) => d.startsWith('lower (warning): bit-plane encoding: events go out as up to'))).toHaveLength(1);
    expect(s.diagnostics.filter((d) => d.startsWith('partition: '))).toHaveLength(1);
    expect(s.diagnostics.filter((d) => d.includes('(warning)'))).toHaveLength(1);
  });
});

describe('summaryText of a summary written by hand: two chips, bit-plane events, the fullest cores', () => {
  // Four cores on two chips of tiny (8 cores a chip: id = chip·8 + tile·2 + core), 400 bytes each, memory
  // 100, 200, 300, 200 bytes: sorted fullest first, 8 (300) then 3 and 13 (200 each, the tie broken by id: 3).
  const core = (id: number, chip: number, x: number, y: number, index: number, population: string, units: [number, number],
    synapses: number, memory_bytes: number, fan_in: number, fan_out: number, routing_entries: number): CoreSummary => ({
    id, chip, x, y, core: index, population, units, neurons: units[1] - units[0], synapses, memory_bytes, memory_capacity: 400,
    fan_in, fan_out, routing_entries, expected_busy_s_per_step: 1e-7,
  });
  const handMade = (): Summary => ({
    model: 'lm', target: 'tiny', arithmetic: 'int8', encoding: 'bit-planes', strategy: 'balance', decoder: 'chip', calibrated: true,
    chips: 2, cores_used: 4, cores_available: 16, neurons: 12, synapses: 1500, stored_synapses: 6000,
    per_core: [
      core(0, 0, 0, 0, 0, 'layer0', [0, 4], 1200, 100, 10, 4, 2),
      core(3, 0, 1, 0, 1, 'layer0', [4, 8], 1000, 200, 12, 4, 3),
      core(8, 1, 0, 0, 0, 'layer1', [0, 2], 2400, 300, 32, 8, 5),
      core(13, 1, 0, 1, 1, 'layer1', [2, 4], 1400, 200, 20, 8, 4),
    ],
    per_layer: [
      { population: 'layer0', kind: 'egru', units: 8, cores: 2, synapses: 550, memory_bytes: 300, max_memory_utilization: 0.5 },
      { population: 'layer1', kind: 'egru', units: 4, cores: 2, synapses: 950, memory_bytes: 500, max_memory_utilization: 0.75 },
    ],
    per_chip: [
      { chip: 0, cores: 2, neurons: 8, synapses: 2200, memory_bytes: 300 },
      { chip: 1, cores: 2, neurons: 4, synapses: 3800, memory_bytes: 500 },
    ],
    utilization: { memory: { max: 0.75, mean: 0.5 }, neurons: { max: 0.25, mean: 0.1 }, fan_in: { max: 0.5, mean: 0.3 }, fan_out: { max: 0.125, mean: 0.0937 } },
    routing: { scope: 'chip', routes: 1234, links: 56, tables: 2, max_entries: 60, capacity: 64 },
    quantization: { projections: [], populations: [] },
    placement: { heuristic: 'greedy', initial_cost_j_per_step: 2e-11, final_cost_j_per_step: 1e-11, swaps: 1 },
    diagnostics: ['lower: calibrated on 9 tokens', 'route (warning): a table is nearly full'],
  });
  const head = [
    'lm → tiny (int8, bit-plane events, balance, decoder on chip): 12 units, 1,500 synapses on 4 of 16 cores, 2 chips',
    [
      'per layer',
      '  population  kind  units  cores  synapses  memory B  max mem',
      '  ----------  ----  -----  -----  --------  --------  -------',
      '  layer0      egru      8      2       550       300  50.0%',
      '  layer1      egru      4      2       950       500  75.0%',
    ].join('\n'),
    [
      'per chip',
      '  chip  cores  units  synapses  memory B',
      '  ----  -----  -----  --------  --------',
      '     0      2      8     2,200       300',
      '     1      2      4     3,800       500',
    ].join('\n'),
  ];
  const tail = [
    [
      'utilization (max / mean over cores in use): memory 75.0% / 50.0%, neurons 25.0% / 10.0%, fan-in 50.0% / 30.0%, fan-out 12.5% / 9.4%',
      'routing: 1,234 routes over 56 links; 2 chip tables, at most 60 of 64 entries',
    ].join('\n'),
    '  lower: calibrated on 9 tokens\n  route (warning): a table is nearly full',
  ];
  const header = [
    '  id  chip  x,y  core  population  units  neurons  synapses  memory B    mem  fan-in  fan-out  routing',
    '  --  ----  ---  ----  ----------  -----  -------  --------  --------  -----  ------  -------  -------',
  ];

  const twoRows = () => [
    ...head,
    [
      'per core (the 2 fullest of 4)',
      ...header,
      '   3     0  1,0     1  layer0        4–7        4     1,000       200  50.0%      12        4        3',
      '   8     1  0,0     0  layer1        0–1        2     2,400       300  75.0%      32        8        5',
    ].join('\n'),
    ...tail,
  ].join('\n\n');

  it('two rows: the 2 fullest of 4, cores 8 (300 B) and 3 (200 B, tied with 13, lower id), listed by id', () => {
    expect(summaryText(handMade(), 2)).toBe(twoRows());
  });

  it('the tie goes to the lower id whatever order per_core lists the cores in (here 13, 8, 3, 0)', () => {
    const s = handMade();
    s.per_core.reverse();
    expect(summaryText(s, 2)).toBe(twoRows());
  });

  it('every row (Infinity, as inspect asks): all 4 cores in id order, no "fullest"', () => {
    expect(summaryText(handMade(), Infinity)).toBe([
      ...head,
      [
        'per core',
        ...header,
        '   0     0  0,0     0  layer0        0–3        4     1,200       100  25.0%      10        4        2',
        '   3     0  1,0     1  layer0        4–7        4     1,000       200  50.0%      12        4        3',
        '   8     1  0,0     0  layer1        0–1        2     2,400       300  75.0%      32        8        5',
        '  13     1  0,1     1  layer1        2–3        2     1,400       200  50.0%      20        8        4',
      ].join('\n'),
      ...tail,
    ].join('\n\n'));
  });

  it('three rows: 8, then 3 and 13 (both 200 B), 0 left out; still listed by id', () => {
    expect(summaryText(handMade(), 3).split('\n\n')[3]).toBe([
      'per core (the 3 fullest of 4)',
      ...header,
      '   3     0  1,0     1  layer0        4–7        4     1,000       200  50.0%      12        4        3',
      '   8     1  0,0     0  layer1        0–1        2     2,400       300  75.0%      32        8        5',
      '  13     1  0,1     1  layer1        2–3        2     1,400       200  50.0%      20        8        4',
    ].join('\n'));
  });
});
