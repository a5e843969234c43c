/**
 * The schema of a target description (targets/*.yaml, or any user file): the single source of the
 * TypeScript types the compiler and simulator read. Hardware is data: every number is a
 * `{ value, source }` pair, in SI units, with the unit in the key name (`_j`, `_s`, `_w`, `_hz`,
 * `_bytes`, `_bits`); a source is a citation or `assumption: <reason>`. targets/README.md documents
 * each key; targets/load.ts is the only place that parses files.
 */
import { z } from 'zod';

/** A source that starts with the word `assumption` marks a number nobody has published. */
export const ASSUMPTION = /^assumption\b/i;

const SourceSchema = z
  .string({ error: 'needs a source: a citation, or "assumption: <reason>"' })
  .trim()
  .min(1, { error: 'needs a source: a citation, or "assumption: <reason>"' })
  .refine((s) => !ASSUMPTION.test(s) || s.replace(/^assumption\W*/i, '').trim().length > 0, {
    error: '"assumption" must be followed by a reason',
  });

/** A number with the citation (or stated assumption) it comes from. */
function quantity(value: z.ZodNumber) {
  return z.strictObject({ value, source: SourceSchema });
}
const nonNegative = () => z.number().min(0, { error: 'must not be negative' });
const positive = () => z.number().gt(0, { error: 'must be positive' });
const count = () => z.number().int().min(1, { error: 'must be at least 1' });
const whole = () => z.number().int().min(0, { error: 'must not be negative' });
/**
 * Upper bounds on sizes the compiler allocates by (issue 10: `cores_per_group: 1e9` passed validation and then
 * exhausted memory), far above any real system (SpiNNaker2: 8×5 mesh, 4 cores a group, 48 chips a board, 720 boards:
 * 34,560 chips; Loihi 2: 1,152 chips).
 */
export const TOPOLOGY_LIMITS = { meshSide: 4_096, meshCells: 1_048_576, coresPerGroup: 1_024, coresPerChip: 1_048_576, boardChips: 65_536, chips: 1_048_576, planes: 32 } as const;
const atMost = (schema: z.ZodNumber, max: number) => schema.max(max, { error: `must be at most ${max.toLocaleString('en-US')} (neuromap's limit)` });

export const QuantitySchema = quantity(z.number());
export type Quantity = z.infer<typeof QuantitySchema>;

/** Lower-case names (targets, arithmetic modes): usable on a command line and as file names. */
const NAME = /^[a-z0-9][a-z0-9_-]*$/;
const nameSchema = z.string().regex(NAME, { error: 'must be lower-case letters, digits, - or _' });

/** Energy and latency of one operation. */
export const OpCostSchema = z.strictObject({ energy_j: quantity(nonNegative()), latency_s: quantity(nonNegative()) });
export type OpCost = z.infer<typeof OpCostSchema>;

/**
 * Per-operation costs. A hop moves a packet one router along the mesh; `spike_within_group` is a
 * packet that stays inside one group (tile, quad-PE) and takes no hop; `chip_hop` crosses one
 * chip-to-chip link. Multiply-accumulates on an accelerator are priced by the arithmetic mode.
 */
export const CostsSchema = z.strictObject({
  synaptic_op: OpCostSchema,
  neuron_update_active: OpCostSchema,
  neuron_update_idle: OpCostSchema,
  /** A unit fires: generating one spike (or one event), apart from the messages that carry it (SANA-FE's soma spike_out). */
  spike_generate: OpCostSchema,
  spike_out: OpCostSchema,
  /** A core receives one message (SANA-FE's axon_in), apart from the synaptic ops it causes. */
  message_in: OpCostSchema,
  spike_within_group: OpCostSchema,
  hop_east_west: OpCostSchema,
  hop_north_south: OpCostSchema,
  chip_hop: OpCostSchema,
  host_io_event: OpCostSchema,
});
export type Costs = z.infer<typeof CostsSchema>;
export type OpName = keyof Costs;
export const OP_NAMES = Object.keys(CostsSchema.shape) as OpName[];

