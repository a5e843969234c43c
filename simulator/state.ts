/**
 * Everything the engine needs, prepared once from a map and its target: costs, the prepared network,
 * per-core row lookup and accumulators, feed-forward dependencies, and the counters a run fills.
 */
import { resolveTarget } from '../targets/resolve';
import type { Target } from '../targets/schema';
import { fireBuffer, type FireBuffer } from './activity';
import { simCosts, type Cost, type SimCosts } from './costs';
import type { SimMap } from './map';
import { prepareDeliveries, type Deliveries } from './deliveries';
import { destinationPaths, prepareNetwork, type Network, type Paths } from './network';
import { EventQueue } from './queue';
import { stepScheme, type StepScheme } from './timestep';
import type { Tracer } from './trace';

/**
 * Operation counts, per core where a core does the work, in total for the network and the host. A packet is
 * an event, or in a bit-plane map one spike of an event (engine.ts): eventsOut counts the packets a core
 * sends, eventsIn the deliveries it serves, packets the packets that enter the network, and synOps a synapse
 * per delivery; only macsNow/macsNext count per event. A message is what a sender pays a send for (spike_out on
 * a core, a host I/O on the host): one per packet with multicast delivery, one per (packet, destination core or
 * host) with per-destination-core delivery (targets/README.md routing.delivery). messagesOut counts a core's
 * (its spike_out ops), messages every message that enters the network (cores' and host's), and hops and
 * host I/O count per message.
 *
 * The counts a step's Totals sum (energy.ts) are named once, in these two lists, in the order Totals lists them.
 */
export const CORE_COUNTS = ['synOps', 'activeUpdates', 'idleUpdates', 'eventsOut', 'messagesOut', 'eventsIn'] as const;
/**
 * Counted once for the system. Host I/O: hostEvents injected, hostReceived received (logits, or inputs of a
 * host-side decoder); hostMacs the effective MACs of host-side layers (a host decoder) and hostBusy the host's
 * busy time, its I/O plus that compute (s); syncEnergy the barriers' energy (J); contention Σ time packets
 * waited for a busy link (s); linkBusy Σ time links were held (s).
 */
export const SYSTEM_COUNTS = [
  'packets', 'messages', 'deliveries', 'withinGroup', 'hopsEastWest', 'hopsNorthSouth', 'chipHops', 'hostEvents', 'hostReceived', 'hostMacs', 'hostBusy',
  'syncEnergy', 'contention', 'linkBusy',
] as const;
export type CoreCount = (typeof CORE_COUNTS)[number];
export type SystemCount = (typeof SYSTEM_COUNTS)[number];

export type Counters = { [K in CoreCount]: Float64Array } & { [K in SystemCount]: number } & {
  /** Per core: busy time (s) and steps it overran a fixed tick. */
  busy: Float64Array;
  overruns: Float64Array;
  /**
   * Synaptic ops by projection (source population × P + destination population): into this step's
   * accumulators, and into the next step's (recurrent, or pipelined), which serve the next step's token.
   */
  synOpsNow: Float64Array;
  synOpsNext: Float64Array;
  /**
   * Effective MACs by projection, now and next, in the paper's sense (models/macs.ts): a non-zero input
   * times the synapses of its row. A graded event is served once, so these are synOpsNow/synOpsNext
   * themselves (the same arrays); in a bit-plane map an event is served once per spike and its MACs are
   * counted once, as it leaves (engine.ts).
   */
  macsNow: Float64Array;
  macsNext: Float64Array;
  /** Deliveries scheduled: must equal Σ eventsIn at the end of every step (conservation). */
  scheduled: number;
  syncs: number;
};

/** `planes`: axons per source (SimMap.planes); with more than one, MACs are counted apart from synaptic ops. */
export function counters(cores: number, populations: number, planes = 1): Counters {
  const f = () => new Float64Array(cores);
  const pairs = () => new Float64Array(populations * populations);
  const synOpsNow = pairs(), synOpsNext = pairs();
  const perCore = Object.fromEntries(CORE_COUNTS.map((k) => [k, f()])) as { [K in CoreCount]: Float64Array };
  const system = Object.fromEntries(SYSTEM_COUNTS.map((k) => [k, 0])) as { [K in SystemCount]: number };
  return {
    ...perCore, busy: f(), overruns: f(), ...system,
    synOpsNow, synOpsNext, macsNow: planes > 1 ? pairs() : synOpsNow, macsNext: planes > 1 ? pairs() : synOpsNext,
    scheduled: 0, syncs: 0,
  };
}

