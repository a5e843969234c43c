/**
 * Energy = Σ operation counts × the target's per-operation energies + static power × time.
 * Parts: synaptic (synaptic ops), neuron (active and idle updates, spikes generated), network (spike out per
 * message sent, message in per message a core receives, deliveries within a group, hops, chip hops), sync (barriers), static (chips and cores in use × elapsed time), host (host I/O
 * both ways: injected and received events; and the MACs of host-side layers on the host's processor).
 */
import { staticPowerW } from '../targets/derive';
import type { Target } from '../targets/schema';
import type { SimCosts } from './costs';
import { CORE_COUNTS, SYSTEM_COUNTS, type CoreCount, type Counters, type SystemCount } from './state';

/** Totals of a Counters (or of the difference of two snapshots): every count of CORE_COUNTS and SYSTEM_COUNTS. */
export type Totals = Record<CoreCount | SystemCount, number>;

const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);

export function totals(c: Counters): Totals {
  const t = {} as Totals;
  for (const k of CORE_COUNTS) t[k] = sum(c[k]);
  for (const k of SYSTEM_COUNTS) t[k] = c[k];
  return t;
}

export function diff(after: Totals, before: Totals): Totals {
  const out = { ...after };
  for (const k of Object.keys(out) as (keyof Totals)[]) out[k] = after[k] - before[k];
  return out;
}

export interface EnergyBreakdown {
  synaptic: number;
  neuron: number;
  network: number;
  sync: number;
  static: number;
  host: number;
  total: number;
}

/** Energy (J) of the operations in `t` over `seconds` of a system with `chips` chips and `cores` cores in use. */
export function energy(t: Totals, costs: SimCosts, target: Target, chips: number, cores: number, seconds: number): EnergyBreakdown {
  const synaptic = t.synOps * costs.synaptic_op.energy;
  const neuron = t.activeUpdates * costs.neuron_update_active.energy + t.idleUpdates * costs.neuron_update_idle.energy +
    t.eventsOut * costs.spike_generate.energy;
  const network =
    t.messagesOut * costs.spike_out.energy + t.eventsIn * costs.message_in.energy + t.withinGroup * costs.spike_within_group.energy +
    t.hopsEastWest * costs.hop_east_west.energy + t.hopsNorthSouth * costs.hop_north_south.energy + t.chipHops * costs.chip_hop.energy;
  const sync = t.syncEnergy;
  const stat = staticPowerW(target, chips, cores) * seconds;
  const host = (t.hostEvents + t.hostReceived) * costs.host_io_event.energy + t.hostMacs * costs.host_mac.energy;
  return { synaptic, neuron, network, sync, static: stat, host, total: synaptic + neuron + network + sync + stat + host };
}
