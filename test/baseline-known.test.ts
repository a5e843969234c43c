/**
 * The dense baselines (simulator/baseline.ts) on an invented processor whose every number differs, worked out by
 * hand: dense MACs per token, weight bytes, on chip or not (and the exact boundary), compute or memory bound (and
 * the tie), each energy term, latency and throughput; and what one MAC of a host-side layer costs.
 */
import { denseBaseline, denseMacsPerToken, hostMacCost, type BaselineReport } from '../simulator/baseline';
import { BaselineSchema, type Baseline } from '../targets/baseline-schema';
import { fixtureConfig } from './fixtures/model';

type Numbers = Omit<Baseline, 'name' | 'description' | 'references'>;
const invented = (value: number) => ({ value, source: 'invented for a known answer' });

/**
 * A processor of round numbers: 1000 MAC/s at batch-1 efficiency 0.5 (500 MAC/s), 2-byte weights, 429 bytes of
 * cache, 100 bytes/s of DRAM; 0.01 J a MAC, 0.001 J a cached byte, 0.1 J a DRAM byte, 3 W static, 0.2 s a token.
 */
function processor(changes: Partial<Record<keyof Numbers, number>> = {}): Baseline {
  const numbers: Record<keyof Numbers, number> = {
    mac_energy_j: 0.01, peak_macs_per_s: 1000, batch1_efficiency: 0.5, weight_bytes: 2, on_chip_bytes: 429,
    on_chip_energy_per_byte_j: 0.001, dram_energy_per_byte_j: 0.1, dram_bytes_per_s: 100, static_w: 3,
    per_token_overhead_s: 0.2, ...changes,
  };
  const entries = Object.entries(numbers).map(([k, v]) => [k, invented(v)]);
  return BaselineSchema.parse({ name: 'invented', description: 'an invented processor', references: { r: 'none' }, ...Object.fromEntries(entries) });
}

// EGRU (3 gates), vocabulary 7, embedding 2, layers 3 and 5, projection 4: layer 0 (2 + 3) · 3 · 3 = 45,
// layer 1 (3 + 5) · 3 · 5 = 120, projection 5 · 4 = 20, decoder 4 · 7 = 28: 213 MACs.
const projected = () => fixtureConfig({ vocabSize: 7, emb: 2, layers: [3, 5], projection: 4 });

/** A report's latency, throughput (to 11 places, as worked out) and energy terms against the hand-worked numbers. */
function expectPerToken(r: BaselineReport, want: { latency: number; throughput: number; compute: number; memory: number; static: number; energy: number }) {
  expect(r.latency_per_token_s).toBeCloseTo(want.latency, 12);
  expect(r.throughput_tokens_per_s).toBeCloseTo(want.throughput, 11);
  expect(r.breakdown.compute).toBeCloseTo(want.compute, 12);
  expect(r.breakdown.memory).toBeCloseTo(want.memory, 12);
  expect(r.breakdown.static).toBeCloseTo(want.static, 12);
  expect(r.energy_per_token_j).toBeCloseTo(want.energy, 12);
}

describe('denseMacsPerToken', () => {
  it('every weight of every layer, the projection and the decoder once per token', () => {
    expect(denseMacsPerToken(projected())).toBe(213);
    // Without the projection the decoder reads the last layer: 45 + 120 + 5 · 7 = 200.
    expect(denseMacsPerToken(fixtureConfig({ vocabSize: 7, emb: 2, layers: [3, 5], projection: 0 }))).toBe(200);
  });
});

describe('denseBaseline', () => {
  it('weights that miss the cache by one byte: memory bound, every term', () => {
    // Bytes (213 MACs + the embedding row of 2) · 2 = 430 > 429: from DRAM. Compute 213 / 500 = 0.426 s, transfer
    // 430 / 100 = 4.3 s: memory bound; latency 4.3 + 0.2 = 4.5 s, 1 / 4.5 = 0.2222 tokens/s.
    // Energy: 213 · 0.01 = 2.13 J compute, 430 · 0.1 = 43 J memory, 3 W · 4.5 s = 13.5 J static: 58.63 J.
    const r = denseBaseline(projected(), processor());
    expect(r).toMatchObject({ baseline: 'invented', description: 'an invented processor', dense_macs_per_token: 213, weight_bytes_per_token: 430, weights_on_chip: false, bound: 'memory' });
    expectPerToken(r, { latency: 4.5, throughput: 0.222222222222, compute: 2.13, memory: 43, static: 13.5, energy: 58.63 });
    expect(Object.keys(r.assumptions)).not.toContain('references');
    expect(r.assumptions.static_w.value).toBe(3);
  });

  it('weights that fill the cache exactly: on chip, compute bound', () => {
    // 430 bytes ≤ 430: cached, no transfer. Compute 0.426 s: latency 0.426 + 0.2 = 0.626 s (1.597444 tokens/s).
    // Energy: 2.13 J compute, 430 · 0.001 = 0.43 J memory, 3 · 0.626 = 1.878 J static: 4.438 J.
    const r = denseBaseline(projected(), processor({ on_chip_bytes: 430 }));
    expect(r).toMatchObject({ weight_bytes_per_token: 430, weights_on_chip: true, bound: 'compute' });
    expectPerToken(r, { latency: 0.626, throughput: 1.597444089457, compute: 2.13, memory: 0.43, static: 1.878, energy: 4.438 });
  });

  it('compute and transfer taking exactly as long: compute bound', () => {
    // 426 · 0.5 = 213 MAC/s: 213 MACs take 1 s; 1-byte weights, (213 + 2) · 1 = 215 bytes at 215 bytes/s, no
    // cache: 1 s. A tie is not memory bound. Latency 1 + 0.2 = 1.2 s.
    const r = denseBaseline(projected(), processor({ peak_macs_per_s: 426, weight_bytes: 1, dram_bytes_per_s: 215, on_chip_bytes: 0 }));
    expect(r).toMatchObject({ weight_bytes_per_token: 215, weights_on_chip: false, bound: 'compute' });
    expect(r.latency_per_token_s).toBeCloseTo(1.2, 12);
  });
});

describe('hostMacCost: one MAC of a host-side layer', () => {
  it('weights beyond the cache: a 2-byte weight from DRAM', () => {
    // 300 weights · 2 = 600 bytes > 429: DRAM. Compute 1 / 500 = 0.002 s, transfer 2 / 100 = 0.02 s: 0.02 s.
    // Energy 0.01 (MAC) + 2 · 0.1 (DRAM) + 3 W · 0.02 s = 0.01 + 0.2 + 0.06 = 0.27 J.
    const c = hostMacCost(processor(), 300);
    expect(c.latency).toBeCloseTo(0.02, 12);
    expect(c.energy).toBeCloseTo(0.27, 12);
  });

  it('weights in the cache, below and exactly at its size', () => {
    // 100 · 2 = 200 bytes ≤ 429, and 215 · 2 = 430 ≤ 430: cached. 0.002 s; 0.01 + 2 · 0.001 + 3 · 0.002 = 0.018 J.
    for (const [weights, cache] of [[100, 429], [215, 430]]) {
      const c = hostMacCost(processor({ on_chip_bytes: cache }), weights);
      expect(c.latency).toBeCloseTo(0.002, 12);
      expect(c.energy).toBeCloseTo(0.018, 12);
    }
  });
});