export interface EngineState {
  map: SimMap;
  target: Target;
  costs: SimCosts;
  net: Network;
  /** Per-destination-core delivery: every destination's own path (network.ts); null with multicast. */
  paths: Paths | null;
  scheme: StepScheme;
  queue: EventQueue;
  /** What each (source, destination) delivery selects on its core (deliveries.ts). */
  deliveries: Deliveries;
  /**
   * Accumulators of every core (units × slots each, core i from accBase[i]) for this step and the next, and
   * per-core views of both; the engine swaps the two buffers between steps.
   */
  accBase: Int32Array;
  acc: Float32Array;
  accNext: Float32Array;
  accView: Float32Array[];
  accNextView: Float32Array[];
  /** Population of every map core, and of every global source. */
  corePop: Int32Array;
  sourcePop: Int32Array;
  /** Scratch for the packets of one event in a bit-plane map (engine.ts spikes): axons and values. */
  spikeAxon: Int32Array;
  spikeValue: Float64Array;
  /** Map cores that wait for population p's update to finish (feed-forward consumers). */
  downstream: Int32Array[];
  /** Per core: upstream producers (cores, plus one per host population) it waits for each step. */
  upstreamCount: Int32Array;
  waiting: Int32Array;
  inflight: Int32Array;
  updated: Uint8Array;
  coreFree: Float64Array;
  /** Σ busy time of every core when the current step started: a step's own busy time is the difference. */
  busyAtStart: Float64Array;
  /** When the host's I/O channel is next free (s): it injects, then receives, one event per host_io latency. */
  hostFree: number;
  linkFree: Float64Array;
  edgeArrival: Float64Array;
  fire: FireBuffer;
  c: Counters;
  /** The timeline's recorder (trace.ts), given to prepare by a runner that wants one; null: no tracing cost. */
  readonly trace: Tracer | null;
  chipsInUse: number;
  tiles: number;
}

/**
 * `hostMac`: what a MAC of a host-side layer costs the host (zero when the map has none, or nobody says);
 * `tracer`: makes the recorder of the timeline for this map, if the caller wants one.
 */
export function prepare(map: SimMap, target: Target, hostMac?: Cost, tracer?: (map: SimMap) => Tracer): EngineState {
  if (map.target !== target.name) throw new Error(`the map was compiled for target ${map.target}, not ${target.name}`);
  const P = map.populations.length;
  const n = map.cores.length;
  const resolved = resolveTarget(target, map.arith);
  const per = resolved.topology.coresPerChip;
  const seen = new Set<number>();
  map.cores.forEach((c) => {
    if (c.core >= per * map.chips) throw new Error(`core ${c.core} is outside the map's ${map.chips} chips of ${target.name}`);
    if (c.unitEnd - c.unitStart > resolved.limits.neurons)
      throw new Error(`core ${c.core} holds ${c.unitEnd - c.unitStart} units; ${target.name} allows ${resolved.limits.neurons}`);
    if (seen.has(c.core)) throw new Error(`core ${c.core} appears twice in the map`);
    seen.add(c.core);
  });
  const planes = map.planes ?? 1;
  if (!(Number.isInteger(planes) && planes >= 1 && planes <= 30)) throw new Error(`the map has ${planes} axons per source; 1 to 30 are supported`);
  const sourcePop = new Int32Array(map.sources);
  map.populations.forEach((p, i) => sourcePop.fill(i, p.sourceBase, p.sourceBase + p.size));
  const ff = new Uint8Array(P * P);
  map.populations.forEach((p, dst) => p.inputs.forEach((src) => (ff[src * P + dst] = 1)));
  const downstream = map.populations.map((_, src) =>
    Int32Array.from(map.cores.flatMap((c, i) => (ff[src * P + c.population] ? [i] : []))),
  );
  const upstreamCount = Int32Array.from(map.cores, (c) =>
    map.populations[c.population].inputs.reduce(
      (a, src) => a + (map.populations[src].where === 'host' ? 1 : map.cores.filter((d) => d.population === src).length), 0),
  );
  const size = (c: SimMap['cores'][number]) => (c.unitEnd - c.unitStart) * map.populations[c.population].slots;
  const accBase = new Int32Array(n + 1);
  map.cores.forEach((c, i) => (accBase[i + 1] = accBase[i] + size(c)));
  const acc = new Float32Array(accBase[n]), accNext = new Float32Array(accBase[n]);
  const views = (buffer: Float32Array) => map.cores.map((_, i) => buffer.subarray(accBase[i], accBase[i + 1]));
  const net = prepareNetwork(map, target);
  const groups = new Set(map.cores.map((c) => `${c.chip}:${c.x}:${c.y}`));
  const maxUnits = Math.max(1, ...map.populations.map((p) => p.size));
  return {
    map, target, costs: simCosts(target, map.arith, hostMac), net,
    paths: resolved.delivery === 'multicast' ? null : destinationPaths(net, map.routes.count), scheme: stepScheme(target, groups.size), queue: new EventQueue(4096),
    deliveries: prepareDeliveries(map, sourcePop, ff), accBase, acc, accNext,
    accView: views(acc), accNextView: views(accNext),
    corePop: Int32Array.from(map.cores, (c) => c.population), sourcePop, spikeAxon: new Int32Array(planes), spikeValue: new Float64Array(planes), downstream, upstreamCount,
    waiting: new Int32Array(n), inflight: new Int32Array(n), updated: new Uint8Array(n),
    coreFree: new Float64Array(n), busyAtStart: new Float64Array(n), hostFree: 0, linkFree: new Float64Array(net.links), edgeArrival: new Float64Array(map.routes.edgeFrom.length),
    fire: fireBuffer(maxUnits), c: counters(n, P, planes), trace: tracer ? tracer(map) : null, chipsInUse: new Set(map.cores.map((c) => c.chip)).size, tiles: groups.size,
  };
}
