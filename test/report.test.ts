/**
 * `neuromap report`: plot specs from result JSON built here (eval, simulate, dense baseline, sweep), which plots
 * appear for which inputs, the HTML page (one inline SVG per plot, no network address, no script, the terminal's
 * headline numbers), PNGs, and one clear error for each kind of bad input.
 */
import * as fs from 'fs';
import * as path from 'path';
import yargs from 'yargs';
import { reportCommand, runReport } from '../cli/commands/report';
import { UserError } from '../models/config';
import { headlineTables, readReportInputs, reportPlots, tableText, type Plot } from '../report';
import { COLUMNS, coreCells } from '../report/plots/core-map';
import { findings } from '../report/findings';
import { layerLabel } from '../report/schema';
import { si } from '../format/si';
import { denseBaseline } from '../simulator/baseline';
import { loadBaseline } from '../targets/baseline-schema';
import { fixtureConfig } from './fixtures/model';
import { useTempDir } from './fixtures/tmp';

const tmp = useTempDir('neuromap-report-');
const file = (name: string) => path.join(tmp(), name);
const write = (name: string, value: unknown) => {
  fs.writeFileSync(file(name), typeof value === 'string' ? value : JSON.stringify(value));
  return file(name);
};

function evalResult(model = 'p85.egru') {
  const proj = (name: string, dense: number, la: number, lw: number) => ({
    name, dense, effective: dense * la * lw * 1.05, lambda_activity: la, lambda_weight: lw, lambda_product: la * lw, reduction: 1 / (la * lw * 1.05),
  });
  const by_projection = [proj('layer0.input', 600, 1, 0.2), proj('layer0.recurrent', 400, 0.25, 0.2), proj('decoder', 200, 0.3, 0.5)];
  const dense = by_projection.reduce((a, p) => a + p.dense, 0), effective = by_projection.reduce((a, p) => a + p.effective, 0);
  return {
    model, tokens: 100, perplexity: 123.456, mean_activity: 0.25,
    layers: [{ layer: 0, units: 20, events: 500, activity: 0.25 }],
    macs: {
      dense_per_token: dense, effective_per_token: effective, reduction: dense / effective, lambda_activity: 0.6, lambda_weight: 0.25, lambda_product: 0.15,
      by_projection, by_layer: [{ name: 'layer0', dense: 1000, effective: 200, reduction: 5 }],
    },
  };
}

/** A simulation: 6 cores, four sharing router (0,0) of chip 0, one at (2,1), one on chip 1. */
function simResult(target: string, scale = 1) {
  const core = (core: number, chip: number, x: number, y: number, busy: number) => ({ core, chip, x, y, population: 'layer0', busy_s: busy * 1e-6, energy_j: 1e-9, events_in: 10, events_out: 5 });
  return {
    ...evalResult(), target, arithmetic: 'int8', schedule: 'sequential',
    energy_per_token_j: 6e-6 * scale,
    breakdown: { synaptic: 1e-6 * scale, neuron: 1e-6 * scale, network: 1e-6 * scale, sync: 1e-6 * scale, static: 1e-6 * scale, host: 1e-6 * scale },
    latency_per_token_s: 30e-6, latency_max_s: 40e-6, throughput_tokens_per_s: 33000, contention_per_token_s: 1e-6,
    imbalance: { max_busy_s: 80e-6, mean_busy_s: 40e-6, ratio: 2 },
    per_core: [core(3, 0, 0, 0, 10), core(0, 0, 0, 0, 80), core(1, 0, 0, 0, 40), core(2, 0, 0, 0, 20), core(4, 0, 2, 1, 30), core(128, 1, 0, 0, 60)],
    per_token: { log_prob: [-1, -2] },
  };
}

/** What `neuromap simulate M.egru --target NAME --json` writes: the dense baseline of a model, with its perplexity. */
function baselineResult(name: 'dense-cpu' | 'dense-gpu') {
  const b = denseBaseline(fixtureConfig({ vocabSize: 50, emb: 8, layers: [16, 16] }), loadBaseline(name));
  return { model: 'p85.egru', ...b, tokens: 100, perplexity: 120.5, effective_macs_per_token: 900 };
}

