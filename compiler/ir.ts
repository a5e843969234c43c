/**
 * The compiler's intermediate representation: what flows between the passes of pipeline.ts.
 *
 * The model becomes populations (groups of units: the host-side embedding, each EGRU layer, and the
 * projection and decoder when they run on chip) joined by projections (weight matrices). A projection whose
 * destination lives on chip carries its non-zero weights as synapse rows, one row per presynaptic unit
 * (CSR), because cores store synapses that way: an event from unit j touches row j only.
 *
 * Each pass adds one stage's facts (a new object; earlier stages are never changed). Metadata is small and
 * replaced with immer; the big arrays (synapse rows, quantised values) are typed arrays shared between
 * stages, never copied per pass.
 */
import type { ModelConfig } from '../models/config';
import type { ResolvedTarget } from '../targets/resolve';
import type { Target } from '../targets/schema';

/** Where a population's units are computed. */
export type Where = 'host' | 'chip';

/**
 * How a population's events travel, and so what value a receiving synapse multiplies:
 * - float: the payload is the exact value (fp32 arithmetic);
 * - int: an integer payload q of `bits` bits, value = q · scale;
 * - planes: binary spikes only; the value, quantised to `planes` bits (q · scale), goes out as one spike per
 *   set bit k on axon plane k, and plane k's synapses count 2^k (−2^k for the top plane of a signed
 *   population: two's complement).
 */
export type EventEncoding =
  | { kind: 'float' }
  | { kind: 'int'; bits: number; signed: boolean; scale: number }
  | { kind: 'planes'; planes: number; signed: boolean; scale: number };

/** Accumulators of one EGRU unit a synapse can target (post index = unit × 4 + slot). */
export const EGRU_SLOTS = { z: 0, r: 1, gx: 2, gh: 3 } as const;
export const EGRU_SLOT_COUNT = 4;

/**
 * The fewest bit planes a signed event can go out as: a sign plane and one magnitude plane. A signed event of p
 * planes has 2^(p−1) − 1 magnitude levels, none with 1 plane, so every value would round to 0. The embedding's
 * events are signed, so this is the fewest planes any bit-plane map can use.
 */
export const FEWEST_SIGNED_PLANES = 2;

interface PopulationCommon {
  id: number;
  name: string;
  size: number;
  where: Where;
  /** Accumulators per unit that synapses target; post index = unit × slots + slot. */
  slots: number;
  /** Global source id of unit 0: sources (presynaptic units) are numbered across populations. */
  sourceBase: number;
  /** Expected events per unit per timestep: measured on calibration text, or 1 when not measured. */
  activity: Float32Array;
}

/**
 * - embedding: the host looks the token up and injects its E values as events into layer 0;
 * - egru: one layer; `bias` is folded per unit into the four accumulators [z, r, gx, gh]:
 *   b_z + br_z, b_r + br_r, b_g, br_g (the reset gate multiplies gh, so br_g stays apart);
 * - relu: the optional projection (linear, then ReLU, as in EvNN);
 * - linear: the decoder; its outputs (logits) go to the host every step.
 */
export type Population =
  | (PopulationCommon & { kind: 'embedding' })
  | (PopulationCommon & { kind: 'egru'; layer: number; thr: Float32Array; bias: Float32Array })
  | (PopulationCommon & { kind: 'relu'; bias: Float32Array })
  | (PopulationCommon & { kind: 'linear'; bias: Float32Array });

export type PopulationKind = Population['kind'];

/** Synapses of one projection by presynaptic unit (CSR): row j is entries rowPtr[j] … rowPtr[j+1]−1. */
export interface SynapseRows {
  rowPtr: Int32Array;
  /** Postsynaptic accumulator: unit × slots + slot of the destination population, increasing within a row. */
  post: Int32Array;
  weight: Float32Array;
}

interface ProjectionCommon {
  id: number;
  /** e.g. layer0.input, layer1.recurrent, projection, decoder (the names models/lm.ts uses). */
  name: string;
  from: number;
  to: number;
  /** The model tensor that holds the weights (the embedding for a tied decoder). */
  matrix: string;
  inputs: number;
}

/** A projection into a chip population is stored on the destination's cores; one into a host population is not mapped. */
export type Projection = (ProjectionCommon & { where: 'chip'; synapses: SynapseRows }) | (ProjectionCommon & { where: 'host' });
export type ChipProjection = Extract<Projection, { where: 'chip' }>;

export type WeightValues = Float32Array | Int8Array | Int16Array | Int32Array;
export type NeuronValues = Float32Array | Int32Array;

