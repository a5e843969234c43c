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
import { layout } from '../report/plots/core-map';
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

describe('report plots', () => {
  it('draws each plot only when its data is present', () => {
    expect(plotIds([write('e.json', evalResult())])).toEqual(['activity', 'macs']);
    expect(plotIds([write('s.json', simResult('loihi2'))])).toEqual(['energy', 'latency', 'cores-1', 'activity', 'macs']);
    expect(plotIds([write('w.jsonl', jsonl(sweepLines))])).toEqual(['sweep']);
    expect(plotIds(allInputs())).toEqual(['energy', 'latency', 'cores-1', 'cores-2', 'activity', 'macs', 'sweep']);
    // The demo's report.json: a list of eval results.
    expect(plotIds([write('demo.json', { corpus: 'brown', models: [evalResult('unpruned'), evalResult('pruned')] })])).toEqual(['activity', 'macs']);
  });

  it('stacks energy per token by component, in one SI unit', () => {
    const energy = reportPlots(readReportInputs(allInputs())).find((p) => p.id === 'energy')!;
    const layers = (energy.spec as { layer: { data: { values: { run: string; component: string; energy: number }[] } }[] }).layer;
    const parts = layers[0].data.values;
    expect(new Set(parts.map((p) => p.component))).toEqual(new Set(['synaptic', 'neuron', 'network', 'sync', 'static', 'host']));
    const sum = (run: string) => parts.filter((p) => p.run === run).reduce((a, p) => a + p.energy, 0);
    expect(sum('spinnaker2 (int8)')).toBeCloseTo(120, 9); // 120 µJ: the unit follows the largest total
    expect(sum('loihi2 (int8)')).toBeCloseTo(6, 9);
    expect(JSON.stringify(energy.spec)).toContain('energy per token (µJ)');
  });

  it('puts dense baselines next to the simulations: energy by their own components, latency, a headline row', () => {
    const cpu = baselineResult('dense-cpu'), gpu = baselineResult('dense-gpu');
    const files = [write('loihi2.json', simResult('loihi2')), write('cpu.json', cpu), write('gpu.json', gpu)];
    expect(plotIds(files)).toEqual(['energy', 'latency', 'cores-1', 'activity', 'macs']);
    expect(plotIds([write('cpu.json', cpu)])).toEqual(['energy', 'latency']);
    const inputs = readReportInputs(files);
    expect(inputs.runs.map((r) => [r.kind, r.label])).toEqual([
      ['simulate', 'loihi2 (int8)'], ['baseline', 'dense-cpu (baseline)'], ['baseline', 'dense-gpu (baseline)'],
    ]);
    const plots = reportPlots(inputs);
    const energy = plots.find((p) => p.id === 'energy')!;
    const parts = (energy.spec as { layer: { data: { values: { run: string; component: string; energy: number }[] } }[] }).layer[0].data.values;
    const sum = (run: string) => parts.filter((p) => p.run === run).reduce((a, p) => a + p.energy, 0);
    for (const b of [cpu, gpu]) {
      const run = `${b.baseline} (baseline)`;
      expect(parts.filter((p) => p.run === run).map((p) => p.component)).toEqual(['compute', 'memory', 'static']);
      // In the same unit as the simulation's 6 µJ.
      expect(sum(run) / sum('loihi2 (int8)')).toBeCloseTo(b.energy_per_token_j / 6e-6, 9);
    }
    expect(JSON.stringify(energy.spec)).toContain('"domain":["synaptic","neuron","network","sync","static","host","compute","memory"]');
    expect(energy.caption).toMatch(/Dense baselines/);
    const latency = values(plots.find((p) => p.id === 'latency')!) as { run: string; measure: string; seconds: number }[];
    expect(latency.filter((r) => r.run === 'dense-gpu (baseline)')).toEqual([
      expect.objectContaining({ measure: 'latency per token (mean)', seconds: gpu.latency_per_token_s }),
    ]);
    // The activity and MAC plots are the model's: a baseline adds nothing there.
    expect(JSON.stringify(plots.find((p) => p.id === 'macs')!.spec)).not.toContain('(baseline)');
    const text = tableText(headlineTables(inputs)[0]);
    const macs = cpu.dense_macs_per_token.toLocaleString('en-US');
    expect(text).toMatch(new RegExp(`dense-cpu \\(baseline\\)\\s+dense baseline\\s+100\\s+120\\.50\\s+–\\s+${macs}\\s+1\\.0×\\s+[\\d.]+ [mµn]J\\s+[\\d.]+ [mµn]?s`));
  });

  it('shows a quantised run’s perplexity next to its fp32 model’s', () => {
    const q = write('q.json', { ...simResult('loihi2'), quantisation: { reference: 'm.egru', arithmetic: 'int8', fp32_perplexity: 119.25, perplexity: 120.5, ratio: 1.01 } });
    const text = tableText(headlineTables(readReportInputs([q, write('s.json', simResult('spinnaker2'))]))[0]);
    expect(text).toMatch(/loihi2 \(int8\)\s+simulate\s+\d+\s+[\d.]+ \(fp32 119\.25\)/);
    expect(text).not.toMatch(/spinnaker2.*fp32 \d/);
  });

  it('reads the dense baselines the demo’s report.json lists', () => {
    const { tokens: _t, perplexity: _p, model: _m, ...bare } = baselineResult('dense-cpu');
    const runs = readReportInputs([write('demo.json', { models: [evalResult('pruned')], baselines: [bare] })]).runs;
    expect(runs.map((r) => r.kind)).toEqual(['eval', 'baseline']);
    expect(tableText(headlineTables({ files: [], runs, sweeps: [] })[0])).toMatch(/dense-cpu \(baseline\)\s+dense baseline\s+–\s+–\s+–/);
  });

  it('lays cores out on their chip’s mesh, cores of one router as sub-cells in core order', () => {
    const { cells, side, width, height, chips } = layout(simResult('t').per_core);
    expect({ side, width, height, chips }).toEqual({ side: 2, width: 3, height: 2, chips: 2 });
    const at = (core: number) => cells.find((c) => c.core === core)!;
    expect([0, 1, 2, 3].map((k) => [at(k).x0, at(k).y0])).toEqual([[0, 0], [1, 0], [0, 1], [1, 1]]);
    expect([at(4).x0, at(4).y0, at(4).chip]).toEqual([4, 2, 'chip 0']);
    expect(at(128).chip).toBe('chip 1');
    // Chip 0: 6 routers, 2 in use; chip 1: 6 routers, 1 in use: 9 empty routers drawn grey.
    expect(cells.filter((c) => c.kind === 'router')).toHaveLength(9);
  });

  it('shows λ_activity, λ_weight, their product and the measured fraction per projection, once per distinct MAC report', () => {
    const macs = reportPlots(readReportInputs(allInputs())).find((p) => p.id === 'macs')!;
    const rows = values(macs) as { panel: string; projection: string; measure: string; fraction: number }[];
    expect(new Set(rows.map((r) => r.panel))).toEqual(new Set(['p85, loihi2 (int8), spinnaker2 (int8)']));
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
    expect(text).toMatch(/spinnaker2 \(int8\)\s+simulate\s+100\s+123\.46\s+25\.0%\s+179\s+6\.7×\s+120 µJ\s+30\.0 µs\s+33,000\s+6\s+2\.00/);
    expect(text).toMatch(/Sweep points[\s\S]*egru wd 0\.01\s+90%\s+171\.00\s+25,000/);
    expect(text).toMatch(/wrote .*report\.html \(7 plots; PNGs in/);
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
    expect(out.join('')).toMatch(/p85\s+eval\s+100\s+123\.46/);
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
