/**
 * examples/studies/paper/summarize.ts RESULTS.jsonl: study 1's table (Markdown, stdout) from the sweep of
 * examples/sweeps/paper.yaml. One row per point: test perplexity at batch 1, activity per layer, the
 * paper's λ_activity, λ_weight and their product next to the measured effective ÷ dense MACs, and the MAC
 * reduction against the unpruned dense GRU of the same shape, for the whole model and for the recurrent
 * layers alone (the decoder holds most dense MACs and sees only the last layer's activity).
 */
import * as fs from 'node:fs';

interface Line {
  point: { cell: string; weight_decay: number; activity_penalty: number; sparsity: number; prune_scope?: string };
  model: { sparsity: number };
  eval: {
    tokens: number; perplexity: number; activity: number[];
    macs: {
      dense_per_token: number; effective_per_token: number; lambda_activity: number; lambda_weight: number; lambda_product: number;
      by_layer: { name: string; dense: number; effective: number }[];
    };
  };
}

const file = process.argv[2];
if (!file) throw new Error('usage: summarize.ts RESULTS.jsonl');
const lines: Line[] = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Line);
const scope = (l: Line) => l.point.prune_scope ?? (l.point.sparsity > 0 ? 'global' : '–');
const order = (l: Line) => [['gru', 'lstm', 'egru'].indexOf(l.point.cell), l.point.weight_decay, l.point.sparsity, scope(l) === 'matrix' ? 1 : 0];
lines.sort((a, b) => {
  const x = order(a), y = order(b);
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2] || x[3] - y[3];
});

const layersOnly = (l: Line, key: 'dense' | 'effective') => l.eval.macs.by_layer.filter((b) => b.name !== 'decoder').reduce((a, b) => a + b[key], 0);
const decoder = (l: Line, key: 'dense' | 'effective') => l.eval.macs.by_layer.find((b) => b.name === 'decoder')?.[key] ?? 0;
const gru = lines.find((l) => l.point.cell === 'gru' && l.point.sparsity === 0);
const unpruned = (l: Line) => lines.find((u) => u.point.cell === l.point.cell && u.point.weight_decay === l.point.weight_decay && u.point.sparsity === 0);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const f = (x: number, d = 3) => x.toFixed(d);

const out = [
  `Test perplexity at batch 1 on the first ${lines[0]?.eval.tokens ?? 0} Brown test tokens; MACs per token as \`neuromap eval\` counts them.`,
  '',
  '| cell | weight decay | sparsity | pruned | test ppl | vs unpruned | activity l0 / l1 | λ_a | λ_w | λ_a·λ_w | measured eff ÷ dense | × fewer MACs than dense GRU | recurrent layers: × fewer | decoder: × fewer |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
];
for (const l of lines) {
  const m = l.eval.macs, u = unpruned(l);
  const vs = u && u !== l ? `${l.eval.perplexity >= u.eval.perplexity ? '+' : ''}${pct(l.eval.perplexity / u.eval.perplexity - 1)}` : '–';
  out.push(
    `| ${l.point.cell} | ${l.point.weight_decay} | ${pct(l.model.sparsity)} | ${scope(l)} | ${l.eval.perplexity.toFixed(1)} | ${vs} | ` +
      `${l.eval.activity.map(pct).join(' / ')} | ${f(m.lambda_activity)} | ${f(m.lambda_weight)} | ${f(m.lambda_product)} | ${f(m.effective_per_token / m.dense_per_token)} | ` +
      (gru ? `${f(gru.eval.macs.dense_per_token / m.effective_per_token, 1)} | ${f(layersOnly(gru, 'dense') / layersOnly(l, 'effective'), 1)} | ${f(decoder(gru, 'dense') / decoder(l, 'effective'), 1)} |` : '– | – | – |'),
  );
}
process.stdout.write(out.join('\n') + '\n');