const sweepLines = [
  { point: { cell: 'egru', weight_decay: 0.01, sparsity: 0.5 }, perplexity: 140, macs: { dense_per_token: 1e6, effective_per_token: 1.2e5 } },
  { point: { cell: 'egru', weight_decay: 0.01, sparsity: 0.9 }, perplexity: 171, macs: { dense_per_token: 1e6, effective_per_token: 2.5e4 } },
  { cell: 'gru', sparsity: 0, perplexity: 130, effective_macs_per_token: 1e6 },
  { point: { cell: 'egru', sparsity: 0.95 }, error: 'does not fit' },
];
const jsonl = (lines: unknown[]) => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';

function allInputs(): string[] {
  return [write('eval.json', evalResult()), write('loihi2.json', simResult('loihi2')), write('spinnaker2.json', simResult('spinnaker2', 20)), write('sweep.jsonl', jsonl(sweepLines))];
}

const plotIds = (files: string[]) => reportPlots(readReportInputs(files)).map((p) => p.id);
const values = (p: Plot) => (p.spec as { data?: { values: Record<string, unknown>[] } }).data?.values ?? [];

/** An eval result whose layer of 4 units fired 0, 10, 50 and 100 times over its 100 tokens, with a raster of 2 tokens. */
function evalWithUnits() {
  return { ...evalResult(), layers: [{ layer: 0, units: 4, events: 160, activity: 0.4, unit_events: [0, 10, 50, 100], raster: [[2, 3], [1, 3]] }] };
}

type EnergySpec = { hconcat: { data: { values: Record<string, number | string>[] }; layer?: { encoding: { x: { scale?: { type: string } } } }[] }[] };
const energyPanels = (p: Plot) => (p.spec as unknown as EnergySpec).hconcat;

