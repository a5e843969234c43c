/**
 * How a timestep ends, as a strategy chosen by the target's `timestep.scheme` (SANA-FE's habit: timing
 * schemes share one signature). Given when a step started and when its last activity finished, a scheme
 * says when the next step starts and what synchronisation cost.
 */
import { barrierCost } from '../targets/derive';
import type { Target } from '../targets/schema';

export interface StepEnd {
  /** Start of the next step (s). */
  next: number;
  /** End of this step as the token sees it: finish plus any synchronisation (s). */
  end: number;
  syncEnergy: number;
  /** Cores (map indices) still busy when the step's time was up (fixed tick). */
  overran: number[];
}

export interface StepScheme {
  name: 'barrier' | 'fixed-tick';
  end(start: number, finish: number, coreFree: Float64Array): StepEnd;
}

/** Loihi-like: a global barrier after the last activity; latency and energy grow with the tiles in use. */
export function barrierScheme(t: Target, tiles: number): StepScheme {
  const cost = barrierCost(t, tiles);
  if (!cost) throw new Error(`target ${t.name} has no barrier`);
  return {
    name: 'barrier',
    end: (_start, finish) => ({ next: finish + cost.latency_s, end: finish + cost.latency_s, syncEnergy: cost.energy_j, overran: [] }),
  };
}

/** SpiNNaker2-like: a step every tick, no barrier; a core still busy at the next tick has overrun. */
export function fixedTickScheme(tick: number): StepScheme {
  return {
    name: 'fixed-tick',
    end: (start, finish, coreFree) => {
      const next = start + tick;
      const overran: number[] = [];
      coreFree.forEach((f, i) => f > next && overran.push(i));
      return { next: Math.max(next, start), end: Math.max(finish, next), syncEnergy: 0, overran };
    },
  };
}

export function stepScheme(t: Target, tiles: number): StepScheme {
  return t.timestep.scheme === 'barrier' ? barrierScheme(t, tiles) : fixedTickScheme(t.timestep.tick_s.value);
}
