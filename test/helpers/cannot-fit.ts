/**
 * Whether a model can fit a target, worked out without the compiler: from the model's own tensors (in its own
 * layout) and the target's numbers. The compiler's property test uses it to check a refusal independently:
 * a "does not fit" must come with a proof from here.
 *
 * Proofs found: a unit that alone breaks a per-core limit (neurons, postsynaptic addresses, memory, fan-in,
 * fan-out), or more cores than the target has even at the fewest slices. The fewest: each chip population cut
 * into contiguous slices greedily, each as long as the limits allow. Any part of a slice that fits also
 * fits, so greedy cutting gives the fewest contiguous slices. With per-destination-core delivery a unit's
 * fan-out counts destination slices, which depend on how the consumers are cut; the bound then covers the
 * unit's targets with as few slices as the consumers' limits allow (greedy again: each slice starting at the
 * first target not yet covered). Routing-table capacity is not analysed: such a refusal stays unproven.
 */
import type { LanguageModel } from '../../models/model';
import { EMBEDDING, kernelName, recurrentKernelName } from '../../models/params';
import { coresPerChip, maxChips, synapseRowBytes } from '../../targets/derive';
import type { Target } from '../../targets/schema';

/** Input j's weight into (unit, slot) of a projection's destination, read from the model in its own layout (NaN: no weight can go there). */
export function modelWeight(model: LanguageModel, name: string, j: number, unit: number, slot: number): number {
  const { config, params } = model;
  const layer = /^layer(\d+)\.(input|recurrent)$/.exec(name);
  if (layer) {
    const l = Number(layer[1]);
    const H = config.layers[l];
    const recurrent = layer[2] === 'recurrent';
    const gate = slot === 0 ? 0 : slot === 1 ? 1 : slot === (recurrent ? 3 : 2) ? 2 : -1;
    if (gate < 0) return NaN;
    return params[recurrent ? recurrentKernelName(l) : kernelName(l)].data[j * 3 * H + gate * H + unit];
  }
  if (name === 'decoder' && config.tied) return params[EMBEDDING].data[unit * config.emb + j];
  const W = params[name === 'decoder' ? 'decoder.weight' : 'projection.weight'];
  return W.data[j * W.shape[1] + unit];
}

interface Pop {
  name: string;
  size: number;
  slots: number;
  /** Axons per unit: the bit-plane count for bit-plane events (every population but the decoder), else 1. */
  planes: number;
  onChip: boolean;
  /** Synapses per (input projection, presynaptic unit j, unit): non-zero weights into the unit's slots. */
  inputs: { from: Pop; counts: number[][] }[];
  /** The same counts, of every chip projection this population feeds. */
  feeds: number[][][];
  /** Output axons of each unit, at least (whyItCannotFit works them out). */
  fanOut: number[];
  /** Its events go to the host (logits, or the input of a host-side layer). */
  toHost: boolean;
}

export interface FitQuestion {
  model: LanguageModel;
  target: Target;
  arith: string;
  /** Bit-plane events (binary arithmetic with --binary-encoding). */
  bitPlanes: boolean;
  decoder: 'chip' | 'host';
}

/** A reason the model cannot fit, or null when none is found. */
export function whyItCannotFit(q: FitQuestion): string | null {
  const { target: t } = q;
  const pops = populations(q);
  const chip = pops.filter((p) => p.onChip);
  const multicast = t.routing.delivery.value === 'multicast';
  // Output axons of each unit, at least: multicast, one per plane when its events go anywhere; per destination core, one
  // per plane and destination slice, first counting one slice per population it feeds (and the host).
  for (const pop of pops) {
    pop.fanOut = Array.from({ length: pop.size }, (_, u) => {
      const fed = pop.feeds.filter((counts) => counts[u].some((n) => n > 0)).length + (pop.toHost ? 1 : 0);
      return pop.planes * (multicast ? Math.min(fed, 1) : fed);
    });
  }
  // Whether units a … b−1 fit one core, remembered until the fan-out bounds change.
  let known = new Map<string, boolean>();
  const fits = (pop: Pop, a: number, b: number) => {
    const key = `${pop.name} ${a} ${b}`;
    let ok = known.get(key);
    if (ok === undefined) known.set(key, (ok = firstBroken(q, pop, a, b) === null));
    return ok;
  };
  // Core scope: the slices a unit's targets need depend on how its consumers are cut, which depends on their
  // own fan-out; raising every bound to what the current bounds imply stays a bound, until nothing changes.
  for (let grew = !multicast; grew; ) {
    grew = false;
    for (const from of pops) {
      for (let u = 0; u < from.size; u++) {
        let slices = from.toHost ? 1 : 0;
        for (const to of chip) for (const input of to.inputs.filter((i) => i.from === from)) slices += cover(to, input.counts[u], fits);
        if (from.planes * slices > from.fanOut[u]) (from.fanOut[u] = from.planes * slices), (grew = true), (known = new Map());
      }
    }
  }
  for (const pop of chip) {
    for (let u = 0; u < pop.size; u++) {
      const broken = firstBroken(q, pop, u, u + 1);
      if (broken) return `${pop.name} unit ${u} alone: ${broken}`;
    }
  }
  let cores = 0;
  for (const pop of chip) {
    for (let a = 0; a < pop.size; cores++) {
      let b = a + 1;
      while (b < pop.size && fits(pop, a, b + 1)) b++;
      a = b;
    }
  }
  const most = maxChips(t) * coresPerChip(t);
  return cores > most ? `at least ${cores} cores, the target has ${most}` : null;
}

