/**
 * Small pure helpers for quantities the compiler and simulator derive from a target again and again.
 * They return plain numbers (SI units); the sources stay in the Target for reports.
 */
import { UserError } from '../models/config';
import { ASSUMPTION, type ArithmeticMode, type OpName, type Target } from './schema';

/** True when a source marks its number as an assumption rather than a citation. */
export function isAssumption(source: string): boolean {
  return ASSUMPTION.test(source.trim());
}

export function coresPerChip(t: Target): number {
  return t.topology.groups_per_chip.value * t.topology.cores_per_group.value;
}

/** The largest system the description allows: every board full. */
export function maxChips(t: Target): number {
  return t.topology.chips_per_board.value * t.topology.boards.value;
}

/** The arithmetic mode by name (the target's default when omitted); an unknown name lists the known ones. */
export function arithmeticMode(t: Target, name: string = t.default_arithmetic): ArithmeticMode {
  // Own keys only: 'constructor' or 'toString' would otherwise find a member of Object.prototype.
  const mode = Object.hasOwn(t.arithmetic, name) ? t.arithmetic[name] : undefined;
  if (!mode)
    throw new UserError(`target ${t.name} has no arithmetic "${name}"; it supports ${Object.keys(t.arithmetic).join(', ')}`);
  return mode;
}

/** Energy (J) and latency (s) of one operation, with the arithmetic mode's override when it has one. */
export function opCost(t: Target, op: OpName, arith?: string): { energy_j: number; latency_s: number } {
  const cost = arithmeticMode(t, arith).costs?.[op] ?? t.costs[op];
  return { energy_j: cost.energy_j.value, latency_s: cost.latency_s.value };
}

/** Bits of one event packet on the wire: header plus the arithmetic's payload (0 for binary spikes). */
export function packetBits(t: Target, arith?: string): number {
  return t.routing.packet_header_bits.value + arithmeticMode(t, arith).event_payload_bits.value;
}

/** Bits one stored synapse takes: weight, postsynaptic index, extra fields. */
export function synapseBits(t: Target, arith?: string): number {
  const e = t.core.synapse_encoding;
  return arithmeticMode(t, arith).weight_bits.value + e.index_bits.value + e.extra_bits.value;
}

/**
 * Bytes of a synapse row (one presynaptic source) holding n entries, padded to whole memory words: the target's
 * numbers read once, for the compiler's hot loops (compiler/limits.ts).
 */
export function rowLayoutOf(t: Target, arith?: string): RowLayout {
  const e = t.core.synapse_encoding;
  return { overheadBits: e.row_overhead_bits.value, synapseBits: synapseBits(t, arith), wordBits: e.word_bits.value };
}

/** The numbers a synapse row's size depends on (plain data, so a compiled IR that holds them can be cloned). */
export interface RowLayout {
  overheadBits: number;
  synapseBits: number;
  wordBits: number;
}

/** Bytes of a row of `synapses` entries: ⌈(overhead + n · bits per synapse) / word⌉ words. */
export function rowBytes(row: RowLayout, synapses: number): number {
  return (Math.ceil((row.overheadBits + synapses * row.synapseBits) / row.wordBits) * row.wordBits) / 8;
}

/** Bytes of a synapse row holding `synapses` entries on target `t`. */
export function synapseRowBytes(t: Target, synapses: number, arith?: string): number {
  return rowBytes(rowLayoutOf(t, arith), synapses);
}

/** Latency (s) and energy (J) of the end-of-timestep barrier across `tiles` groups; null for fixed-tick targets. */
export function barrierCost(t: Target, tiles: number): { latency_s: number; energy_j: number } | null {
  const ts = t.timestep;
  if (ts.scheme !== 'barrier') return null;
  return {
    latency_s: ts.base_latency_s.value + ts.per_tile_latency_s.value * tiles,
    energy_j: ts.energy_per_tile_j.value * tiles,
  };
}

/** Static power (W) of a system of `chips` chips of which `cores` cores are in use. */
export function staticPowerW(t: Target, chips: number, cores: number): number {
  return t.static_power.chip_w.value * chips + t.static_power.core_w.value * cores;
}

/** Mesh position of a group on its chip: groups fill the mesh row by row. */
export function groupXY(t: Target, group: number): { x: number; y: number } {
  const w = t.topology.mesh_width.value;
  return { x: group % w, y: Math.floor(group / w) };
}

/** Where a chip sits in the system: boards are chip grids placed side by side along x. */
export function chipXY(t: Target, chip: number): { x: number; y: number } {
  const perBoard = t.topology.chips_per_board.value;
  const w = t.topology.board_grid_width.value;
  const board = Math.floor(chip / perBoard);
  const local = chip % perBoard;
  return { x: board * w + (local % w), y: Math.floor(local / w) };
}

/** Physical location of a core numbered 0 … chips · coresPerChip − 1: chip, mesh x/y of its group, index within the group. */
export function coreLocation(t: Target, globalCore: number): { chip: number; x: number; y: number; core: number } {
  const perChip = coresPerChip(t);
  const perGroup = t.topology.cores_per_group.value;
  const local = globalCore % perChip;
  return { chip: Math.floor(globalCore / perChip), ...groupXY(t, Math.floor(local / perGroup)), core: local % perGroup };
}

/** Why an EGRU cannot run natively in this arithmetic, or null when it can. */
export function egruObstacle(t: Target, arith?: string): string | null {
  if (!t.neuron.egru_unit) return `target ${t.name} cannot run the EGRU unit: ${t.neuron.note}`;
  if (arithmeticMode(t, arith).event_payload_bits.value === 0)
    return `arithmetic ${arith ?? t.default_arithmetic} of target ${t.name} has binary spikes only, but EGRU events are graded`;
  return null;
}
