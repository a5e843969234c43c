/**
 * The whole compiler: the passes in order, each a pure function of the previous stage, with the verifier
 * after each (verify.ts) and the pass's name and time reported to `onPass` (the debug trace).
 */
import type { LanguageModel } from '../models/model';
import type { Target } from '../targets/schema';
import { emit } from './emit';
import type { CompileOptions, Emitted, IR } from './ir';
import { lower } from './lower';
import { partition } from './partition';
import { place } from './place';
import { quantize } from './quantize';
import { route } from './route';
import { verify } from './verify';

export const DEFAULT_OPTIONS: CompileOptions = {
  strategy: 'pack', decoder: 'chip', binaryEncoding: false, seed: 1, verify: true, modelName: 'model',
};

export function compile(model: LanguageModel, target: Target, options: Partial<CompileOptions> = {}): Emitted {
  const o: CompileOptions = { ...DEFAULT_OPTIONS, ...options };
  const step = <T extends IR>(name: string, pass: () => T): T => {
    const started = performance.now();
    const ir = pass();
    if (o.verify) verify(ir);
    o.onPass?.(name, performance.now() - started);
    return ir;
  };
  const lowered = step('lower', () => lower(model, target, o)); // model → populations and projections; the embedding lookup stays on the host
  const quantized = step('quantize', () => quantize(lowered)); // weights, thresholds and events to the target's arithmetic
  const partitioned = step('partition', () => partition(quantized)); // populations → core-sized slices under every per-core limit
  const placed = step('place', () => place(partitioned)); // slices → (chip, x, y, core), minimising traffic × hop energy
  const routed = step('route', () => route(placed)); // dimension-order multicast routes and routing tables within capacity
  return step('emit', () => emit(routed)); // per-core neuron maps and CSR synapse tables
}
