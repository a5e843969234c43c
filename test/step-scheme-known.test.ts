/**
 * How a timestep ends (simulator/timestep.ts), by hand: tiny's barrier (10 ns + 1 ns per tile, 1 pJ per tile),
 * and a barrier asked of a target that has none.
 */
import { barrierScheme } from '../simulator/timestep';
import { loadTarget } from '../targets/load';

describe('barrierScheme', () => {
  it('on tiny with 3 tiles: the next step starts 10 + 3 · 1 = 13 ns after the last activity, for 3 pJ', () => {
    const s = barrierScheme(loadTarget('tiny'), 3).end(0, 100e-9, new Float64Array(2));
    expect(s.next).toBeCloseTo(113e-9, 18);
    expect(s.end).toBeCloseTo(113e-9, 18);
    expect(s.syncEnergy).toBeCloseTo(3e-12, 24);
    expect(s.ticks).toBe(1);
    expect(s.overran).toEqual([]);
  });

  it('a fixed-tick target has no barrier, and says so', () => {
    expect(() => barrierScheme(loadTarget('spinnaker2'), 1)).toThrow('target spinnaker2 has no barrier');
  });
});
