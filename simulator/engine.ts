/**
 * The discrete-event core. One timestep = one token: the host injects its events (one host I/O each,
 * serially), each core serves incoming packets one at a time (a synaptic op per row entry), updates its
 * units once every feed-forward input of the step has arrived, and sends one packet per event; packets
 * cross the route tree hop by hop, holding each link for one hop's latency. The step ends when the queue is
 * empty, by the target's scheme (timestep.ts). Pure: no I/O, no wall clock; simulated time starts at the
 * injected `startTime`. Events sent to a population that does not consume them in the same step (recurrent)
 * are served on arrival into the next step's accumulators. Routes that end at the host (logits, or the
 * events a host-side decoder reads) are received there one host I/O apart, after the step's injection; a
 * host-side decoder then computes on the host (its MACs at the host processor's cost per MAC), which keeps
 * the host busy and so belongs to the step.
 *
 * Bit-plane populations (SimPopulation.spikes) send an event as one binary spike per set bit of its integer
 * value, each a packet of its own on axon (source, plane) with its own spike_out (or host I/O), hops and
 * deliveries; a spike's value is its plane's weight in the event, ±2^k · scale, which the receiving rows (the
 * stored weights, the same on every plane) multiply as they would the event's value: the hardware applies that
 * factor per synapse group (Loihi's weight exponent). Synaptic ops count per spike; effective MACs
 * (Counters.macsNow/macsNext) once per event, when its spikes leave.
 *
 * Delivery follows the target (routing.delivery). Multicast: a packet leaves its sender once (one spike_out, or
 * one host I/O) and is copied along its route tree, one hop per tree edge. Per destination core: the sender
 * sends one message per destination core (and one to the host when the route ends there), one send latency
 * apart in route order; each message pays its own send and takes its own dimension-order path (the tree's path
 * to its destination), hop by hop, holding each link it crosses.
 */
import type { Activity } from './activity';
import { HOP } from './network';
import type { EngineState } from './state';

const SEND = 0, DELIVER = 1, UPDATE = 2, DONE = 3, RECEIVE = 4, DELIVER_ONE = 5;

export interface StepTiming {
  start: number;
  /** Last activity of the step, the host's last receipt included (s). */
  finish: number;
  /** When the token's step is over: finish plus synchronisation, or the tick (s). */
  end: number;
  /** Start of the next step (s). */
  next: number;
  overran: number[];
  /** Ticks the step took (fixed tick; 1 on a barrier target). */
  ticks: number;
  /**
   * The step's busiest resource: the map core with the most busy time in the step, or −1 for the host (its
   * serial I/O plus host-side compute). The step cannot be shorter than that resource's work.
   */
  critical: number;
}