describe('report plots', () => {
  it('draws each plot only when its data is present', () => {
    expect(plotIds([write('e.json', evalResult())])).toEqual(['activity', 'macs']);
    expect(plotIds([write('e.json', evalWithUnits())])).toEqual(['activity', 'unit-activity', 'raster', 'macs']);
    expect(plotIds([write('s.json', simResult('loihi2'))])).toEqual(['energy', 'latency', 'cores', 'activity', 'macs']);
    expect(plotIds([write('w.jsonl', jsonl(sweepLines))])).toEqual(['sweep']);
    // Every simulation in one core map; the model plots from the evaluation alone.
    expect(plotIds(allInputs())).toEqual(['energy', 'latency', 'cores', 'activity', 'macs', 'sweep']);
    // The demo's report.json: a list of eval results.
    expect(plotIds([write('demo.json', { corpus: 'brown', models: [evalResult('unpruned'), evalResult('pruned')] })])).toEqual(['activity', 'macs']);
  });

  it('shows energy per token on a log axis, and each run’s breakdown as shares of its own total', () => {
    const energy = reportPlots(readReportInputs(allInputs())).find((p) => p.id === 'energy')!;
    const [totals, shares] = energyPanels(energy);
    expect(totals.data.values.map((v) => [v.run, v.joules, v.text])).toEqual([['loihi2 (int8)', 6e-6, '6.00 µJ'], ['spinnaker2 (int8)', 1.2e-4, '120 µJ']]);
    expect(totals.layer![0].encoding.x.scale!.type).toBe('log');
    const parts = shares.data.values as { run: string; component: string; share: number }[];
    expect(new Set(parts.map((p) => p.component))).toEqual(new Set(['synaptic', 'neuron', 'network', 'sync', 'static', 'host']));
    // Six equal parts: each a sixth of its run, whatever the run's total (1 µJ of 6, 20 µJ of 120).
    for (const p of parts) expect(p.share).toBeCloseTo(1 / 6, 12);
  });

  it('puts dense baselines next to the simulations: energy by their own components, latency, a headline row', () => {
    const cpu = baselineResult('dense-cpu'), gpu = baselineResult('dense-gpu');
    const files = [write('loihi2.json', simResult('loihi2')), write('cpu.json', cpu), write('gpu.json', gpu)];
    expect(plotIds(files)).toEqual(['energy', 'latency', 'cores', 'activity', 'macs']);
    expect(plotIds([write('cpu.json', cpu)])).toEqual(['energy', 'latency']);
    const inputs = readReportInputs(files);
    expect(inputs.runs.map((r) => [r.kind, r.label])).toEqual([
      ['simulate', 'loihi2 (int8)'], ['baseline', 'dense-cpu (baseline)'], ['baseline', 'dense-gpu (baseline)'],
    ]);
    const plots = reportPlots(inputs);
    const energy = plots.find((p) => p.id === 'energy')!;
    const [totals, shares] = energyPanels(energy);
    const parts = shares.data.values as { run: string; component: string; share: number }[];
    for (const b of [cpu, gpu]) {
      const run = `${b.baseline} (baseline)`;
      expect(parts.filter((p) => p.run === run).map((p) => p.component)).toEqual(['compute', 'memory', 'static']);
      expect(parts.find((p) => p.run === run && p.component === 'compute')!.share).toBeCloseTo(b.breakdown.compute / b.energy_per_token_j, 12);
      expect(totals.data.values.find((v) => v.run === run)!.joules).toBe(b.energy_per_token_j);
    }
    expect(JSON.stringify(energy.spec)).toContain('"domain":["synaptic","neuron","network","sync","static","host","compute","memory"]');
    expect(energy.caption).toMatch(/for a dense baseline/);
    const latency = values(plots.find((p) => p.id === 'latency')!) as { run: string; measure: string; seconds: number }[];
    expect(latency.filter((r) => r.run === 'dense-gpu (baseline)')).toEqual([
      expect.objectContaining({ measure: 'latency per token (mean)', seconds: gpu.latency_per_token_s }),
    ]);
    // The activity and MAC plots are the model's: a baseline adds nothing there.
    expect(JSON.stringify(plots.find((p) => p.id === 'macs')!.spec)).not.toContain('(baseline)');
    const text = tableText(headlineTables(inputs)[0]);
    const macs = cpu.dense_macs_per_token.toLocaleString('en-US');
    expect(text).toMatch(new RegExp(`dense-cpu \\(baseline\\)\\s+dense baseline\\s+120\\.50 \\(100\\)\\s+–\\s+${macs}\\s+1\\.0×\\s+[\\d.]+ [mµn]J\\s+[\\d.]+ [mµn]?s`));
  });

  it('shows a quantised run’s perplexity next to its fp32 model’s', () => {
    const q = write('q.json', { ...simResult('loihi2'), quantisation: { reference: 'm.egru', arithmetic: 'int8', fp32_perplexity: 119.25, perplexity: 120.5, ratio: 1.01 } });
    const text = tableText(headlineTables(readReportInputs([q, write('s.json', simResult('spinnaker2'))]))[0]);
    expect(text).toMatch(/loihi2 \(int8\)\s+simulate\s+[\d.]+, fp32 119\.25 \(100\)/);
    expect(text).not.toMatch(/spinnaker2.*fp32 \d/);
  });

  it('reads the dense baselines the demo’s report.json lists', () => {
    const { tokens: _t, perplexity: _p, model: _m, ...bare } = baselineResult('dense-cpu');
    const runs = readReportInputs([write('demo.json', { models: [evalResult('pruned')], baselines: [bare] })]).runs;
    expect(runs.map((r) => r.kind)).toEqual(['eval', 'baseline']);
    expect(tableText(headlineTables({ files: [], runs, sweeps: [] })[0])).toMatch(/dense-cpu \(baseline\)\s+dense baseline\s+–\s+–\s+[\d,]+\s+1\.0×/);
  });

  it('maps every run’s cores per token on one scale, grouped by layer, in rows of COLUMNS', () => {
    // loihi2: 6 cores of layer0 over 100 tokens, busy 10–80 µs over the run: 0.1–0.8 µs per token. spinnaker2: 45 cores,
    // 40 of layer0 and 5 of layer1, busy 200 µs each over the run: 2 µs per token, the scale's largest value, so µs.
    const many = { ...simResult('spinnaker2'), per_core: Array.from({ length: 45 }, (_, i) => ({ ...simResult('x').per_core[0], core: i, population: i < 40 ? 'layer0' : 'layer1', busy_s: 200e-6 })) };
    const sims = readReportInputs([write('l.json', simResult('loihi2')), write('s.json', many)]).runs.filter((r) => r.kind === 'simulate');
    const { cells, panels, unit } = coreCells(sims as never);
    expect(unit).toBe('µs');
    expect(panels).toEqual(['loihi2 (int8) · layer0 (6 cores)', 'spinnaker2 (int8) · layer0 (40 cores)', 'spinnaker2 (int8) · layer1 (5 cores)']);
    const loihi = cells.filter((c) => c.panel.startsWith('loihi2'));
    expect(loihi.map((c) => [c.core, c.busy])).toEqual([[0, 0.8], [1, 0.4], [2, 0.2], [3, 0.1], [4, 0.3], [128, 0.6]].map(([c, b]) => [c, expect.closeTo(b, 12)]));
    expect(COLUMNS).toBe(40);
    const layer0 = cells.filter((c) => c.panel.includes('layer0 (40'));
    expect(layer0.map((c) => c.row)).toEqual(Array(40).fill(0));
    expect(cells.filter((c) => c.panel.includes('layer1')).map((c) => [c.column, c.row, c.busy])).toEqual([0, 1, 2, 3, 4].map((k) => [k, 0, expect.closeTo(2, 12)]));
  });

  it('histograms each unit’s activity and keeps the raster of the first tokens', () => {
    const plots = reportPlots(readReportInputs([write('e.json', evalWithUnits())]));
    // Units firing 0, 10, 50 and 100 times over 100 tokens: activities 0, 0.1, 0.5 and 1.
    expect(values(plots.find((p) => p.id === 'unit-activity')!).map((v) => v.activity)).toEqual([0, 0.1, 0.5, 1]);
    expect(values(plots.find((p) => p.id === 'raster')!).map((v) => [v.token, v.unit])).toEqual([[0, 2], [0, 3], [1, 1], [1, 3]]);
    expect(values(plots.find((p) => p.id === 'activity')!)[0].run).toBe('p85 (over 100 tokens)');
  });

  it('shows λ_activity, λ_weight, their product and the measured fraction per projection, once per model', () => {
    const macs = reportPlots(readReportInputs(allInputs())).find((p) => p.id === 'macs')!;
    const rows = values(macs) as { panel: string; projection: string; measure: string; fraction: number }[];
    // The evaluation's panel alone: the simulations of its model would repeat it.
    expect(new Set(rows.map((r) => r.panel))).toEqual(new Set(['p85']));
    // Without an evaluation, simulations of one model share a panel even when their MACs differ slightly (int8 and fp32 events).
    const q = { ...simResult('spinnaker2'), arithmetic: 'fp32', macs: { ...simResult('x').macs, effective_per_token: 170 } };
    const simOnly = reportPlots(readReportInputs([write('l.json', simResult('loihi2')), write('s.json', q)])).find((p) => p.id === 'macs')!;
    expect(new Set(values(simOnly).map((r) => r.panel))).toEqual(new Set(['loihi2 (int8), spinnaker2 (fp32)']));
    expect([...new Set(rows.map((r) => r.projection))]).toEqual(['layer0.input', 'layer0.recurrent', 'decoder', 'total']);
    const get = (projection: string, measure: string) => rows.find((r) => r.projection === projection && r.measure === measure)?.fraction;
    expect(get('layer0.recurrent', 'λ_activity')).toBe(0.25);
    expect(get('layer0.recurrent', 'λ_activity·λ_weight')).toBeCloseTo(0.05, 12);
    expect(get('layer0.recurrent', 'measured effective/dense')).toBeCloseTo(0.0525, 12);
  });

  it('plots sweep points by series, labelled by sparsity, leaving failed points out', () => {
    const sweep = reportPlots(readReportInputs([write('w.jsonl', jsonl(sweepLines))]))[0];
    expect(values(sweep)).toEqual([
      { series: 'egru wd 0.01', label: '50%', perplexity: 140, macs: 1.2e5 },
      { series: 'egru wd 0.01', label: '90%', perplexity: 171, macs: 2.5e4 },
      { series: 'gru', label: '0%', perplexity: 130, macs: 1e6 },
    ]);
    expect(sweep.caption).toMatch(/3 sweep points \(1 failed point left out\)/);
  });

  it('gives runs distinct labels', () => {
    const runs = readReportInputs([write('a.json', simResult('loihi2')), write('b.json', simResult('loihi2'))]).runs;
    expect(runs.map((r) => r.label)).toEqual(['loihi2 (int8) · a.json', 'loihi2 (int8) · b.json']);
  });
});

