/**
 * The dense baseline: what a conventional processor spends per token running the same model densely at
 * batch 1 (the analytic model of targets/baseline-schema.ts, numbers from targets/baselines/*.yaml).
 * Dense MACs are models/macs.ts's: every weight of every projection once per token, the embedding lookup
 * free. Weight bytes: those weights, plus the token's embedding row.
 */
import { decoderInputSize, gateCount, layerInputSize, type ModelConfig } from '../models/config';
import type { Baseline } from '../targets/baseline-schema';

export interface BaselineReport {
  baseline: string;
  description: string;
  dense_macs_per_token: number;
  weight_bytes_per_token: number;
  weights_on_chip: boolean;
  /** What limits a token's time: the arithmetic or the weight traffic. */
  bound: 'compute' | 'memory';
  energy_per_token_j: number;
  breakdown: { compute: number; memory: number; static: number };
  latency_per_token_s: number;
  throughput_tokens_per_s: number;
  /** Every number used, with its source. */
  assumptions: Record<string, { value: number; source: string }>;
}

export function denseMacsPerToken(config: ModelConfig): number {
  const G = gateCount(config.cell);
  let macs = 0;
  config.layers.forEach((H, l) => (macs += (layerInputSize(config, l) + H) * G * H));
  const last = config.layers[config.layers.length - 1];
  if (config.projection > 0) macs += last * config.projection;
  return macs + decoderInputSize(config) * config.vocabSize;
}

/** Time and energy of `macs` multiply-accumulates reading `bytes` of weights on processor b (no per-token overhead). */
function analyticCost(b: Baseline, macs: number, bytes: number, onChip: boolean) {
  const compute = macs / (b.peak_macs_per_s.value * b.batch1_efficiency.value);
  const transfer = onChip ? 0 : bytes / b.dram_bytes_per_s.value;
  const seconds = Math.max(compute, transfer);
  const energy = {
    compute: macs * b.mac_energy_j.value,
    memory: bytes * (onChip ? b.on_chip_energy_per_byte_j.value : b.dram_energy_per_byte_j.value),
    static: b.static_w.value * seconds,
  };
  return { compute, transfer, seconds, energy };
}

export function denseBaseline(config: ModelConfig, b: Baseline): BaselineReport {
  const macs = denseMacsPerToken(config);
  const bytes = (macs + config.emb) * b.weight_bytes.value;
  const onChip = bytes <= b.on_chip_bytes.value;
  const cost = analyticCost(b, macs, bytes, onChip);
  const latency = cost.seconds + b.per_token_overhead_s.value;
  const breakdown = { ...cost.energy, static: b.static_w.value * latency };
  const { name, description, references: _references, ...numbers } = b;
  void _references;
  return {
    baseline: name, description, dense_macs_per_token: macs, weight_bytes_per_token: bytes, weights_on_chip: onChip,
    bound: cost.transfer > cost.compute ? 'memory' : 'compute',
    energy_per_token_j: breakdown.compute + breakdown.memory + breakdown.static, breakdown,
    latency_per_token_s: latency, throughput_tokens_per_s: 1 / latency, assumptions: numbers,
  };
}

/**
 * What one effective MAC of a host-side layer (the decoder with `--decoder host`) costs on processor b, whose
 * layers hold `weights` weights in all: the same analytic model as the dense baseline, reading one weight per
 * MAC, from cache when they all fit. Energy includes the processor's static power while it computes.
 */
export function hostMacCost(b: Baseline, weights: number): { latency: number; energy: number } {
  const onChip = weights * b.weight_bytes.value <= b.on_chip_bytes.value;
  const cost = analyticCost(b, 1, b.weight_bytes.value, onChip);
  return { latency: cost.seconds, energy: cost.energy.compute + cost.energy.memory + cost.energy.static };
}
