/**
 * Softmax cross-entropy over rows of logits, in place: logits become dL/dlogits = (p − onehot)·scale.
 * Returns Σ −log p[target] and writes each row's log p[target] to `targetLogProbs` when given.
 */
export function softmaxCrossEntropyInPlace(
  logits: Float32Array, rows: number, vocab: number, targets: Int32Array, scale: number,
  targetLogProbs: Float32Array | null,
): number {
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * vocab;
    let max = -Infinity;
    for (let v = 0; v < vocab; v++) if (logits[base + v] > max) max = logits[base + v];
    const target = targets[r];
    const targetLogit = logits[base + target];
    let sum = 0;
    for (let v = 0; v < vocab; v++) {
      const e = Math.exp(logits[base + v] - max);
      logits[base + v] = e;
      sum += e;
    }
    // From the logit itself, so a vanishing probability still gives a finite log.
    const logp = targetLogit - max - Math.log(sum);
    total -= logp;
    if (targetLogProbs) targetLogProbs[r] = logp;
    const inv = scale / sum;
    for (let v = 0; v < vocab; v++) logits[base + v] *= inv;
    logits[base + target] -= scale;
  }
  return total;
}
