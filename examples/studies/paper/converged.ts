/**
 * Study 1 at the quality of the converged Brown models (issue 15):
 *   examples/studies/paper/converged.ts RESULTS_DIR OUT_DIR
 * reads every `<name>.eval.json` that `neuromap eval --split test --json` wrote in RESULTS_DIR
 * (examples/brown-models/results/: batch 1, the whole test split), and writes OUT_DIR/converged.md (the table)
 * and OUT_DIR/converged.png (test perplexity against effective MACs per token). Names follow
 * examples/brown-models/run.sh: `<cell>` for an unpruned model, `<cell>-p<percent>-<global|matrix>[-suffix]`
 * for a pruned one, with a suffix for a variant of the recipe (`-halflr`: fine-tuned at half the training rate).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderSvgs } from '../../../report/svg';
import { svgToPng } from '../../../report/png';
import type { TopLevelSpec } from '../../../report/plot';

interface Bucket { name: string; dense: number; effective: number }
interface Projection extends Bucket { lambda_activity: number; lambda_weight: number }
interface Evaluation {
  config: { cell: string };
  tokens: number;
  perplexity: number;
  layers: { activity: number }[];
  macs: {
    dense_per_token: number; effective_per_token: number; lambda_activity: number; lambda_weight: number; lambda_product: number;
    by_projection: Projection[]; by_layer: Bucket[];
  };
}
/** `variant`: a name's suffix after the scope, e.g. `halflr` for a fine-tuning at another rate; plotted only without one. */
interface Row { name: string; cell: string; sparsity: number; scope: string; variant: string; e: Evaluation }

const NAME = /^(egru|gru|lstm)(?:-p(\d+)-(global|matrix)(?:-([\w-]+))?)?$/;

function rowsOf(dir: string): Row[] {
  const rows: Row[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.eval.json')).sort()) {
    const name = file.replace(/\.eval\.json$/, '');
    const m = NAME.exec(name);
    if (!m) continue;
    rows.push({ name, cell: m[1], sparsity: m[2] ? Number(m[2]) : 0, scope: m[3] ?? '–', variant: m[4] ?? '', e: JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Evaluation });
  }
  const cells = ['lstm', 'gru', 'egru'];
  return rows.sort((a, b) => cells.indexOf(a.cell) - cells.indexOf(b.cell) || a.scope.localeCompare(b.scope) || a.sparsity - b.sparsity);
}

const recurrent = (e: Evaluation, key: 'dense' | 'effective') => e.macs.by_layer.filter((b) => b.name !== 'decoder').reduce((s, b) => s + b[key], 0);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const times = (x: number) => `${x.toFixed(1)}×`;

function table(rows: Row[]): string {
  const unpruned = (cell: string) => rows.find((r) => r.cell === cell && r.sparsity === 0);
  const lstm = unpruned('lstm');
  const out = [
    `Batch 1 from a zero state over the whole Brown test split (${rows[0]?.e.tokens.toLocaleString('en-US') ?? 0} tokens); MACs per token as \`neuromap eval\` counts them.`,
    lstm ? `"× fewer than the LSTM" compares with the unpruned dense LSTM's ${lstm.e.macs.dense_per_token.toLocaleString('en-US')} MACs per token (recurrent layers: ${recurrent(lstm.e, 'dense').toLocaleString('en-US')}).` : '',
    '',
    '| model | sparsity | test ppl | vs unpruned | activity per layer | λ_a | λ_w | λ_a·λ_w | measured eff ÷ dense | effective MACs/token | × fewer than the LSTM | recurrent layers: × fewer than the LSTM |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const m = r.e.macs, u = unpruned(r.cell);
    const vs = u && u !== r ? `${r.e.perplexity >= u.e.perplexity ? '+' : ''}${pct(r.e.perplexity / u.e.perplexity - 1)}` : '–';
    out.push(
      `| ${r.name} | ${r.sparsity}%${r.sparsity ? ` ${r.scope}` : ''} | ${r.e.perplexity.toFixed(1)} | ${vs} | ${r.e.layers.map((l) => pct(l.activity)).join(' / ')} | ` +
        `${m.lambda_activity.toFixed(3)} | ${m.lambda_weight.toFixed(3)} | ${m.lambda_product.toFixed(3)} | ${(m.effective_per_token / m.dense_per_token).toFixed(3)} | ` +
        `${Math.round(m.effective_per_token).toLocaleString('en-US')} | ` +
        (lstm ? `${times(lstm.e.macs.dense_per_token / m.effective_per_token)} | ${times(recurrent(lstm.e, 'dense') / recurrent(r.e, 'effective'))} |` : '– | – |'),
    );
  }
  return out.join('\n') + '\n';
}

function plot(rows: Row[]): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: 560, height: 340,
    title: 'Brown test perplexity against effective MACs per token (batch 1, whole test split)',
    data: { values: rows.filter((r) => !r.variant).map((r) => ({ model: r.cell.toUpperCase() + (r.scope === 'matrix' ? ' per matrix' : ''), macs: r.e.macs.effective_per_token, perplexity: r.e.perplexity, label: r.sparsity ? `${r.sparsity}%` : 'unpruned' })) },
    layer: [
      { mark: { type: 'line', point: true }, encoding: {
        x: { field: 'macs', type: 'quantitative', scale: { type: 'log' }, title: 'effective MACs per token (log)' },
        y: { field: 'perplexity', type: 'quantitative', scale: { zero: false }, title: 'test perplexity' },
        color: { field: 'model', type: 'nominal' }, order: { field: 'macs', type: 'quantitative' } } },
      { mark: { type: 'text', dy: -9, fontSize: 10 }, encoding: {
        x: { field: 'macs', type: 'quantitative', scale: { type: 'log' } }, y: { field: 'perplexity', type: 'quantitative' },
        text: { field: 'label' }, color: { field: 'model', type: 'nominal' } } },
    ],
  } as TopLevelSpec;
}

async function main(): Promise<void> {
  const [dir, out] = process.argv.slice(2);
  if (!dir || !out) throw new Error('usage: converged.ts RESULTS_DIR OUT_DIR');
  const rows = rowsOf(dir);
  fs.mkdirSync(out, { recursive: true });
  const md = table(rows);
  fs.writeFileSync(path.join(out, 'converged.md'), md);
  process.stdout.write(md);
  const { svgs } = await renderSvgs([plot(rows)]);
  fs.writeFileSync(path.join(out, 'converged.png'), svgToPng(svgs[0]));
}

main().catch((err: Error) => {
  process.stderr.write(`converged.ts: ${err.message}\n`);
  process.exit(1);
});
