/**
 * The answers, one sentence per comparison, computed from the inputs, for the three questions a report serves:
 * what pruning bought (effective MACs and perplexity, with the tokens each perplexity is over), what each target
 * costs per token against the dense baselines and the other targets (and where its energy goes), and where a
 * run's load is uneven (the busiest core against the mean, the busiest layer against the quietest).
 */
import { formatPercent } from '../format/table';
import { lessOrMore } from '../format/ratio';

/** lessOrMore (format/ratio.ts), with other words for counts: "6.72× fewer". */
function ratio(a: number, b: number, words: { less: string; more: string } = { less: 'less', more: 'more' }): string {
  return lessOrMore(a, b).replace(/ less$/, ` ${words.less}`).replace(/ more$/, ` ${words.more}`);
}

/** A ratio above 1 in lessOrMore's digits: "2.5×". */
function times(x: number): string {
  return lessOrMore(x, 1).replace(/ more$/, '');
}
import { si } from '../format/si';
import type { BaselineInput, EvalInput, ModelInput, ReportInputs, SimInput } from './inputs';
import { ENERGY_PARTS, layerLabel } from './schema';

export function findings(inputs: ReportInputs): string[] {
  const sims = inputs.runs.filter((r): r is SimInput => r.kind === 'simulate');
  const baselines = inputs.runs.filter((r): r is BaselineInput => r.kind === 'baseline');
  const evals = inputs.runs.filter((r): r is EvalInput => r.kind === 'eval');
  return [...pruning(evals.length ? evals : sims), ...energy(sims, baselines), ...imbalance(sims, evals)];
}

/** "over 5,000 tokens" */
export function overTokens(n: number): string {
  return `over ${n.toLocaleString('en-US')} token${n === 1 ? '' : 's'}`;
}

function pruning(runs: ModelInput[]): string[] {
  if (!runs.length) return [];
  const reduction = (r: ModelInput) => r.result.macs.dense_per_token / Math.max(1e-30, r.result.macs.effective_per_token);
  const sorted = [...runs].sort((a, b) => reduction(b) - reduction(a));
  const best = sorted[0], least = sorted[sorted.length - 1];
  const quality = (r: ModelInput) => `perplexity ${r.result.perplexity.toFixed(1)} ${overTokens(r.result.tokens)}`;
  const head = `${best.label}: ${ratio(best.result.macs.effective_per_token, best.result.macs.dense_per_token, { less: 'fewer', more: 'more' })} effective MACs per token than dense`;
  if (best === least) return [`${head}, at ${quality(best)}.`];
  const vs = ratio(best.result.macs.effective_per_token, least.result.macs.effective_per_token, { less: 'fewer', more: 'more' });
  return [`${head} and ${vs} than ${least.label}, at ${quality(best)} against ${quality(least)}.`];
}

function energy(sims: SimInput[], baselines: BaselineInput[]): string[] {
  const out: string[] = [];
  const J = (x: number) => si(x, 'J');
  for (const s of sims) {
    const e = s.result.energy_per_token_j;
    for (const b of baselines)
      out.push(`${s.label}: ${ratio(e, b.result.energy_per_token_j)} energy per token than ${b.label.replace(/ \(baseline\)$/, '')}, dense (${J(e)} against ${J(b.result.energy_per_token_j)}).`);
    const parts = ENERGY_PARTS.map((p) => [p, s.result.breakdown[p]] as const).sort((a, b) => b[1] - a[1]);
    const [top, joules] = parts[0];
    if (e > 0) out.push(`${s.label}: ${formatPercent(joules / e, 0)} of its ${J(e)} per token is ${PART_WORDS[top]} (${J(joules)}).`);
  }
  if (sims.length > 1) {
    const cheapest = [...sims].sort((a, b) => a.result.energy_per_token_j - b.result.energy_per_token_j)[0];
    for (const s of sims)
      if (s !== cheapest)
        out.push(`${cheapest.label}: ${ratio(cheapest.result.energy_per_token_j, s.result.energy_per_token_j)} energy per token than ${s.label} (${J(cheapest.result.energy_per_token_j)} against ${J(s.result.energy_per_token_j)}).`);
  }
  return out;
}

const PART_WORDS: Record<(typeof ENERGY_PARTS)[number], string> = {
  synaptic: 'synaptic operations', neuron: 'neuron updates', network: 'network traffic', sync: 'synchronisation',
  static: 'static power', host: 'the host (I/O and any host-side layers)',
};

function imbalance(sims: SimInput[], evals: EvalInput[]): string[] {
  const out: string[] = [];
  for (const s of sims) {
    const cores = s.result.per_core;
    if (cores.length < 2 || s.result.imbalance.mean_busy_s <= 0) continue;
    const busiest = cores.reduce((a, c) => (c.busy_s > a.busy_s ? c : a));
    out.push(
      `${s.label}: the busiest core (core ${busiest.core}${busiest.population ? `, ${busiest.population}` : ''}) is busy ` +
        `${times(busiest.busy_s / s.result.imbalance.mean_busy_s)} the mean core's time (${cores.length} cores).`,
    );
  }
  // Layer against layer, from the run over the most tokens (an evaluation if there is one).
  const runs: ModelInput[] = [...evals, ...sims];
  const longest = runs.sort((a, b) => b.result.tokens - a.result.tokens)[0];
  const layers = longest?.result.layers ?? [];
  if (layers.length > 1) {
    const byActivity = [...layers].sort((a, b) => b.activity - a.activity);
    const hi = byActivity[0], lo = byActivity[byActivity.length - 1];
    const often = lo.activity > 0 ? `${times(hi.activity / lo.activity)} as often as` : 'while nothing fires in';
    out.push(
      `${longest.label}: ${layerLabel(hi)} fires ${often} ${layerLabel(lo)} ` +
        `(${formatPercent(hi.activity)} against ${formatPercent(lo.activity)} of units per token, ${overTokens(longest.result.tokens)}).`,
    );
  }
  return out;
}
