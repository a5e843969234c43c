/**
 * NeuroBench's metrics, under NeuroBench's names, computed as its own code computes them, so neuromap's numbers
 * can sit next to NeuroBench results. Read from NeuroBench/neurobench at commit
 * e521c28f5798cb40bb9423758bf066dad53fe070 (release 2.3.0), neurobench/metrics/:
 *   static/footprint.py             Footprint: Σ over parameters and buffers of numel × element_size (bytes);
 *                                   zero weights included.
 *   static/connection_sparsity.py   ConnectionSparsity: zero weights / weights of the connection layers it knows,
 *                                   rounded to 4 decimals. For nn.Linear (STATELESS_LAYERS) the weight only, no bias.
 *   workload/activation_sparsity.py ActivationSparsity: zero activations / activations, over every hooked
 *                                   activation layer, timestep and sample (not rounded).
 *   workload/synaptic_operations.py SynapticOperations, with utils/layers/macs.py and utils/layers/input.py: per
 *                                   call of a connection layer, binarised weights × binarised inputs, bias left out
 *                                   (Effective), and all-ones weights × all-ones inputs (Dense). A call's effective
 *                                   ops are ACs when every input of the call is 0, 1 or −1, else MACs. Each is
 *                                   divided by the samples seen.
 *   workload/membrane_updates.py    MembraneUpdates: per spiking-neuron layer, the first call counts every neuron,
 *                                   each later call the neurons whose membrane potential after the call differs
 *                                   from before it; summed over layers, divided by the samples seen.
 *
 * How neuromap's model meets those rules (an EGRU layer is no torch module NeuroBench knows):
 * - A sample is one token: one execution of the model at batch 1 from the carried state, as NeuroBench's
 *   Mackey-Glass LSTM (examples/mackey_glass) predicts one timestep per sample with its state in buffers. So
 *   SynapticOperations and MembraneUpdates are per token; the first token of the stream starts from the zero state
 *   and counts every unit, as NeuroBench's first call does.
 * - The connection layers are the projections that compute the model, each counted as the nn.Linear that would
 *   hold it: an EGRU layer's W (x → 3H) and R (y_{t−1} → 3H), the projection and the decoder (the tied decoder's
 *   weight is the embedding, counted once). The embedding lookup is no connection layer (nn.Embedding is not one
 *   of NeuroBench's), and biases are not weights of a Linear.
 * - The activations are each recurrent layer's outputs y_t (for an EGRU, its events); the membrane potential of
 *   an EGRU unit is its state h (after the soft reset). Dense GRU and LSTM layers have no spiking neurons, so
 *   their MembraneUpdates are 0, as NeuroBench gives for a model without snnTorch neurons.
 * - Footprint's buffers are the state a layer carries between tokens at batch 1 (h and y_{t−1}), as the
 *   Mackey-Glass LSTM registers its h and c as buffers "to allow assessment of model memory footprint".
 */
import { ModelConfig } from './config';
import { expectedShapes } from './params';

export const NEUROBENCH_SOURCE = 'NeuroBench/neurobench@e521c28f5798cb40bb9423758bf066dad53fe070 neurobench/metrics/';

export interface SynapticOperations {
  Effective_MACs: number;
  Effective_ACs: number;
  Dense: number;
}

export interface NeuroBenchMetrics {
  /** Where the definitions were read. */
  source: string;
  /** What one NeuroBench sample is here, and how many there were. */
  sample: 'token';
  samples: number;
  Footprint: number;
  ConnectionSparsity: number;
  ActivationSparsity: number;
  SynapticOperations: SynapticOperations;
  MembraneUpdates: number;
}

/** One connection layer's ops summed over the run: effective ops of calls whose inputs were all 0/±1, of the others, and dense. */
export interface ConnectionOps {
  dense: number;
  effectiveMacs: number;
  effectiveAcs: number;
}

/** NeuroBench's test for a spiking input (utils/layers/input.py): every value 0, 1 or −1. */
export function isBinaryInput(values: ArrayLike<number>, indices: ArrayLike<number>, from: number, to: number): boolean {
  for (let q = from; q < to; q++) {
    const v = values[indices[q]];
    if (v !== 1 && v !== -1) return false;
  }
  return true;
}

/** Footprint: Σ elements × bytes over the parameters and the carried state (h and y_{t−1} per layer). */
export function footprint(config: ModelConfig, bytesOf: (tensor: string) => number, stateBytes: number): number {
  let bytes = 0;
  for (const [name, shape] of Object.entries(expectedShapes(config))) bytes += shape.reduce((a, b) => a * b, 1) * bytesOf(name);
  for (const H of config.layers) bytes += 2 * H * stateBytes;
  return bytes;
}

/** The bytes of the typed array that holds a value of this many bits (torch's element_size). */
export function elementBytes(bits: number): number {
  return bits <= 8 ? 1 : bits <= 16 ? 2 : bits <= 32 ? 4 : 8;
}

/** ConnectionSparsity from each connection layer's zero and total weights, rounded to 4 decimals as NeuroBench does. */
export function connectionSparsity(layers: { zeros: number; weights: number }[]): number {
  const zeros = layers.reduce((a, l) => a + l.zeros, 0), weights = layers.reduce((a, l) => a + l.weights, 0);
  return weights > 0 ? Math.round((zeros / weights) * 1e4) / 1e4 : 0;
}

/** ActivationSparsity: zero outputs over all outputs, every layer and token. */
export function activationSparsity(layers: { units: number; events: number }[], tokens: number): number {
  const outputs = layers.reduce((a, l) => a + l.units * tokens, 0);
  const nonZero = layers.reduce((a, l) => a + l.events, 0);
  return outputs > 0 ? (outputs - nonZero) / outputs : 0;
}

export function synapticOperations(layers: ConnectionOps[], samples: number): SynapticOperations {
  if (samples === 0) return { Effective_MACs: 0, Effective_ACs: 0, Dense: 0 };
  const sum = (f: (l: ConnectionOps) => number) => layers.reduce((a, l) => a + f(l), 0) / samples;
  return { Effective_MACs: sum((l) => l.effectiveMacs), Effective_ACs: sum((l) => l.effectiveAcs), Dense: sum((l) => l.dense) };
}

/** MembraneUpdates from the run's total count (first token: every unit; later: units whose state changed). */
export function membraneUpdates(updates: number, samples: number): number {
  return samples > 0 ? updates / samples : 0;
}

/** What a run counted, in totals over its tokens; neurobenchMetrics divides by the samples (tokens). */
export interface NeuroBenchCounts {
  tokens: number;
  footprint: number;
  connections: { zeros: number; weights: number }[];
  ops: ConnectionOps[];
  layers: { units: number; events: number }[];
  /** Σ over tokens and EGRU layers of membrane updates (first token: every unit). */
  membraneUpdates: number;
}

export function neurobenchMetrics(c: NeuroBenchCounts): NeuroBenchMetrics {
  return {
    source: NEUROBENCH_SOURCE, sample: 'token', samples: c.tokens,
    Footprint: c.footprint,
    ConnectionSparsity: connectionSparsity(c.connections),
    ActivationSparsity: activationSparsity(c.layers, c.tokens),
    SynapticOperations: synapticOperations(c.ops, c.tokens),
    MembraneUpdates: membraneUpdates(c.membraneUpdates, c.tokens),
  };
}
