/**
 * A target and one of its arithmetic modes resolved into plain numbers: the per-core limits the compiler
 * partitions and checks against, the per-operation costs the simulator charges (the mode's overrides applied),
 * and the topology both walk. Read once per compile or run; hot code reads this, never `{ value, source }`
 * pairs (the sources stay in the Target for reports and `targets show`).
 */
import { arithmeticMode, rowLayoutOf, type RowLayout } from './derive';
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
  /** What one synapse row's size depends on: its bytes for n synapses are targets/derive.ts rowBytes(row, n). */
  row: RowLayout;
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

/** The arithmetic mode's number formats, in bits. */
export interface Arithmetic {
  numberFormat: 'float' | 'int';
  weightBits: number;
  stateBits: number;
  /** Bits of value an event carries; 0: binary spikes only. */
  eventPayloadBits: number;
  /** Each projection may carry its own scale (exponent) for quantised weights. */
  perProjectionScale: boolean;
}

export interface ResolvedTarget {
  name: string;
  arith: string;
  arithmetic: Arithmetic;
  /** Binary spikes per graded event under the target's documented bit-plane encoding; 0 when it has none. */
  bitPlanes: number;
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
    arithmetic: {
      numberFormat: mode.number_format,
      weightBits: mode.weight_bits.value,
      stateBits: mode.state_bits.value,
      eventPayloadBits: mode.event_payload_bits.value,
      perProjectionScale: mode.per_projection_scale,
    },
    bitPlanes: t.neuron.binary_encoding?.planes.value ?? 0,
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
      row: rowLayoutOf(t, arith),
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
