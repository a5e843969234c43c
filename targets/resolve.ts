/**
 * A target and one of its arithmetic modes resolved into plain numbers: the per-core limits the compiler
 * partitions and checks against, the per-operation costs the simulator charges (the mode's overrides applied),
 * and the topology both walk. Read once per compile or run; hot code reads this, never `{ value, source }`
 * pairs (the sources stay in the Target for reports and `targets show`).
 */
import { arithmeticMode, rowBytesOf } from './derive';
import { OP_NAMES, type Delivery, type OpName, type Target } from './schema';

export interface OpPrice {
  /** Seconds. */
  latency: number;
  /** Joules. */
  energy: number;
}

export interface CoreLimits {
  neurons: number;
  memoryBytes: number;
  neuronBytes: number;
  fanIn: number;
  fanOut: number;
  /** Postsynaptic addresses the index bits can name. */
  addresses: number;
  tableEntries: number;
  scope: 'core' | 'group' | 'chip';
  /** Routers copy a spike to its destinations (one output axon per unit and plane); else one message, and axon, per destination core. */
  multicast: boolean;
  /** Bytes of one synapse row holding n synapses, padded to whole words. */
  rowBytes(n: number): number;
}

export interface Topology {
  meshWidth: number;
  meshHeight: number;
  groupsPerChip: number;
  coresPerGroup: number;
  coresPerChip: number;
  chipsPerBoard: number;
  boardGridWidth: number;
}

export interface ResolvedTarget {
  name: string;
  arith: string;
  limits: CoreLimits;
  costs: Record<OpName, OpPrice>;
  topology: Topology;
  delivery: Delivery;
  staticPower: { chipW: number; coreW: number };
}

export function resolveTarget(t: Target, arith: string = t.default_arithmetic): ResolvedTarget {
  const mode = arithmeticMode(t, arith);
  const e = t.core.synapse_encoding, topo = t.topology;
  const costs = {} as Record<OpName, OpPrice>;
  for (const op of OP_NAMES) {
    const c = mode.costs?.[op] ?? t.costs[op];
    costs[op] = { latency: c.latency_s.value, energy: c.energy_j.value };
  }
  return {
    name: t.name,
    arith,
    limits: {
      neurons: t.core.neurons.value,
      memoryBytes: t.core.memory_bytes.value,
      neuronBytes: t.core.neuron_bytes.value,
      fanIn: t.core.fan_in.value,
      fanOut: t.core.fan_out.value,
      addresses: 2 ** e.index_bits.value,
      tableEntries: t.routing.table_entries.value,
      scope: t.routing.table_scope,
      multicast: t.routing.delivery.value === 'multicast',
      rowBytes: rowBytesOf(t, arith),
    },
    costs,
    topology: {
      meshWidth: topo.mesh_width.value,
      meshHeight: topo.mesh_height.value,
      groupsPerChip: topo.groups_per_chip.value,
      coresPerGroup: topo.cores_per_group.value,
      coresPerChip: topo.groups_per_chip.value * topo.cores_per_group.value,
      chipsPerBoard: topo.chips_per_board.value,
      boardGridWidth: topo.board_grid_width.value,
    },
    delivery: t.routing.delivery.value,
    staticPower: { chipW: t.static_power.chip_w.value, coreW: t.static_power.core_w.value },
  };
}