/** One projection's weights as stored: value = q · scale (float arithmetic: the weights themselves, scale 1). */
export interface QuantizedWeights {
  projection: number;
  bits: number;
  scale: number;
  values: WeightValues;
}

/** A population's parameters as its cores hold them: value = q · stateScale (float: exact, stateScale 1). */
export interface QuantizedNeurons {
  population: number;
  event: EventEncoding;
  stateScale: number;
  thr: NeuronValues | null;
  bias: NeuronValues | null;
}

/** Resources one core's slice uses, in the units of the target's per-core limits. */
export interface Usage {
  neurons: number;
  /** Synapse rows plus neuron state, in the target's synapse encoding. */
  memoryBytes: number;
  /** Input axons: (presynaptic unit, plane) pairs with a row on this core. */
  fanIn: number;
  /** Output axons: routes (multicast delivery) or destination cores (per-destination-core delivery) of the slice's units. */
  fanOut: number;
  /** Stored synapse entries (a weight is stored once per plane under bit-plane encoding). */
  synapses: number;
  /** Postsynaptic addresses: units × slots, must fit the synapse encoding's index bits. */
  addresses: number;
}

/** A core-sized part of one chip population: units start … end−1. */
export interface Slice {
  id: number;
  population: number;
  start: number;
  end: number;
  usage: Usage;
  /** Expected busy time per timestep (s), from activity and the target's per-operation latencies. */
  work: number;
}

/** For every global source: the slices that hold a synapse from it (CSR) and whether its events go to the host. */
export interface Destinations {
  ptr: Int32Array;
  slice: Int32Array;
  toHost: Uint8Array;
}

/** Multicast routes, one per distinct (source slice, destination set); units share them. */
export interface Routes {
  count: number;
  /** Source node: a slice id, or −1 − population id for a host population. */
  source: Int32Array;
  /** Destination cores (global core ids) of route r: destCore[destPtr[r] … destPtr[r+1]−1], increasing. */
  destPtr: Int32Array;
  destCore: Int32Array;
  toHost: Uint8Array;
  /** Router the route starts at, and its tree as edges between neighbouring routers, parents before children. */
  origin: Int32Array;
  edgePtr: Int32Array;
  edgeFrom: Int32Array;
  edgeTo: Int32Array;
  /** LINK flag of each edge (east, west, north, south); a chip hop where the routers' chips differ. */
  edgeLink: Uint8Array;
  /** Route of every global source (−1: its events go nowhere on chip). */
  unitRoute: Int32Array;
}

/** Bit flags of a routing-table entry's output links; local deliveries are listed separately. */
export const LINK = { east: 1, west: 2, north: 4, south: 8, host: 16 } as const;

/**
 * Routing tables at the target's scope: one per router (group or chip scope) or per core (core scope,
 * Loihi's output-axon tables). An entry serves every unit of one source whose route leaves the table's
 * router through the same links to the same cores (key/mask merging); in core scope an entry is one
 * (unit, destination) output axon, so `entries` counts them and the lists stay empty.
 */
export interface RoutingTables {
  scope: 'core' | 'group' | 'chip';
  capacity: number;
  /** Router id (group: chip × mesh cells + y × width + x; chip: chip id) or core id, per table. */
  owner: Int32Array;
  entries: Int32Array;
  /** Entries of table t: entryPtr[t] … entryPtr[t+1]−1, each with a source node, links and delivery cores. */
  entryPtr: Int32Array;
  entrySource: Int32Array;
  entryLinks: Uint8Array;
  deliveryPtr: Int32Array;
  deliveryCore: Int32Array;
}

/** One core's share of the map, as emit writes it and the simulator reads it. */
export interface CoreMap {
  core: number;
  chip: number;
  x: number;
  y: number;
  /** Index within the group (tile, quad-PE). */
  index: number;
  slice: number;
  population: number;
  unitStart: number;
  unitEnd: number;
  /** Per unit (thr) and per accumulator (bias, units × slots), in the population's number format. */
  thr: NeuronValues | null;
  bias: NeuronValues | null;
  /** Synapse rows by presynaptic axon: global source id and plane, then entries rowPtr[i] … rowPtr[i+1]−1. */
  rowSource: Int32Array;
  rowPlane: Uint8Array | null;
  rowPtr: Int32Array;
  /** Local postsynaptic accumulator: (unit − unitStart) × slots + slot, in the narrowest array the index bits allow. */
  post: Uint8Array | Uint16Array | Uint32Array;
  weight: WeightValues;
  usage: Usage;
  routingEntries: number;
}