export function runStep(st: EngineState, activity: Activity, step: number, start: number): StepTiming {
  const { map, queue: q, costs, c } = st;
  st.waiting.set(st.upstreamCount);
  st.updated.fill(0);
  st.busyAtStart.set(c.busy);
  const hostBusyAtStart = c.hostBusy;
  // Host events leave one host I/O latency apart, once the host's channel is free (on a fixed tick it may
  // still be receiving the previous token's outputs); each host population is done after its last event.
  const fire = st.fire;
  activity.host(step, fire);
  const hostLat = costs.host_io_event.latency;
  const inject = Math.max(start, st.hostFree);
  let sent = 0;
  // Multicast: a packet's SEND is when it leaves; per destination core, when its first message starts.
  const hostSend = (axon: number, value: number) => {
    const m = messagesOf(st, axon);
    if (m > 0) q.push(inject + (st.paths ? sent : sent + 1) * hostLat, SEND, -1, axon, value);
    sent += m;
  };
  if (st.deliveries.planes === 1) for (let i = 0; i < fire.count; i++) hostSend(fire.ids[i], fire.values[i]);
  else {
    for (let i = 0; i < fire.count; i++) {
      const n = spikes(st, fire.ids[i], fire.values[i]);
      for (let k = 0; k < n; k++) hostSend(st.spikeAxon[k], st.spikeValue[k]);
    }
  }
  c.hostEvents += sent;
  c.hostBusy += sent * hostLat;
  st.hostFree = inject + sent * hostLat;
  if (sent) st.trace?.host(inject, st.hostFree, 'inject');
  map.populations.forEach((p, i) => p.where === 'host' && q.push(st.hostFree, DONE, -1 - i, 0, 0));
  for (let i = 0; i < map.cores.length; i++) ready(st, i, start);
  let finish = start;
  while (q.length > 0) {
    const slot = q.pop();
    const t = q.timeOf(slot), kind = q.kind[slot], a = q.a[slot], b = q.b[slot], v = q.value[slot];
    if (t > finish) finish = t;
    if (kind === DELIVER) deliver(st, a, b, v, t);
    else if (kind === DELIVER_ONE) serve(st, st.net.destIndex[a], 3 * (st.deliveries.base[b] - map.routes.destPtr[st.deliveries.route[b]] + a), v, t);
    else if (kind === SEND) (st.paths ? sendEach(st, a, b, v, t) : send(st, b, v, t));
    else if (kind === UPDATE) update(st, activity, a, step, t);
    else if (kind === RECEIVE) {
      st.hostFree = (t > st.hostFree ? t : st.hostFree) + hostLat;
      st.trace?.host(st.hostFree - hostLat, st.hostFree, 'receive');
      c.hostReceived++;
      c.hostBusy += hostLat;
      activity.receive?.(step, st.deliveries.planes === 1 ? b : Math.floor(b / st.deliveries.planes), v);
    } else {
      const pop = a >= 0 ? map.cores[a].population : -1 - a;
      for (const d of st.downstream[pop]) st.waiting[d]--, ready(st, d, t);
    }
  }
  const hostMacs = activity.endStep?.(step) ?? 0;
  if (hostMacs > 0) {
    // The host computes its layers once it has received their inputs.
    const dur = hostMacs * costs.host_mac.latency, begin = st.hostFree > start ? st.hostFree : start;
    st.trace?.host(begin, begin + dur, 'decode');
    st.hostFree = begin + dur;
    c.hostMacs += hostMacs;
    c.hostBusy += dur;
  }
  if (st.hostFree > finish) finish = st.hostFree;
  let critical = -1, most = c.hostBusy - hostBusyAtStart;
  for (let i = 0; i < map.cores.length; i++) {
    if (!st.updated[i]) throw new Error(`core ${map.cores[i].core} never updated in step ${step}: its populations' inputs form a cycle`);
    if (st.coreFree[i] > finish) finish = st.coreFree[i];
    const busy = c.busy[i] - st.busyAtStart[i];
    if (busy > most) (most = busy), (critical = i);
  }
  [st.acc, st.accNext, st.accView, st.accNextView] = [st.accNext, st.acc, st.accNextView, st.accView];
  const end = st.scheme.end(start, finish, st.coreFree);
  c.syncEnergy += end.syncEnergy;
  if (st.scheme.name === 'barrier') c.syncs++;
  for (const i of end.overran) c.overruns[i]++;
  st.trace?.step(step, start, end.end);
  return { start, finish, end: end.end, next: end.next, overran: end.overran, ticks: end.ticks, critical };
}

/** A core whose feed-forward inputs are all in gets its neuron update, once per step. */
function ready(st: EngineState, i: number, t: number): void {
  if (st.updated[i] || st.waiting[i] !== 0 || st.inflight[i] !== 0) return;
  st.updated[i] = 1;
  st.queue.push(Math.max(t, st.coreFree[i]), UPDATE, i, 0, 0);
}

/** A packet of `axon` (a source, or a source's plane) leaves its core (or the host) at t and is delivered along its route tree. */
function send(st: EngineState, axon: number, value: number, t: number): void {
  const r = st.map.routes;
  const route = st.deliveries.route[axon];
  if (route < 0) return;
  const { net, costs, c, edgeArrival } = st;
  c.packets++;
  c.messages++;
  for (let e = r.edgePtr[route]; e < r.edgePtr[route + 1]; e++) {
    const p = net.edgeParent[e];
    edgeArrival[e] = hop(st, e, p < 0 ? t : edgeArrival[p]);
  }
  // One event per run of destinations on the same router: they arrive together (network.ts destRunEnd).
  const { code, base } = st.deliveries;
  const k0 = base[axon] - r.destPtr[route];
  for (let d = r.destPtr[route]; d < r.destPtr[route + 1]; d = net.destRunEnd[d]) {
    const e = net.destEdge[d];
    let arrival: number;
    if (e < 0) arrival = t + costs.spike_within_group.latency;
    else arrival = edgeArrival[e];
    for (let q = d; q < net.destRunEnd[d]; q++) {
      if (code[3 * (k0 + q)] & 1) st.inflight[net.destIndex[q]]++;
      if (e < 0) c.withinGroup++;
    }
    c.scheduled += net.destRunEnd[d] - d;
    c.deliveries += net.destRunEnd[d] - d;
    st.queue.push(arrival, DELIVER, d, axon, value);
  }
  const h = net.hostEdge[route];
  if (h !== -2) {
    if (h === -1) c.withinGroup++;
    st.queue.push(h === -1 ? t + costs.spike_within_group.latency : edgeArrival[h], RECEIVE, -1, axon, value);
  }
}