/** Chips, the mesh of core groups inside each, boards of chips. */
const TopologySchema = z.strictObject({
  mesh_width: quantity(atMost(count(), TOPOLOGY_LIMITS.meshSide)),
  mesh_height: quantity(atMost(count(), TOPOLOGY_LIMITS.meshSide)),
  /** Groups actually present: at most mesh_width × mesh_height (a mesh may have holes); filled row by row. */
  groups_per_chip: quantity(count()),
  cores_per_group: quantity(atMost(count(), TOPOLOGY_LIMITS.coresPerGroup)),
  chips_per_board: quantity(atMost(count(), TOPOLOGY_LIMITS.boardChips)),
  /** Chips per row of a board's chip grid; chips_per_board must be a multiple of it. */
  board_grid_width: quantity(count()),
  boards: quantity(atMost(count(), TOPOLOGY_LIMITS.boardChips)),
  /** Chip-to-chip links per chip (0: the chip cannot talk to others). */
  chip_links: quantity(whole()),
});

/** How a synapse is laid out in core memory; the weight's own width comes from the arithmetic mode. */
const SynapseEncodingSchema = z.strictObject({
  index_bits: quantity(whole()),
  extra_bits: quantity(whole()),
  row_overhead_bits: quantity(whole()),
  word_bits: quantity(count()),
});

/** Per-core limits the partitioner must respect. */
const CoreSchema = z.strictObject({
  neurons: quantity(count()),
  /** Memory for synapse tables, and for neuron state where `neuron_bytes` > 0. */
  memory_bytes: quantity(count()),
  /** Bytes of `memory_bytes` each mapped neuron takes; 0 when neuron state has its own memory. */
  neuron_bytes: quantity(whole()),
  /** Distinct presynaptic sources (input axons) per core. */
  fan_in: quantity(count()),
  /** Distinct outgoing routes (output axons) per core. */
  fan_out: quantity(count()),
  synapse_encoding: SynapseEncodingSchema,
});

/**
 * How one spike reaches its destination cores. `multicast`: one packet leaves the source, the routers copy
 * it along a tree (one send, one hop per tree edge). `per-destination-core`: the source core sends one
 * message per destination core (Loihi's output axons each address one core), each with its own send cost,
 * its own dimension-order path of hops and its own link occupancy.
 */
export const DELIVERIES = ['multicast', 'per-destination-core'] as const;
export type Delivery = (typeof DELIVERIES)[number];
const DeliverySchema = z.strictObject({ value: z.enum(DELIVERIES), source: SourceSchema });

const RoutingSchema = z.strictObject({
  algorithm: z.literal('dimension-order'),
  delivery: DeliverySchema,
  /** Where routing tables live: in each core (output axon tables), each group's router, or one router per chip. */
  table_scope: z.enum(['core', 'group', 'chip']),
  table_entries: quantity(count()),
  /** Bits of an event packet besides its payload (routing key or address, control); sizes traffic in bytes. */
  packet_header_bits: quantity(count()),
});

/**
 * How a graded event travels on a target whose spikes carry no payload. `bit-planes`: the event value,
 * quantised to `planes` bits, goes out as up to `planes` binary spikes on `planes` axons, and the
 * receiving synapses of plane k hold w·2^k. Used only when the user asks for it.
 */
const BinaryEncodingSchema = z.strictObject({
  scheme: z.literal('bit-planes'),
  planes: quantity(atMost(count(), TOPOLOGY_LIMITS.planes)),
  description: z.string().min(1),
});

const NeuronSchema = z.strictObject({
  /** True when a core can run the EGRU unit itself: gates, graded events, per-unit threshold, soft reset. */
  egru_unit: z.boolean(),
  note: z.string().min(1),
  binary_encoding: BinaryEncodingSchema.optional(),
});

/** A multiply-accumulate array: `lanes` MACs per cycle, `energy_j` per MAC, `latency_s` per array cycle. */
const MacAcceleratorSchema = z.strictObject({
  lanes: quantity(count()),
  energy_j: quantity(nonNegative()),
  latency_s: quantity(positive()),
});

