/**
 * The paper-scale EGRU language model the benchmarks compile and simulate (bench/compile.ts, bench/simulate.ts
 * compiled): vocabulary 10,000, embedding 750, layers 1350,1350,750, tied decoder, random weights (seed 1,
 * thresholds Beta around 0.05), 85% of every input and recurrent matrix pruned by its own magnitudes
 * (models/prune.ts scope `matrix`). Per matrix, as examples/fidelity does: one global cut over random weights
 * drawn uniform in ±1/√H keeps ~10.6% of layers 0 and 1 and ~33% of layer 2 (issue 11), a sparsity pattern no
 * trained model has. `scale` shrinks every width (the compile bench's half-size case).
 */
import type { ModelConfig } from '../models/config';
import type { LanguageModel } from '../models/model';
import { initParams } from '../models/params';
import { magnitudeMasks } from '../models/prune';
import { Rng } from '../models/rng';

export const PAPER_SPARSITY = 0.85;

export function paperModel(scale = 1): LanguageModel {
  const w = (n: number) => Math.round(n * scale);
  const config: ModelConfig = {
    cell: 'egru', vocabSize: w(10000), emb: w(750), layers: [w(1350), w(1350), w(750)], tied: true, projection: 0,
    surrogateGamma: 0.3, surrogateSupport: 10,
  };
  const params = initParams(config, new Rng(1), { thresholdInit: 0.05 });
  const masks = magnitudeMasks(config, params, PAPER_SPARSITY, 'matrix');
  for (const [name, mask] of Object.entries(masks)) {
    const d = params[name].data;
    for (let i = 0; i < d.length; i++) if (!mask[i]) d[i] = 0;
  }
  return {
    config, params, masks, vocab: Array.from({ length: config.vocabSize }, (_, i) => `w${i}`),
    provenance: { data: 'bench', seed: 1, steps: 0, tokens: 0, commands: [], createdAt: '', neuromapVersion: '', settings: {} },
    metrics: {},
  };
}
