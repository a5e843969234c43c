/** Reading and comparing arrays in the known-answer tests of models/ (cells, kernels, lm). */
import type { ActiveSet } from '../../models/kernels/active';
import { expectedShapes, tensor, type ParamSet } from '../../models/params';
import type { ModelConfig } from '../../models/config';

/** Rows of a set as lists of column indices (its pointers may be absolute into a shared idx). */
export function rows(set: ActiveSet): number[][] {
  return Array.from({ length: set.ptr.length - 1 }, (_, r) => Array.from(set.idx.subarray(set.ptr[r], set.ptr[r + 1])));
}

/** Same length, and each entry equal to `digits` decimals. */
export function expectClose(actual: ArrayLike<number>, expected: number[], digits = 6): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((v, i) => expect(actual[i]).toBeCloseTo(v, digits));
}

/** Every tensor of `config`, all zeros: a hand-worked model sets only the weights its answer uses. */
export function zeroParams(config: ModelConfig): ParamSet {
  const params: ParamSet = {};
  for (const [name, shape] of Object.entries(expectedShapes(config))) params[name] = tensor(shape);
  return params;
}