/** One way of computing: number formats, event payload, accelerator, and the costs that differ from the target's. */
const ArithmeticModeSchema = z.strictObject({
  description: z.string().min(1),
  number_format: z.enum(['float', 'int']),
  weight_bits: quantity(count()),
  state_bits: quantity(count()),
  /** Bits of value an event carries; 0 means binary spikes only. */
  event_payload_bits: quantity(whole()),
  /** Whether each projection may carry its own scale (exponent) for quantised weights. */
  per_projection_scale: z.boolean(),
  mac_accelerator: MacAcceleratorSchema.optional(),
  /** Costs that replace the target's `costs` entries in this mode (e.g. software vs accelerator synapses). */
  costs: CostsSchema.partial().optional(),
});
export type ArithmeticMode = z.infer<typeof ArithmeticModeSchema>;

/**
 * How a timestep ends. `barrier`: a global synchronisation whose latency grows with the tiles (groups)
 * taking part: base + per_tile × tiles. `fixed-tick`: every core starts a step each `tick_s`; a core
 * that has not finished overruns.
 */
const TimestepSchema = z.discriminatedUnion('scheme', [
  z.strictObject({
    scheme: z.literal('barrier'),
    base_latency_s: quantity(nonNegative()),
    per_tile_latency_s: quantity(nonNegative()),
    energy_per_tile_j: quantity(nonNegative()),
  }),
  z.strictObject({ scheme: z.literal('fixed-tick'), tick_s: quantity(positive()) }),
]);
export type Timestep = z.infer<typeof TimestepSchema>;

const StaticPowerSchema = z.strictObject({ chip_w: quantity(nonNegative()), core_w: quantity(nonNegative()) });

export const TargetSchema = z
  .strictObject({
    name: nameSchema,
    description: z.string().min(1),
    /** Full citations, keyed by the short names the sources use. */
    references: z.record(z.string(), z.string().min(1)).optional(),
    topology: TopologySchema,
    core: CoreSchema,
    routing: RoutingSchema,
    neuron: NeuronSchema,
    arithmetic: z.record(nameSchema, ArithmeticModeSchema),
    default_arithmetic: z.string(),
    costs: CostsSchema,
    timestep: TimestepSchema,
    static_power: StaticPowerSchema,
    /** Absent for asynchronous (clockless) designs such as Loihi. */
    clock_hz: quantity(positive()).optional(),
  })
  .superRefine((t, ctx) => {
    const modes = Object.keys(t.arithmetic);
    if (modes.length === 0) ctx.addIssue({ code: 'custom', path: ['arithmetic'], message: 'needs at least one arithmetic mode' });
    else if (!modes.includes(t.default_arithmetic))
      ctx.addIssue({
        code: 'custom',
        path: ['default_arithmetic'],
        message: `"${t.default_arithmetic}" is not one of the arithmetic modes (${modes.join(', ')})`,
      });
    const { mesh_width, mesh_height, groups_per_chip, chips_per_board, board_grid_width } = t.topology;
    if (groups_per_chip.value > mesh_width.value * mesh_height.value)
      ctx.addIssue({
        code: 'custom',
        path: ['topology', 'groups_per_chip', 'value'],
        message: `${groups_per_chip.value} groups do not fit a ${mesh_width.value}×${mesh_height.value} mesh`,
      });
    const limit = (path: string[], what: string, value: number, max: number) => {
      if (value > max) ctx.addIssue({ code: 'custom', path, message: `${what} is ${value}, more than neuromap's limit of ${max.toLocaleString('en-US')}` });
    };
    limit(['topology', 'mesh_width'], 'the mesh (mesh_width × mesh_height)', mesh_width.value * mesh_height.value, TOPOLOGY_LIMITS.meshCells);
    limit(['topology', 'cores_per_group'], 'cores per chip (groups_per_chip × cores_per_group)', groups_per_chip.value * t.topology.cores_per_group.value, TOPOLOGY_LIMITS.coresPerChip);
    limit(['topology', 'boards'], 'chips (chips_per_board × boards)', chips_per_board.value * t.topology.boards.value, TOPOLOGY_LIMITS.chips);
    if (chips_per_board.value % board_grid_width.value !== 0)
      ctx.addIssue({
        code: 'custom',
        path: ['topology', 'board_grid_width', 'value'],
        message: `chips_per_board (${chips_per_board.value}) must be a multiple of board_grid_width (${board_grid_width.value})`,
      });
  });

export type Target = z.infer<typeof TargetSchema>;
