import { worstMismatch, smallConfig } from './helpers/gradcheck';

// Float32 forward passes with central differences of 1e-2: agreement to ~1% is what the arithmetic allows.
const TOL = 5e-3;

describe('backward pass against finite differences', () => {
  const cases = [
    ['GRU', smallConfig({ cell: 'gru' })],
    ['LSTM', smallConfig({ cell: 'lstm' })],
    ['EGRU away from the threshold (surrogate off)', smallConfig({ cell: 'egru' })],
    ['EGRU with a tied decoder', smallConfig({ cell: 'egru', layers: [7, 6], tied: true })],
    ['GRU with a projection and tied decoder', smallConfig({ cell: 'gru', layers: [7, 5], projection: 6, tied: true })],
    ['EGRU, three layers, untied', smallConfig({ cell: 'egru', layers: [5, 8, 4] })],
  ] as const;
  it('EGRU with the activity penalty λ·mean(y) in the loss', () => {
    const r = worstMismatch({ config: smallConfig({ cell: 'egru' }), steps: 4, batch: 3, seed: 11, activityPenalty: 0.7 });
    expect(r.checked).toBeGreaterThan(40);
    expect(r.worst).toBeLessThan(TOL);
  });
  for (const [label, config] of cases) {
    it(label, () => {
      const r = worstMismatch({ config, steps: 4, batch: 3, seed: 11 });
      expect(r.checked).toBeGreaterThan(40);
      expect(r.worst).toBeLessThan(TOL);
    });
  }
});
