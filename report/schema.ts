/**
 * What `neuromap report` reads, as zod schemas (the source of the types): the JSON of `neuromap eval --json`,
 * the OUT.json of `neuromap simulate --json` (of a compiled map, or the dense baseline of a model), and one
 * line of a sweep's JSON Lines results. Only the fields the report uses are checked; any other field is allowed
 * and ignored, so newer result files still load.
 */
import { z } from 'zod';
import { layerName } from '../models/params';

const count = z.number().nonnegative();
const fraction = z.number().min(0);

export const ProjectionMacsSchema = z.object({
  name: z.string(),
  dense: count,
  effective: count,
  lambda_activity: fraction.optional(),
  lambda_weight: fraction.optional(),
  lambda_product: fraction.optional(),
  reduction: z.number().optional(),
});

export const MacsSchema = z.object({
  dense_per_token: count,
  effective_per_token: count,
  reduction: z.number().optional(),
  lambda_activity: fraction.optional(),
  lambda_weight: fraction.optional(),
  lambda_product: fraction.optional(),
  by_projection: z.array(ProjectionMacsSchema),
});

export const LayerSchema = z.object({
  layer: z.number().int().nonnegative(),
  name: z.string().optional(),
  units: count,
  events: count,
  activity: fraction,
  /** Each unit's events over the run (eval and simulate write it; older files lack it). */
  unit_events: z.array(count).optional(),
  /** The units that fired at each of the first tokens. */
  raster: z.array(z.array(z.number().int().nonnegative())).optional(),
});

/** A layer's name in plots and findings: its own, or `layerN` in files written before layers were named. */
export const layerLabel = (l: { layer: number; name?: string }): string => l.name ?? layerName(l.layer);

/** `neuromap eval --json` (models/evaluate through cli/commands/eval.ts). */
export const EvalResultSchema = z.object({
  model: z.string().optional(),
  tokens: count,
  perplexity: z.number(),
  mean_activity: fraction.optional(),
  layers: z.array(LayerSchema),
  macs: MacsSchema,
});

export const ENERGY_PARTS = ['synaptic', 'neuron', 'network', 'sync', 'static', 'host'] as const;
export type EnergyPart = (typeof ENERGY_PARTS)[number];

export const CoreSchema = z.object({
  core: z.number().int().nonnegative(),
  chip: z.number().int().nonnegative(),
  x: z.number().int().nonnegative(),
  y: z.number().int().nonnegative(),
  population: z.string().optional(),
  busy_s: count,
  energy_j: count,
  events_in: count,
  events_out: count,
});

/** `neuromap simulate M.nmap --json OUT.json` (simulator/report.ts). */
export const SimResultSchema = EvalResultSchema.extend({
  target: z.string(),
  arithmetic: z.string().optional(),
  schedule: z.string().optional(),
  decoder: z.string().optional(),
  map: z.string().optional(),
  energy_per_token_j: count,
  breakdown: z.object(Object.fromEntries(ENERGY_PARTS.map((p) => [p, count])) as Record<EnergyPart, typeof count>),
  latency_per_token_s: count,
  latency_max_s: count.optional(),
  throughput_tokens_per_s: count,
  contention_per_token_s: count.optional(),
  imbalance: z.object({ max_busy_s: count, mean_busy_s: count, ratio: count }),
  per_core: z.array(CoreSchema),
  /** A quantised map's fp32 model on the same tokens (simulator/report.ts QuantisationCost). */
  quantisation: z.object({ arithmetic: z.string(), fp32_perplexity: z.number() }).nullable().optional(),
});

export const BASELINE_PARTS = ['compute', 'memory', 'static'] as const;
export type BaselinePart = (typeof BASELINE_PARTS)[number];

/**
 * `neuromap simulate M.egru --target dense-cpu|dense-gpu --json X.json` (simulator/baseline.ts): the analytic
 * cost of running the model densely at batch 1 on a conventional processor, with the model's perplexity on the
 * tokens given (absent in the baselines the demo's report.json lists).
 */
export const BaselineResultSchema = z.object({
  model: z.string().optional(),
  baseline: z.string(),
  description: z.string().optional(),
  bound: z.string().optional(),
  dense_macs_per_token: count,
  energy_per_token_j: count,
  breakdown: z.object(Object.fromEntries(BASELINE_PARTS.map((p) => [p, count])) as Record<BaselinePart, typeof count>),
  latency_per_token_s: count,
  throughput_tokens_per_s: count,
  tokens: count.optional(),
  perplexity: z.number().optional(),
  effective_macs_per_token: count.optional(),
});

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const params = z.record(z.string(), z.union([scalar, z.array(scalar)]));

/**
 * One line of a sweep's results (JSON Lines): a finished point has `perplexity` and its effective MACs per
 * token (`macs.effective_per_token`, as eval and simulate write them, or `effective_macs_per_token`); a failed
 * point has `error` and is skipped. The point's settings may sit at the top level or under `point`/`params`.
 */
export const SweepLineSchema = z
  .object({
    error: z.string().optional(),
    label: z.string().optional(),
    series: z.string().optional(),
    perplexity: z.number().optional(),
    macs: MacsSchema.pick({ dense_per_token: true, effective_per_token: true, reduction: true }).partial({ dense_per_token: true }).optional(),
    effective_macs_per_token: count.optional(),
    point: params.optional(),
    params: params.optional(),
    cell: z.string().optional(),
    target: z.string().optional(),
    weight_decay: z.union([z.number(), z.array(z.number())]).optional(),
    sparsity: z.number().optional(),
    layers: z.union([z.array(z.number()), z.string()]).optional(),
  })
  .superRefine((line, ctx) => {
    if (line.error !== undefined) return;
    if (line.perplexity === undefined) ctx.addIssue({ code: 'custom', path: ['perplexity'], message: 'missing (a finished point needs its perplexity, a failed one an `error`)' });
    if (line.macs === undefined && line.effective_macs_per_token === undefined)
      ctx.addIssue({ code: 'custom', path: ['macs', 'effective_per_token'], message: 'missing (or give effective_macs_per_token)' });
  });

export type ProjectionMacs = z.infer<typeof ProjectionMacsSchema>;
export type Macs = z.infer<typeof MacsSchema>;
export type EvalResult = z.infer<typeof EvalResultSchema>;
export type SimResult = z.infer<typeof SimResultSchema>;
export type BaselineResult = z.infer<typeof BaselineResultSchema>;
export type CoreResult = z.infer<typeof CoreSchema>;
export type SweepLine = z.infer<typeof SweepLineSchema>;
