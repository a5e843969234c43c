/**
 * A compiled map run on a token stream, computing the model for real: the map and host model from the
 * *.nmap body, the schedule's inputs and lags, the ModelActivity, and the engine for tokens + max lag
 * steps. While it runs it attributes every projection's effective MACs to the token they serve, so they
 * count exactly the work whose results a token uses (models/macs.ts's accounting): the recurrent ops of the
 * last token serve no token and are charged as energy and time but not as MACs. A graded event's MACs are
 * its synaptic ops; in a bit-plane map an event costs a synaptic op per synapse per spike (its set bits) but
 * counts its MACs once (state.ts Counters.macsNow).
 */
import { UserError } from '../models/config';
import { simMapFromNmap, type HostModel, type NmapBody } from './from-nmap';
import type { SimMap } from './map';
import { ModelActivity } from './model-activity';
import { continueRun, type SimRun, type StepRecord } from './run';
import { scheduled, type Schedule } from './schedule';
import { prepare } from './state';
import type { Target } from '../targets/schema';
import type { Baseline } from '../targets/baseline-schema';
import type { Tracer } from './trace';
import { hostMacCost } from './baseline';

export interface ModelRunOptions {
  /** Predict at most this many tokens (0 or absent: all but the first id). */
  maxTokens?: number;
  schedule?: Schedule;
  onStep?: (record: StepRecord, step: number) => void;
  /** Makes the recorder of the run's timeline (trace.ts ChromeTrace), if one is wanted. */
  tracer?: (map: SimMap) => Tracer;
  /** Called once the engine state exists. */
  onPrepared?: (run: { state: SimRun['state'] }) => void;
  /**
   * The host's processor, which runs host-side layers (`--decoder host`): required when the map has one. The
   * caller loads it (loadBaseline(HOST_PROCESSOR) unless it names another), so the run reads no file.
   */
  hostProcessor?: Baseline;
  /** The wall clock in ms (performance.now unless a caller injects another), for ModelRun.wall only. */
  now?: () => number;
}

export interface ModelRun extends SimRun {
  target: Target;
  map: SimMap;
  host: HostModel;
  schedule: Schedule;
  lag: Int32Array;
  tokens: number;
  activity: ModelActivity;
  /** Effective MACs per projection (source × P + destination) that served a token in 0 … tokens−1. */
  macsByPair: Float64Array;
  /** The part of macsByPair whose source sent only 0 or ±1 values that token (NeuroBench's ACs). */
  binaryMacsByPair: Float64Array;
  /** The processor host-side layers ran on (baseline name). */
  hostProcessor: string;
  /** Wall-clock seconds spent preparing the engine and running the steps. */
  wall: { prepare: number; run: number };
}

/** The processor that runs host-side layers unless the caller names another. */
export const HOST_PROCESSOR = 'dense-cpu';

export function runModel(nmap: NmapBody, ids: Int32Array, options: ModelRunOptions = {}, file = 'the map'): ModelRun {
  const available = Math.max(0, ids.length - 1);
  const tokens = options.maxTokens && options.maxTokens > 0 ? Math.min(options.maxTokens, available) : available;
  if (tokens < 1) throw new UserError('the text has no tokens to predict: it needs at least two words after tokenisation');
  const now = options.now ?? (() => performance.now());
  const t0 = now();
  const base = simMapFromNmap(nmap, file);
  const schedule = options.schedule ?? 'sequential';
  const { map, lag } = scheduled(base.map, schedule);
  const activity = new ModelActivity(map, base.host, ids, tokens, lag);
  const hostWeights = activity.head.weights();
  if (hostWeights > 0 && !options.hostProcessor)
    throw new Error(`${file} runs layers on the host: pass the host's processor (hostProcessor: loadBaseline(HOST_PROCESSOR))`);
  const processor = options.hostProcessor ?? null;
  const hostMac = processor && hostWeights > 0 ? hostMacCost(processor, hostWeights) : undefined;
  const state = prepare(map, base.target, hostMac, options.tracer);
  options.onPrepared?.({ state });
  const P = map.populations.length;
  const macsByPair = new Float64Array(P * P), binaryMacsByPair = new Float64Array(P * P);
  const lastNow = new Float64Array(P * P), lastNext = new Float64Array(P * P);
  const served = (token: number) => token >= 0 && token < tokens;
  const t1 = now();
  const steps = continueRun(state, activity, 0, tokens + Math.max(0, ...lag), 0, (record, step) => {
    const { macsNow, macsNext } = state.c;
    for (let pair = 0; pair < P * P; pair++) {
      const from = (pair - (pair % P)) / P, to = pair % P;
      let macs = 0;
      if (served(step - lag[to])) macs += macsNow[pair] - lastNow[pair];
      if (served(step + 1 - lag[to])) macs += macsNext[pair] - lastNext[pair];
      macsByPair[pair] += macs;
      // Whatever this step served, its source sent it this step, for its token step − lag[from].
      const source = step - lag[from];
      if (macs > 0 && served(source) && activity.binaryByToken[source * P + from]) binaryMacsByPair[pair] += macs;
    }
    lastNow.set(macsNow);
    lastNext.set(macsNext);
    options.onStep?.(record, step);
  });
  const t2 = now();
  return {
    state, steps, target: base.target, map, host: base.host, schedule, lag, tokens, activity, macsByPair, binaryMacsByPair, hostProcessor: processor?.name ?? HOST_PROCESSOR,
    wall: { prepare: (t1 - t0) / 1000, run: (t2 - t1) / 1000 },
  };
}