describe('findings', () => {
  it('says each comparison in one sentence, computed, with its token counts', () => {
    const cpu = baselineResult('dense-cpu');
    const sentences = findings(readReportInputs([...allInputs(), write('cpu.json', cpu)]));
    // p85: dense 600 + 400 + 200 = 1,200 MACs; effective 1.05 × (600·0.2 + 400·0.05 + 200·0.15) = 178.5: 6.72× fewer.
    expect(sentences).toContain('p85: 6.72× fewer effective MACs per token than dense, at perplexity 123.5 over 100 tokens.');
    // This tiny model's dense CPU baseline is cheaper than loihi2's 6 µJ: "N× more", N = 6 µJ / its energy, three digits.
    const times = Number((6e-6 / cpu.energy_per_token_j).toPrecision(3));
    expect(sentences).toContain(`loihi2 (int8): ${times}× more energy per token than dense-cpu, dense (6.00 µJ against ${si(cpu.energy_per_token_j, 'J')}).`);
    // 6 µJ against spinnaker2's 120 µJ: 20× less.
    expect(sentences).toContain('loihi2 (int8): 20× less energy per token than spinnaker2 (int8) (6.00 µJ against 120 µJ).');
    // Six equal parts of 1 µJ: the first, synaptic, is 17% of 6 µJ.
    expect(sentences).toContain('loihi2 (int8): 17% of its 6.00 µJ per token is synaptic operations (1.00 µJ).');
    // Core 0 busy 80 µs against a mean of 40 µs.
    expect(sentences).toContain('loihi2 (int8): the busiest core (core 0, layer0) is busy 2× the mean core\'s time (6 cores).');
  });

  it('compares pruned with unpruned, and layer with layer', () => {
    const unpruned = { ...evalResult('unpruned'), macs: { ...evalResult().macs, effective_per_token: 400 }, layers: [{ layer: 0, units: 20, events: 100, activity: 0.05 }, { layer: 1, units: 20, events: 250, activity: 0.125 }] };
    const sentences = findings(readReportInputs([write('demo.json', { models: [unpruned, evalResult('pruned')] })]));
    // 1,200 dense against 178.5 effective: 6.72×; 178.5 against 400: 2.24× fewer.
    expect(sentences).toContain('pruned: 6.72× fewer effective MACs per token than dense and 2.24× fewer than unpruned, at perplexity 123.5 over 100 tokens against perplexity 123.5 over 100 tokens.');
    // 12.5% against 5%: 2.5×.
    expect(sentences).toContain('unpruned: layer1 fires 2.5× as often as layer0 (12.5% against 5.0% of units per token, over 100 tokens).');
  });

  it('says when perplexities are over different token counts', () => {
    const short = { ...simResult('loihi2'), tokens: 20 };
    const t = headlineTables(readReportInputs([write('e.json', evalResult()), write('s.json', short)]))[0];
    expect(t.note).toBe("Each perplexity is over its own run's tokens (in brackets, 20, 100): compare perplexities over the same tokens only.");
    expect(headlineTables(readReportInputs([write('e.json', evalResult())]))[0].note).toBeUndefined();
  });
});

