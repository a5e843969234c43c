import { lower } from '../../compiler/lower';
import { partition } from '../../compiler/partition';
import { quantize } from '../../compiler/quantize';
import { verify } from '../../compiler/verify';
import { DEFAULT_OPTIONS } from '../../compiler/pipeline';
import type { CompileOptions, Partitioned } from '../../compiler/ir';
import type { LanguageModel } from '../../models/model';
import type { Target } from '../../targets/schema';

/** A model lowered (decoder on the host unless `options` say otherwise), quantised and partitioned, then verified. */
export function partitioned(model: LanguageModel, target: Target, options: Partial<CompileOptions> = {}): Partitioned {
  const ir = partition(quantize(lower(model, target, { ...DEFAULT_OPTIONS, decoder: 'host', ...options })));
  verify(ir);
  return ir;
}
