/**
 * NeuroBench's metrics (models/neurobench.ts) from invented counts in which every term differs, the element
 * sizes torch gives each width of value, and runs of no tokens or no weights (0, never 0/0 = NaN in a report).
 */
import { activationSparsity, connectionSparsity, elementBytes, membraneUpdates, neurobenchMetrics, NEUROBENCH_SOURCE } from '../models/neurobench';

describe('NeuroBench metrics from known counts', () => {
  it('divide each count as NeuroBench does', () => {
    // 4 tokens. ConnectionSparsity: (1 + 2) zero of (3 + 4) weights = 3/7 = 0.428571… → 0.4286 (4 decimals).
    // ActivationSparsity: (3 + 2) units × 4 tokens = 20 outputs, 2 + 5 = 7 non-zero: 13/20 = 0.65.
    // SynapticOperations per token: effective MACs (5 + 1)/4 = 1.5, ACs (3 + 7)/4 = 2.5, dense (12 + 8)/4 = 5.
    // MembraneUpdates 10/4 = 2.5. Footprint passes through: 100.
    expect(neurobenchMetrics({
      tokens: 4, footprint: 100,
      connections: [{ zeros: 1, weights: 3 }, { zeros: 2, weights: 4 }],
      ops: [{ dense: 12, effectiveMacs: 5, effectiveAcs: 3 }, { dense: 8, effectiveMacs: 1, effectiveAcs: 7 }],
      layers: [{ units: 3, events: 2 }, { units: 2, events: 5 }],
      membraneUpdates: 10,
    })).toEqual({
      source: NEUROBENCH_SOURCE, sample: 'token', samples: 4, Footprint: 100, ConnectionSparsity: 0.4286, ActivationSparsity: 0.65,
      SynapticOperations: { Effective_MACs: 1.5, Effective_ACs: 2.5, Dense: 5 }, MembraneUpdates: 2.5,
    });
  });

  it('give 0, not NaN, for no tokens or no weights', () => {
    expect(connectionSparsity([])).toBe(0);
    expect(connectionSparsity([{ zeros: 0, weights: 0 }])).toBe(0);
    expect(activationSparsity([{ units: 3, events: 0 }], 0)).toBe(0);
    expect(activationSparsity([], 5)).toBe(0);
    expect(membraneUpdates(0, 0)).toBe(0);
    expect(membraneUpdates(6, 0)).toBe(0);
    expect(neurobenchMetrics({ tokens: 0, footprint: 8, connections: [], ops: [], layers: [], membraneUpdates: 0 })).toMatchObject({
      samples: 0, ConnectionSparsity: 0, ActivationSparsity: 0, SynapticOperations: { Effective_MACs: 0, Effective_ACs: 0, Dense: 0 }, MembraneUpdates: 0,
    });
  });
});

describe('elementBytes (torch element_size of the narrowest dtype that holds the bits)', () => {
  it('1 byte up to 8 bits, 2 up to 16, 4 up to 32, 8 above', () => {
    const widths = [1, 4, 8, 9, 12, 16, 17, 24, 32, 33, 64];
    expect(widths.map(elementBytes)).toEqual([1, 1, 1, 2, 2, 2, 4, 4, 4, 8, 8]);
  });
});
