/**
 * Runs a token stream through the engine step by step, recording each step's timing and operation counts.
 * Still pure: the caller passes the activity (what the neurons do) and may observe steps through onStep.
 */
import type { Target } from '../targets/schema';
import type { Activity } from './activity';
import { runStep, type StepTiming } from './engine';
import { diff, energy, totals, type EnergyBreakdown, type Totals } from './energy';
import type { SimMap } from './map';
import { prepare, type EngineState } from './state';
import type { Tracer } from './trace';

export interface StepRecord extends StepTiming {
  ops: Totals;
  energy: EnergyBreakdown;
}

export interface SimRun {
  state: EngineState;
  steps: StepRecord[];
}

export interface SimOptions {
  /** Simulated time of the first step (s); default 0. */
  startTime?: number;
  /** Makes the recorder of the run's timeline (trace.ts ChromeTrace), if one is wanted. */
  tracer?: (map: SimMap) => Tracer;
  /** Called once the engine state exists. */
  onPrepared?: (state: EngineState) => void;
  onStep?: (record: StepRecord, step: number) => void;
}

export function simulate(map: SimMap, target: Target, activity: Activity, steps: number, opts: SimOptions = {}): SimRun {
  const state = prepare(map, target, undefined, opts.tracer);
  opts.onPrepared?.(state);
  return { state, steps: continueRun(state, activity, 0, steps, opts.startTime ?? 0, opts.onStep) };
}

/** Runs steps first … first+count−1 on a prepared state starting at simulated time `start`. */
export function continueRun(st: EngineState, activity: Activity, first: number, count: number, start: number,
  onStep?: (record: StepRecord, step: number) => void): StepRecord[] {
  const out: StepRecord[] = [];
  let before = totals(st.c);
  let t = start;
  for (let s = first; s < first + count; s++) {
    const timing = runStep(st, activity, s, t);
    const now = totals(st.c);
    const ops = diff(now, before);
    before = now;
    // Static power runs until the next step starts: after the barrier, or at the tick boundary after the work.
    const span = timing.next - timing.start;
    const rec = { ...timing, ops, energy: energy(ops, st.costs, st.target, st.chipsInUse, st.map.cores.length, span) };
    out.push(rec);
    onStep?.(rec, s);
    t = timing.next;
  }
  return out;
}
