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
  /** Cores (map indices) still busy when the step's first tick was up (fixed tick). */
  overran: number[];
  /** Ticks the step took (fixed tick; 1 on a barrier target). */
  ticks: number;
}

export interface StepScheme {
  name: 'barrier' | 'fixed-tick';
  /** The tick (s) of a fixed-tick target; 0 on a barrier target. */
  tick: number;
  end(start: number, finish: number, coreFree: Float64Array): StepEnd;
}

/** Loihi-like: a global barrier after the last activity; latency and energy grow with the tiles in use. */
export function barrierScheme(t: Target, tiles: number): StepScheme {
  const cost = barrierCost(t, tiles);
  if (!cost) throw new Error(`target ${t.name} has no barrier`);
  return {
    name: 'barrier',
    tick: 0,
    end: (_start, finish) => ({ next: finish + cost.latency_s, end: finish + cost.latency_s, syncEnergy: cost.energy_j, overran: [], ticks: 1 }),
  };
}

/**
 * SpiNNaker2-like: steps start on tick boundaries, with no barrier. A step whose work (the host's I/O
 * included) ends within its tick lets the next step start at the next tick. One that runs past it has
 * overrun: the cores still busy at the tick are reported. The next step then starts at the first tick
 * boundary after the work ends, because a token cannot enter before the previous one is through (sequential)
 * or before its inputs of the previous wave have arrived (pipelined). Otherwise steps would overlap, and
 * latency would grow along the run at a rate set by how long the run is. The step's time is then a whole
 * number of ticks, so static power is paid for every tick, as on the real chip.
 */
export function fixedTickScheme(tick: number): StepScheme {
  return {
    name: 'fixed-tick',
    tick,
    end: (start, finish, coreFree) => {
      const first = start + tick;
      const overran: number[] = [];
      coreFree.forEach((f, i) => f > first && overran.push(i));
      // A hair of tolerance so that work ending exactly on a boundary (up to rounding) takes that many ticks.
      const ticks = Math.max(1, Math.ceil((finish - start) / tick - 1e-9));
      return { next: start + ticks * tick, end: finish, syncEnergy: 0, overran, ticks };
    },
  };
}

export function stepScheme(t: Target, tiles: number): StepScheme {
  return t.timestep.scheme === 'barrier' ? barrierScheme(t, tiles) : fixedTickScheme(t.timestep.tick_s.value);
}
