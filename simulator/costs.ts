/**
 * The per-operation costs the engine charges, read once from the target (derive.opCost, with the
 * arithmetic mode's overrides) into plain numbers: latency in seconds, energy in joules.
 */
import { opCost } from '../targets/derive';
import type { OpName, Target } from '../targets/schema';

export interface Cost {
  latency: number;
  energy: number;
}

/** The target's operations, plus what one MAC of a host-side layer costs the host's processor (baseline.ts hostMacCost). */
export type SimCosts = Record<OpName, Cost> & { host_mac: Cost };

export function simCosts(t: Target, arith: string, hostMac: Cost = { latency: 0, energy: 0 }): SimCosts {
  const get = (op: OpName): Cost => {
    const c = opCost(t, op, arith);
    return { latency: c.latency_s, energy: c.energy_j };
  };
  return {
    synaptic_op: get('synaptic_op'),
    neuron_update_active: get('neuron_update_active'),
    neuron_update_idle: get('neuron_update_idle'),
    spike_out: get('spike_out'),
    spike_within_group: get('spike_within_group'),
    hop_east_west: get('hop_east_west'),
    hop_north_south: get('hop_north_south'),
    chip_hop: get('chip_hop'),
    host_io_event: get('host_io_event'),
    host_mac: hostMac,
  };
}