/** Messages one packet of `axon` takes: 1 with multicast; per destination core, its route's cores and the host. */
function messagesOf(st: EngineState, axon: number): number {
  if (!st.paths) return 1;
  const route = st.deliveries.route[axon];
  if (route < 0) return 0;
  const r = st.map.routes;
  return r.destPtr[route + 1] - r.destPtr[route] + r.toHost[route];
}

/**
 * Per-destination-core delivery: the packet of `axon` from `from` (a map core, or −1 the host) leaves as one
 * message per destination, the j-th (from 1) one send latency × j after t, each along its own path.
 */
function sendEach(st: EngineState, from: number, axon: number, value: number, t: number): void {
  const r = st.map.routes, route = st.deliveries.route[axon];
  if (route < 0) return;
  const { net, costs, c } = st;
  const paths = st.paths!;
  const lat = from < 0 ? costs.host_io_event.latency : costs.spike_out.latency;
  const k0 = st.deliveries.base[axon] - r.destPtr[route];
  const code = st.deliveries.code;
  c.packets++;
  let j = 0;
  for (let d = r.destPtr[route]; d < r.destPtr[route + 1]; d++) {
    const depart = t + ++j * lat;
    let arrival: number;
    if (net.destEdge[d] < 0) (arrival = depart + costs.spike_within_group.latency), c.withinGroup++;
    else arrival = travel(st, paths.path, paths.pathPtr[d], paths.pathPtr[d + 1], depart);
    if (code[3 * (k0 + d)] & 1) st.inflight[net.destIndex[d]]++;
    c.messages++;
    c.scheduled++;
    c.deliveries++;
    st.queue.push(arrival, DELIVER_ONE, d, axon, value);
  }
  if (r.toHost[route]) {
    const depart = t + ++j * lat;
    let arrival: number;
    if (net.hostEdge[route] === -1) (arrival = depart + costs.spike_within_group.latency), c.withinGroup++;
    else arrival = travel(st, paths.hostPath, paths.hostPathPtr[route], paths.hostPathPtr[route + 1], depart);
    c.messages++;
    st.queue.push(arrival, RECEIVE, -1, axon, value);
  }
}

/** One message crosses edges path[from … to−1] (root first) from time t, holding each link; returns its arrival. */
function travel(st: EngineState, path: Int32Array, from: number, to: number, t: number): number {
  let at = t;
  for (let q = from; q < to; q++) at = hop(st, path[q], at);
  return at;
}

/** A packet or message crosses tree edge e, arriving at its link at `at`: it waits for the link, holds it one hop; returns when it is across. */
function hop(st: EngineState, e: number, at: number): number {
  const { net, costs, c, linkFree } = st;
  const link = net.edgeLink[e], kind = net.edgeKind[e];
  const begin = at > linkFree[link] ? at : linkFree[link];
  const lat = kind === HOP.eastWest ? costs.hop_east_west.latency : kind === HOP.northSouth ? costs.hop_north_south.latency : costs.chip_hop.latency;
  if (kind === HOP.eastWest) c.hopsEastWest++;
  else if (kind === HOP.northSouth) c.hopsNorthSouth++;
  else c.chipHops++;
  c.contention += begin - at;
  c.linkBusy += lat;
  st.trace?.link(link, begin, begin + lat);
  return (linkFree[link] = begin + lat);
}

/** A packet of `axon` reaches the run of destinations that starts at route destination d. */
function deliver(st: EngineState, d: number, axon: number, value: number, t: number): void {
  const { net } = st;
  const k0 = st.deliveries.base[axon] - st.map.routes.destPtr[st.deliveries.route[axon]];
  for (let q = d, end = net.destRunEnd[d]; q < end; q++) serve(st, net.destIndex[q], 3 * (k0 + q), value, t);
}

/**
 * Core i serves one event: a synaptic op per synapse of the row the delivery at `at` names (deliveries.ts),
 * into this step's accumulators or the next's.
 */
function serve(st: EngineState, i: number, at: number, value: number, t: number): void {
  const code = st.deliveries.code;
  const x = code[at], hi = code[at + 1];
  const now = (x & 1) === 1;
  const acc = now ? st.acc : st.accNext;
  const post = st.deliveries.post, w = st.deliveries.weight, base = st.accBase[i];
  for (let e = x >> 1; e < hi; e++) acc[base + post[e]] += w[e] * value;
  const n = hi - (x >> 1);
  const begin = t > st.coreFree[i] ? t : st.coreFree[i];
  const dur = st.costs.message_in.latency + n * st.costs.synaptic_op.latency;
  st.coreFree[i] = begin + dur;
  st.c.busy[i] += dur;
  st.trace?.core(i, begin, begin + dur, 'synapses');
  st.c.synOps[i] += n;
  (now ? st.c.synOpsNow : st.c.synOpsNext)[code[at + 2]] += n;
  st.c.eventsIn[i]++;
  if (now) st.inflight[i]--, ready(st, i, st.coreFree[i]);
}