describe('report page', () => {
  it('writes one self-contained HTML page with one SVG per plot and the terminal’s headline numbers, and PNGs', async () => {
    const files = allInputs();
    const out = file('report.html');
    const text = await runReport({ files, out, png: file('png') });
    const html = fs.readFileSync(out, 'utf8');
    const ids = plotIds(files);
    expect(html.match(/<svg\b/g)).toHaveLength(ids.length);
    for (const id of ids) expect(html).toContain(`data-plot="${id}"`);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script|<link|<img|@import|\bsrc=/i);
    const elementIds = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(elementIds).size).toBe(elementIds.length);
    // The page's table cells are the terminal's.
    const tables = headlineTables(readReportInputs(files));
    expect(text).toContain(tables.map(tableText).join('\n\n'));
    for (const row of tables[0].rows) for (const cell of row) expect(html).toContain(`>${cell.replace(/&/g, '&amp;')}</td>`);
    expect(text).toMatch(/spinnaker2 \(int8\)\s+simulate\s+123\.46 \(100\)\s+25\.0%\s+179\s+6\.7×\s+120 µJ\s+30\.0 µs\s+33,000\s+6\s+2\.00/);
    for (const f of findings(readReportInputs(files))) expect(html).toContain(`<li>${f.replace(/'/g, '&#39;')}</li>`);
    expect(html).toContain('neuromap 0.1.0');
    expect(text).toMatch(/Sweep points[\s\S]*egru wd 0\.01\s+90%\s+171\.00\s+25,000/);
    expect(text).toMatch(/wrote .*report\.html \(6 plots; PNGs in/);
    const pngs = fs.readdirSync(file('png')).sort();
    expect(pngs).toEqual(ids.map((id) => `${id}.png`).sort());
    expect(fs.readFileSync(path.join(file('png'), 'energy.png')).subarray(1, 4).toString()).toBe('PNG');
    expect(text).not.toMatch(/warning/); // nothing from vega-lite or vega
    expect(fs.readdirSync(tmp()).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('is a command with help and examples', async () => {
    const out: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
    try {
      await yargs(['report', write('e.json', evalResult()), '--out', file('cli.html')]).command(reportCommand).strict().parseAsync();
    } finally {
      spy.mockRestore();
    }
    expect(out.join('')).toMatch(/p85\s+eval\s+123\.46 \(100\)/);
    const help = await new Promise<string>((resolve) =>
      yargs().command(reportCommand).exitProcess(false).parse(['report', '--help'], {}, (_err, _argv, output) => resolve(output)),
    );
    expect(help).toMatch(/--png/);
    expect(help).toMatch(/Examples:/);
    // An eval result alone gives its two plots.
    expect(fs.readFileSync(file('cli.html'), 'utf8').match(/<svg\b/g)).toHaveLength(2);
  });
});

describe('report errors', () => {
  const fails = (files: string[], re: RegExp) => {
    const f = () => readReportInputs(files);
    expect(f).toThrow(UserError);
    expect(f).toThrow(re);
    try {
      f();
    } catch (err) {
      expect((err as Error).message).not.toContain('\n');
    }
  };

  it('names the file and the bad field', () => {
    const bad = simResult('loihi2') as Record<string, unknown>;
    (bad.per_core as Record<string, unknown>[])[1].busy_s = 'slow';
    fails([write('bad-sim.json', bad)], /bad-sim\.json: per_core\[1\]\.busy_s: .*expected number/);
    const noBreakdown = { ...simResult('loihi2'), breakdown: undefined };
    fails([write('nb.json', noBreakdown)], /nb\.json: breakdown: /);
    const evalBad = { ...evalResult(), macs: { ...evalResult().macs, by_projection: [{ name: 'x', dense: -1, effective: 0 }] } };
    fails([write('e.json', evalBad)], /e\.json: macs\.by_projection\[0\]\.dense: /);
    fails([write('demo.json', { models: [evalResult(), { tokens: 3 }] })], /demo\.json: models\[1\]\.perplexity: /);
  });

  it('refuses foreign, non-JSON, missing and empty inputs', () => {
    fails([write('pkg.json', { name: 'x', version: '1' })], /pkg\.json is not a neuromap result \(it has none of macs, layers, energy_per_token_j, per_core\)/);
    fails([write('list.json', [1, 2])], /list\.json is not a neuromap result \(it is not a JSON object\)/);
    fails([write('t.json', 'hello')], /t\.json is not JSON/);
    fails([file('missing.json')], /cannot read result file .*missing\.json: no such file or directory/);
    fails([write('gpu.json', { model: 'm.egru', baseline: 'dense-gpu', energy_per_token_j: 1e-3 })], /gpu\.json: dense_macs_per_token: .*expected number/);
    const { breakdown: _b, ...noBreakdown } = baselineResult('dense-cpu');
    fails([write('demo.json', { models: [evalResult()], baselines: [noBreakdown] })], /demo\.json: baselines\[0\]\.breakdown: /);
    fails([], /name at least one result file/);
  });

  it('points at the bad line of a sweep', () => {
    fails([write('w.jsonl', jsonl([sweepLines[0], { point: {}, perplexity: 3 }]))], /w\.jsonl line 2: macs\.effective_per_token: missing/);
    fails([write('w.jsonl', `${JSON.stringify(sweepLines[0])}\n{oops\n`)], /w\.jsonl line 2 is not JSON/);
    fails([write('w.jsonl', jsonl([sweepLines[3]]))], /w\.jsonl holds no finished sweep points \(1 failed\)/);
  });

  it('refuses an --out that is not an HTML file or cannot be written, leaving nothing behind', async () => {
    await expect(runReport({ files: [write('e.json', evalResult())], out: file('r.txt') })).rejects.toThrow(/--out .*r\.txt: name an \.html file/);
    await expect(runReport({ files: [write('e.json', evalResult())], out: file('no/such/dir/r.html') })).rejects.toThrow(/cannot write .*r\.html: its folder .*dir does not exist/);
    expect(fs.readdirSync(tmp()).sort()).toEqual(['e.json']);
  });
});

describe('layerLabel', () => {
  it("is a layer's own name, or layerN for files written before layers were named", () => {
    expect(layerLabel({ layer: 2, name: 'projection' })).toBe('projection');
    expect(layerLabel({ layer: 2 })).toBe('layer2');
  });
});
