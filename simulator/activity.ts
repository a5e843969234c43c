/**
 * What the neurons do, as a strategy the engine calls: which host events enter each step, and, at a
 * core's neuron update, which of its units are active and which emit events. The engine only times and
 * counts. Three strategies: a fixed script (tests), seeded random firing (benchmarks), and the model computed
 * for real (model-activity.ts).
 */

/** Scratch the strategy writes into: `count` events (ids, values) and the number of active units. */
export interface FireBuffer {
  ids: Int32Array;
  values: Float32Array;
  count: number;
  active: number;
  /** EGRU: units whose state changed at this update (NeuroBench's membrane updates); 0 for other kinds. */
  changed: number;
}

export function fireBuffer(capacity: number): FireBuffer {
  return { ids: new Int32Array(capacity), values: new Float32Array(capacity), count: 0, active: 0, changed: 0 };
}

export interface Activity {
  /** Host events of a step (the embedding): global source ids and values. */
  host(step: number, out: FireBuffer): void;
  /**
   * Neuron update of map core `core` (its index in map.cores) at `step`; `acc` holds its accumulators
   * (units × slots) for this step. Writes the local unit indices that emit, their values, and `active`.
   */
  update(core: number, step: number, acc: Float32Array, units: number, slots: number, out: FireBuffer): void;
  /** An event of global source `source` reaches the host (a logit, or an input of a host-side decoder). */
  receive?(step: number, source: number, value: number): void;
  /**
   * The step's queue is empty: every event of the step has been served and received. Returns the effective
   * MACs the host computed on what it received (a host-side decoder), which the engine times and charges.
   */
  endStep?(step: number): number;
}

/**
 * A fixed script, for tests: host events per step, and the local units each core fires per step (a unit, of
 * value 1, or [unit, value]). A unit counts as active when it fires or any of its accumulators is non-zero.
 */
export function scripted(script: {
  host: [source: number, value: number][][];
  fire?: Record<number, (number | [unit: number, value: number])[][]>;
}): Activity {
  return {
    host(step, out) {
      const events = script.host[step] ?? [];
      events.forEach(([s, v], i) => ((out.ids[i] = s), (out.values[i] = v)));
      out.count = events.length;
    },
    update(core, step, acc, units, slots, out) {
      const fired = (script.fire?.[core]?.[step] ?? []).map((f) => (typeof f === 'number' ? [f, 1] : f));
      fired.forEach(([u, v], i) => ((out.ids[i] = u), (out.values[i] = v)));
      out.count = fired.length;
      let active = 0;
      for (let u = 0; u < units; u++) {
        let any = fired.some(([f]) => f === u);
        for (let s = 0; s < slots && !any; s++) any = acc[u * slots + s] !== 0;
        if (any) active++;
      }
      out.active = active;
    },
  };
}

/**
 * Seeded random activity, for benchmarks: every host source sends a value each step (a dense embedding)
 * unless `hostDensity` < 1; every unit fires with probability p; every unit counts as active.
 */
export function randomActivity(seed: number, p: number, hostSources: number[], hostDensity = 1): Activity {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
  return {
    host(_step, out) {
      let n = 0;
      for (const src of hostSources) if (hostDensity >= 1 || next() < hostDensity) (out.ids[n] = src), (out.values[n++] = next() - 0.5);
      out.count = n;
    },
    update(_core, _step, _acc, units, _slots, out) {
      let n = 0;
      for (let u = 0; u < units; u++) if (next() < p) (out.ids[n] = u), (out.values[n++] = next());
      out.count = n;
      out.active = units;
    },
  };
}
