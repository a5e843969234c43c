/**
 * SUMMARY.json (the CLI contract of `neuromap compile --json`) and the same facts as terminal tables.
 * The summary is also stored in the *.nmap file, so `neuromap inspect` prints a map without recompiling.
 */
import { formatCount, formatCountOf, formatPercent, formatTable } from '../format/table';
import { coresPerChip } from '../targets/derive';
import type { Emitted, EventEncoding } from './ir';

export interface CoreSummary {
  /** Global core id: chip · cores per chip + group · cores per group + core. */
  id: number;
  chip: number;
  x: number;
  y: number;
  /** Index of the core within its group (tile, quad-PE). */
  core: number;
  population: string;
  units: [number, number];
  neurons: number;
  synapses: number;
  memory_bytes: number;
  memory_capacity: number;
  fan_in: number;
  fan_out: number;
  routing_entries: number;
  expected_busy_s_per_step: number;
}

interface Spread {
  max: number;
  mean: number;
}

export interface Summary {
  model: string;
  target: string;
  arithmetic: string;
  encoding: 'native' | 'bit-planes';
  strategy: string;
  decoder: string;
  calibrated: boolean;
  chips: number;
  cores_used: number;
  cores_available: number;
  /** Units mapped onto cores. */
  neurons: number;
  /** Non-zero weights stored: the model's non-zero weights in the mapped projections. */
  synapses: number;
  /** Synapse entries in core memory (each weight once per plane under bit-plane encoding). */
  stored_synapses: number;
  per_core: CoreSummary[];
  per_layer: { population: string; kind: string; units: number; cores: number; synapses: number; memory_bytes: number; max_memory_utilization: number }[];
  per_chip: { chip: number; cores: number; neurons: number; synapses: number; memory_bytes: number }[];
  /** Fractions of the per-core limits over the cores in use. */
  utilization: { memory: Spread; neurons: Spread; fan_in: Spread; fan_out: Spread };
  routing: { scope: string; routes: number; links: number; tables: number; max_entries: number; capacity: number };
  quantization: {
    projections: { name: string; bits: number; scale: number; rms_error: number; max_error: number; relative_rms_error: number; zeroed: number }[];
    populations: { name: string; event: EventEncoding; event_bound: number; state_scale: number; threshold_max_error: number; bias_max_error: number }[];
  };
  placement: { heuristic: string; initial_cost_j_per_step: number; final_cost_j_per_step: number; swaps: number };
  diagnostics: string[];
}

export function summarize(ir: Emitted): Summary {
  const t = ir.ctx.target;
  const limits = ir.ctx.resolved.limits;
  const capacity = limits.memoryBytes;
  const per_core: CoreSummary[] = ir.cores.map((c) => ({
    id: c.core, chip: c.chip, x: c.x, y: c.y, core: c.index, population: ir.populations[c.population].name, units: [c.unitStart, c.unitEnd],
    neurons: c.usage.neurons, synapses: c.usage.synapses, memory_bytes: c.usage.memoryBytes, memory_capacity: capacity,
    fan_in: c.usage.fanIn, fan_out: c.usage.fanOut, routing_entries: c.routingEntries, expected_busy_s_per_step: ir.slices[c.slice].work,
  }));
  const spread = (f: (c: CoreSummary) => number, limit: number): Spread => {
    const v = per_core.map((c) => f(c) / limit);
    return { max: Math.max(0, ...v), mean: v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0 };
  };
  const chipProjections = ir.projections.filter((p) => p.where === 'chip');
  const per_layer = ir.populations.filter((p) => p.where === 'chip').map((p) => {
    const mine = per_core.filter((c) => c.population === p.name);
    return {
      population: p.name, kind: p.kind, units: p.size, cores: mine.length,
      synapses: chipProjections.reduce((a, q) => a + (q.to === p.id && q.where === 'chip' ? q.synapses.post.length : 0), 0),
      memory_bytes: mine.reduce((a, c) => a + c.memory_bytes, 0),
      max_memory_utilization: Math.max(0, ...mine.map((c) => c.memory_bytes / capacity)),
    };
  });
  const per_chip = Array.from({ length: ir.chips }, (_, chip) => {
    const mine = per_core.filter((c) => c.chip === chip);
    const sum = (f: (c: CoreSummary) => number) => mine.reduce((a, c) => a + f(c), 0);
    return { chip, cores: mine.length, neurons: sum((c) => c.neurons), synapses: sum((c) => c.synapses), memory_bytes: sum((c) => c.memory_bytes) };
  });
  const q = ir.quantization;
  const tables = ir.tables;
  return {
    model: ir.model.name, target: t.name, arithmetic: ir.ctx.arithName, encoding: ir.ctx.encoding, strategy: ir.ctx.options.strategy,
    decoder: ir.ctx.options.decoder, calibrated: ir.calibrated,
    chips: ir.chips, cores_used: per_core.length, cores_available: ir.chips * coresPerChip(t),
    neurons: per_core.reduce((a, c) => a + c.neurons, 0),
    synapses: per_layer.reduce((a, p) => a + p.synapses, 0),
    stored_synapses: per_core.reduce((a, c) => a + c.synapses, 0),
    per_core, per_layer, per_chip,
    utilization: {
      memory: spread((c) => c.memory_bytes, capacity),
      neurons: spread((c) => c.neurons, limits.neurons),
      fan_in: spread((c) => c.fan_in, limits.fanIn),
      fan_out: spread((c) => c.fan_out, limits.fanOut),
    },
    routing: {
      scope: tables.scope, routes: ir.routes.count, links: ir.routes.edgeFrom.length, tables: tables.owner.length,
      max_entries: Math.max(0, ...tables.entries), capacity: tables.capacity,
    },
    quantization: {
      projections: q.projections.map((p) => ({
        name: p.name, bits: p.bits, scale: p.scale, rms_error: p.rmsError, max_error: p.maxError, relative_rms_error: p.relativeRmsError, zeroed: p.zeroed,
      })),
      populations: q.populations.map((p) => ({
        name: p.name, event: p.event, event_bound: p.eventBound, state_scale: p.stateScale, threshold_max_error: p.thresholdMaxError, bias_max_error: p.biasMaxError,
      })),
    },
    placement: {
      heuristic: ir.placement.heuristic, initial_cost_j_per_step: ir.placement.initialCost, final_cost_j_per_step: ir.placement.finalCost, swaps: ir.placement.swaps,
    },
    diagnostics: ir.diagnostics.map((d) => `${d.pass}${d.level === 'warning' ? ' (warning)' : ''}: ${d.message}`),
  };
}

