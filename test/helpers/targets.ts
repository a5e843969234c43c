import { loadTarget, validateTarget } from '../../targets/load';
import type { Target } from '../../targets/schema';

/**
 * A shipped target with its data changed by hand and validated again under a name of its own: how a test builds
 * a target that differs from tiny in a number or two. `change` edits a deep copy; the shipped target is untouched.
 */
// any: the change edits the target's raw data by key path; validateTarget checks what it made.
export function variantOf(base: Target, name: string, change: (data: any) => void): Target {
  const data = JSON.parse(JSON.stringify(base));
  change(data);
  return validateTarget({ ...data, name }, name);
}

/** tiny with some per-core numbers (and synapse-encoding numbers under `encoding`) changed. */
export function tinyWith(core: Record<string, number>, encoding: Record<string, number> = {}): Target {
  return variantOf(loadTarget('tiny'), 'tiny-test', (data) => {
    for (const [key, value] of Object.entries(core)) data.core[key] = { value, source: 'assumption: test' };
    for (const [key, value] of Object.entries(encoding)) data.core.synapse_encoding[key] = { value, source: 'assumption: test' };
  });
}
