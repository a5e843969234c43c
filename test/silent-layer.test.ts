/**
 * A layer that emits (almost) no events passes nothing upward: training then goes on at the unigram perplexity without a
 * word to the user (study 3 part 2 met it). pipeline/training.ts warns once, naming the silent layers.
 */
import { Progress } from '../format/progress';
import { progressCallbacks, silentLayerWarning } from '../pipeline/training';

describe('the warning when a layer is silent', () => {
  it('says nothing while every layer fires at least once per thousand unit-steps', () => {
    expect(silentLayerWarning([0.2, 0.001])).toBeNull();
  });

  it('names the silent layers, counted from layer0, and says what to change', () => {
    // 16 events in 3,000 tokens over 128 units: 16 / 384,000 = 0.0000417, printed to two digits.
    const one = silentLayerWarning([0.3, 16 / 384000]);
    expect(one).toMatch(/^warning: almost no events on the validation text from layer1 \(0\.000042\), under one per thousand/);
    for (const flag of ['--threshold-init', '--activity-penalty', '--weight-decay', '--decoder-bias-init zero']) expect(one).toContain(flag);
    expect(silentLayerWarning([0, 0.1, 0.00099])).toMatch(/from layer0 \(0\.0\) and layer2 \(0\.00099\), under/);
  });

  it('is logged once per run, after the evaluation line that shows the zero', () => {
    const lines: string[] = [];
    const progress = new Progress('train', { write: (s: string) => (lines.push(s), true) });
    const { onEval } = progressCallbacks(progress, 'egru');
    const at = (step: number, activity: number[]) =>
      onEval!({ step, tokens: 100 * step, validLoss: 6, validPerplexity: Math.exp(6), activity, best: false });
    at(1, [0.1, 0.05]);
    at(2, [0.1, 0.0005]);
    at(3, [0, 0]);
    const warnings = lines.filter((l) => l.includes('warning'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^egru: warning: almost no events on the validation text from layer1 \(/);
    expect(lines.indexOf(warnings[0])).toBe(2);
  });
});
