/**
 * Dense baselines (targets/baselines/*.yaml): a conventional processor running the model densely at
 * batch 1, described by the few numbers an analytic model needs (simulator/baseline.ts). Like a target,
 * every number is `{ value, source }` in SI units with the unit in the key; they are read by the same
 * loader as targets (targets/load.ts dataFiles: by name or path, cached, frozen, one line per problem).
 *
 * The model, per token: every weight is used once (dense MACs), and every weight byte comes from DRAM
 * unless the weights fit the on-chip memory (at batch 1 nothing else reuses them); time is the longer of
 * compute at the batch-1 rate and the DRAM transfer, plus a fixed per-token overhead; energy is MACs ×
 * energy per MAC + bytes × energy per byte (DRAM, or on-chip when the weights stay there) + static power
 * × time.
 */
import * as path from 'path';
import { z } from 'zod';
import { dataFiles } from './load';
import { QuantitySchema } from './schema';

const nonNegative = QuantitySchema.refine((q) => q.value >= 0, { error: 'must not be negative' });
const positive = QuantitySchema.refine((q) => q.value > 0, { error: 'must be positive' });

export const BaselineSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, { error: 'must be lower-case letters, digits, - or _' }),
  description: z.string().min(1),
  references: z.record(z.string(), z.string().min(1)).optional(),
  /** Energy of one multiply-accumulate in the weights' format (J). */
  mac_energy_j: nonNegative,
  /** Peak multiply-accumulates per second, and the fraction of it a batch-1 matrix-vector product reaches. */
  peak_macs_per_s: positive,
  batch1_efficiency: positive.refine((q) => q.value <= 1, { error: 'must be at most 1' }),
  /** Bytes per stored weight (4 for fp32). */
  weight_bytes: positive,
  /** On-chip memory that can hold weights across tokens (last-level cache, L2); 0: none. */
  on_chip_bytes: nonNegative,
  on_chip_energy_per_byte_j: nonNegative,
  dram_energy_per_byte_j: nonNegative,
  dram_bytes_per_s: positive,
  /** Power drawn while the token is processed besides the MACs and transfers counted above (W). */
  static_w: nonNegative,
  /** Fixed time per token (kernel launches, framework), s. */
  per_token_overhead_s: nonNegative,
});
export type Baseline = z.infer<typeof BaselineSchema>;

const baselines = dataFiles<Baseline>(BaselineSchema, path.join(__dirname, 'baselines'), 'baseline');

/** Names of the shipped baselines (targets/baselines/), sorted. */
export const listBaselines = (): string[] => baselines.list();

/** A shipped baseline by name (`dense-gpu`) or a file by path. */
export const loadBaseline = (nameOrPath: string): Baseline => baselines.load(nameOrPath);