/** The summary as terminal tables; `coreRows` limits the per-core table (largest memory first), Infinity shows every core. */
export function summaryText(s: Summary, coreRows = 12): string {
  const pct = (x: number) => formatPercent(x);
  const sections = [
    `${s.model} → ${s.target} (${s.arithmetic}${s.encoding === 'bit-planes' ? ', bit-plane events' : ''}, ${s.strategy}, decoder on ${s.decoder}): ` +
      `${formatCount(s.neurons)} units, ${formatCount(s.synapses)} synapses on ${formatCount(s.cores_used)} of ${formatCount(s.cores_available)} cores, ${s.chips} chip${s.chips > 1 ? 's' : ''}`,
    'per layer\n' + formatTable(
      s.per_layer.map((p) => [p.population, p.kind, p.units, p.cores, p.synapses, p.memory_bytes, pct(p.max_memory_utilization)]),
      { header: ['population', 'kind', 'units', 'cores', 'synapses', 'memory B', 'max mem'], indent: 2 },
    ),
    'per chip\n' + formatTable(s.per_chip.map((c) => [c.chip, c.cores, c.neurons, c.synapses, c.memory_bytes]), {
      header: ['chip', 'cores', 'units', 'synapses', 'memory B'], indent: 2,
    }),
  ];
  const cores = [...s.per_core].sort((a, b) => b.memory_bytes - a.memory_bytes || a.id - b.id).slice(0, coreRows);
  if (coreRows !== Infinity) cores.sort((a, b) => a.id - b.id);
  const shown = cores.length < s.per_core.length ? ` (the ${cores.length} fullest of ${s.per_core.length})` : '';
  sections.push(
    `per core${shown}\n` + formatTable(
      (coreRows === Infinity ? [...s.per_core] : cores).map((c) => [
        c.id, c.chip, `${c.x},${c.y}`, c.core, c.population, `${c.units[0]}–${c.units[1] - 1}`, c.neurons, c.synapses,
        c.memory_bytes, pct(c.memory_bytes / c.memory_capacity), c.fan_in, c.fan_out, c.routing_entries,
      ]),
      { header: ['id', 'chip', 'x,y', 'core', 'population', 'units', 'neurons', 'synapses', 'memory B', 'mem', 'fan-in', 'fan-out', 'routing'], indent: 2,
        align: ['right', 'right', 'right', 'right', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'] },
    ),
  );
  const u = s.utilization;
  sections.push(
    `utilization (max / mean over cores in use): memory ${pct(u.memory.max)} / ${pct(u.memory.mean)}, neurons ${pct(u.neurons.max)} / ${pct(u.neurons.mean)}, ` +
      `fan-in ${pct(u.fan_in.max)} / ${pct(u.fan_in.mean)}, fan-out ${pct(u.fan_out.max)} / ${pct(u.fan_out.mean)}\n` +
      `routing: ${formatCountOf(s.routing.routes, 'route')} over ${formatCountOf(s.routing.links, 'link')}; ${formatCountOf(s.routing.tables, `${s.routing.scope} table`)}, ` +
      `at most ${formatCount(s.routing.max_entries)} of ${formatCount(s.routing.capacity)} entries`,
  );
  sections.push(s.diagnostics.map((d) => `  ${d}`).join('\n'));
  return sections.join('\n\n');
}