/**
 * Core i updates its units, then for each event (each spike of a bit-plane population) generates it
 * (spike_generate) and sends its messages (spike_out each), then signals done.
 */
function update(st: EngineState, activity: Activity, i: number, step: number, t: number): void {
  const core = st.map.cores[i];
  const { costs, c, fire } = st;
  const pop = st.map.populations[core.population];
  const units = core.unitEnd - core.unitStart;
  const begin = t > st.coreFree[i] ? t : st.coreFree[i];
  activity.update(i, step, st.accView[i], units, pop.slots, fire);
  const idle = units - fire.active;
  c.activeUpdates[i] += fire.active;
  c.idleUpdates[i] += idle;
  let at = begin + fire.active * costs.neuron_update_active.latency + idle * costs.neuron_update_idle.latency;
  st.trace?.core(i, begin, at, 'update');
  const sending = at;
  const base = pop.sourceBase + core.unitStart;
  let sent = fire.count, messages = 0;
  // Multicast: one spike_out per packet, its SEND when it leaves; per destination core, one per message, its
  // SEND when the first starts (sendEach).
  const emit = (axon: number, value: number) => {
    const m = messagesOf(st, axon);
    at += costs.spike_generate.latency;
    if (!st.paths) at += costs.spike_out.latency;
    if (m > 0) st.queue.push(at, SEND, i, axon, value);
    if (st.paths) at += m * costs.spike_out.latency;
    messages += m;
  };
  if (st.deliveries.planes === 1) for (let k = 0; k < fire.count; k++) emit(base + fire.ids[k], fire.values[k]);
  else {
    sent = 0;
    for (let k = 0; k < fire.count; k++) {
      const n = spikes(st, base + fire.ids[k], fire.values[k]);
      for (let j = 0; j < n; j++) emit(st.spikeAxon[j], st.spikeValue[j]);
      sent += n;
    }
  }
  if (messages) st.trace?.core(i, sending, at, 'send');
  c.eventsOut[i] += sent;
  c.messagesOut[i] += messages;
  c.busy[i] += at - begin;
  st.coreFree[i] = at;
  st.accView[i].fill(0);
  st.queue.push(at, DONE, i, 0, 0);
}

/**
 * The packets of an event of `source` in a bit-plane map into st.spikeAxon / st.spikeValue: one per set bit
 * of a bit-plane population's value q · scale (rounded and clamped to the encoding's integers), lowest plane
 * first, none for q = 0; one carrying the value on plane 0 for any other population. Returns how many. The
 * event's effective MACs are counted here, once per event: a synapse per row entry of one plane (every
 * plane's rows hold the same entries) on each destination core.
 */
function spikes(st: EngineState, source: number, value: number): number {
  const sp = st.map.populations[st.sourcePop[source]].spikes;
  const axon = source * st.deliveries.planes;
  if (!sp) {
    st.spikeAxon[0] = axon;
    st.spikeValue[0] = value;
    countMacs(st, axon);
    return 1;
  }
  const { planes, scale } = sp;
  const hi = sp.signed ? 2 ** (planes - 1) - 1 : 2 ** planes - 1;
  let q = Math.round(value / scale);
  q = q > hi ? hi : q < (sp.signed ? -hi : 0) ? (sp.signed ? -hi : 0) : q;
  if (q === 0) return 0;
  if (q < 0) q += 2 ** planes; // two's complement: the top plane counts −2^(planes−1)
  let n = 0;
  for (let k = 0, bit = 1; k < planes; k++, bit *= 2) {
    if ((q & bit) === 0) continue;
    st.spikeAxon[n] = axon + k;
    st.spikeValue[n++] = (sp.signed && k === planes - 1 ? -bit : bit) * scale;
  }
  countMacs(st, st.spikeAxon[0]);
  return n;
}

/** Effective MACs of one event: the row lengths `axon` selects on every core of its route, by projection, now or next. */
function countMacs(st: EngineState, axon: number): void {
  const route = st.deliveries.route[axon];
  if (route < 0) return;
  const { code, base } = st.deliveries, r = st.map.routes, c = st.c;
  for (let k = base[axon], end = k + r.destPtr[route + 1] - r.destPtr[route]; k < end; k++) {
    const x = code[3 * k];
    (x & 1 ? c.macsNow : c.macsNext)[code[3 * k + 2]] += code[3 * k + 1] - (x >> 1);
  }
}