/** The populations as the model defines them, with their synapse counts read from its tensors. */
function populations(q: FitQuestion): Pop[] {
  const { config } = q.model;
  const P = q.bitPlanes ? q.target.neuron.binary_encoding!.planes.value : 1;
  const pop = (name: string, size: number, slots: number, planes: number, onChip: boolean): Pop => ({ name, size, slots, planes, onChip, inputs: [], feeds: [], fanOut: [], toHost: false });
  const connect = (name: string, from: Pop, to: Pop) => {
    if (!to.onChip) return void (from.toHost ||= from.onChip);
    const counts = Array.from({ length: from.size }, (_, j) => Array.from({ length: to.size }, (_, unit) => {
      let n = 0;
      for (let slot = 0; slot < to.slots; slot++) {
        const w = modelWeight(q.model, name, j, unit, slot);
        if (w !== 0 && !Number.isNaN(w)) n++;
      }
      return n;
    }));
    to.inputs.push({ from, counts });
    from.feeds.push(counts);
  };
  const out = [pop('embedding', config.emb, 0, P, false)];
  config.layers.forEach((H, l) => {
    const layer = pop(`layer${l}`, H, 4, P, true);
    connect(`layer${l}.input`, out[out.length - 1], layer);
    connect(`layer${l}.recurrent`, layer, layer);
    out.push(layer);
  });
  const onChip = q.decoder === 'chip';
  if (config.projection > 0) {
    const projection = pop('projection', config.projection, 1, P, onChip);
    connect('projection', out[out.length - 1], projection);
    out.push(projection);
  }
  const decoder = pop('decoder', config.vocabSize, 1, 1, onChip);
  connect('decoder', out[out.length - 1], decoder);
  decoder.toHost = onChip;
  out.push(decoder);
  return out;
}

/** The first per-core limit that units a … b−1 of a population break together, or null. */
function firstBroken(q: FitQuestion, pop: Pop, a: number, b: number): string | null {
  const c = q.target.core;
  let fanIn = 0, memory = (b - a) * c.neuron_bytes.value, fanOut = 0;
  for (const input of pop.inputs) {
    for (const row of input.counts) {
      let n = 0;
      for (let u = a; u < b; u++) n += row[u];
      if (n > 0) (fanIn += input.from.planes), (memory += input.from.planes * synapseRowBytes(q.target, n, q.arith));
    }
  }
  for (let u = a; u < b; u++) fanOut += pop.fanOut[u];
  const checks: [string, number, number][] = [
    ['neurons', b - a, c.neurons.value],
    ['postsynaptic addresses', (b - a) * pop.slots, 2 ** c.synapse_encoding.index_bits.value],
    ['memory bytes', memory, c.memory_bytes.value],
    ['fan-in', fanIn, c.fan_in.value],
    ['fan-out', fanOut, c.fan_out.value],
  ];
  const bad = checks.find(([, used, limit]) => used > limit);
  return bad ? `${bad[1]} ${bad[0]}, limit ${bad[2]}` : null;
}

/** Fewest slices of `to` that can hold the units `targets` marks (counts > 0), given which ranges fit. */
function cover(to: Pop, targets: number[], fits: (pop: Pop, a: number, b: number) => boolean): number {
  let slices = 0;
  for (let u = 0; u < to.size; u++) {
    if (targets[u] === 0) continue;
    slices++;
    let b = u + 1;
    while (b < to.size && fits(to, u, b + 1)) b++;
    u = b - 1;
  }
  return slices;
}