export interface Diagnostic {
  pass: string;
  level: 'info' | 'warning';
  message: string;
}

export type Strategy = 'pack' | 'balance';

export interface CompileOptions {
  /** Chips in the system; undefined: as few as the map needs. */
  chips?: number;
  /** Arithmetic mode; undefined: the target's default. */
  arith?: string;
  strategy: Strategy;
  /** With balance: the cores of the whole map (at least pack's count, at most one per unit); undefined: pack's count. */
  cores?: number;
  decoder: Where;
  /** Send graded events as bit-plane spikes on a binary-spike arithmetic (targets/README.md, binary_encoding). */
  binaryEncoding: boolean;
  /** With binaryEncoding: at most this many bit planes per event (coarser events, fewer axons and rows); undefined: the target's. */
  planes?: number;
  /** Token ids to measure per-unit activity on (the balance strategy and the traffic estimate use it). */
  calibration?: Int32Array;
  /** Orders the local search of placement; same seed, same map. */
  seed: number;
  /** Check every invariant after every pass (verify.ts). */
  verify: boolean;
  /** Name of the model recorded in the map (no paths, so the bytes do not depend on where files live). */
  modelName: string;
  /** Called after each pass: the debug trace. */
  onPass?: (pass: string, ms: number) => void;
}

/** What every pass may read: the target, the chosen arithmetic and how events travel. */
export interface Context {
  target: Target;
  arithName: string;
  /** The target and arithmetic as plain numbers (limits, costs, topology, formats), resolved once per compile. */
  resolved: ResolvedTarget;
  /** 'bit-planes' only on a binary-spike arithmetic with --binary-encoding. */
  encoding: 'native' | 'bit-planes';
  /** Axons per unit: 1, or the target's bit-plane count. */
  planes: number;
  options: CompileOptions;
}

/** The parts of the model the host computes or the simulator needs to run it for real. */
export interface ModelInfo {
  name: string;
  config: ModelConfig;
  vocab: string[];
  embedding: Float32Array;
  /** Every tensor of the model by name (the same arrays, never copied): what the verifier checks synapses against. */
  tensors: Record<string, Float32Array>;
  /** Host-side tensors when the decoder runs on the host (the decoder weight is absent when tied). */
  host: Record<string, Float32Array>;
}

export interface Lowered {
  stage: 'lowered';
  ctx: Context;
  model: ModelInfo;
  populations: Population[];
  projections: Projection[];
  /** Σ population sizes: the global source ids are 0 … sources−1. */
  sources: number;
  /** True when the activity was measured on calibration text. */
  calibrated: boolean;
  diagnostics: Diagnostic[];
}

export interface QuantizationReport {
  arithmetic: string;
  numberFormat: 'float' | 'int';
  projections: { name: string; bits: number; scale: number; rmsError: number; maxError: number; relativeRmsError: number; zeroed: number }[];
  populations: { name: string; event: EventEncoding; eventBound: number; stateScale: number; thresholdMaxError: number; biasMaxError: number }[];
}

export interface Quantized extends Omit<Lowered, 'stage'> {
  stage: 'quantized';
  /** By projection id; null for host projections. */
  weights: (QuantizedWeights | null)[];
  /** By population id. */
  neurons: QuantizedNeurons[];
  quantization: QuantizationReport;
}

export interface Partitioned extends Omit<Quantized, 'stage'> {
  stage: 'partitioned';
  slices: Slice[];
  /** By population id: the slice of every unit (−1 on host populations). */
  unitSlice: Int32Array[];
  destinations: Destinations;
}

export interface PlacementReport {
  heuristic: string;
  initialCost: number;
  finalCost: number;
  swaps: number;
}

export interface Placed extends Omit<Partitioned, 'stage'> {
  stage: 'placed';
  chips: number;
  /** Global core id of every slice. */
  sliceCore: Int32Array;
  placement: PlacementReport;
}

export interface Routed extends Omit<Placed, 'stage'> {
  stage: 'routed';
  routes: Routes;
  tables: RoutingTables;
}

export interface Emitted extends Omit<Routed, 'stage'> {
  stage: 'emitted';
  cores: CoreMap[];
}

export type IR = Lowered | Quantized | Partitioned | Placed | Routed | Emitted;

/** Any stage from quantize on: what helpers that read weights, neurons and populations accept. */
export type QuantizedOrLater = Quantized | Partitioned | Placed | Routed | Emitted;
