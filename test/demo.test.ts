/**
 * `neuromap demo`, the README's first command, end to end: from the shipped models (evaluate, compile for loihi2,
 * spinnaker2 and loihi, simulate a few tokens, baselines, report), and with --train at a small size (train, prune,
 * then the same). The embedded corpus loads for real (a few seconds); training is a handful of steps. It runs the
 * real binary in a child process, as the README's quick start does.
 */
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { loadModel } from '../models/file';
import { prunableSparsity } from '../models/prune';
import { useTempDir } from './fixtures/tmp';

const tmp = useTempDir();

describe('neuromap demo', () => {
  it('starts from the shipped models and maps the pruned one onto three chips (and refuses a fourth too small)', () => {
    const out = path.join(tmp(), 'shipped');
    const targets = ['--targets', 'loihi2,spinnaker2,loihi,tiny'];
    const run = spawnSync(process.execPath, ['bin/neuromap.js', 'demo', '--out-dir', out, '--eval-tokens', '60', '--sim-tokens', '3', ...targets], {
      cwd: path.join(__dirname, '..'), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' },
    });
    if (run.status !== 0) throw new Error(`demo failed (status ${run.status}):\n${run.stderr}`);
    const files = fs.readdirSync(out);
    // Nothing trained or pruned: no model files of its own.
    expect(files.filter((f) => f.endsWith('.egru'))).toEqual([]);
    for (const f of ['loihi2.nmap', 'spinnaker2.nmap', 'loihi.nmap', 'loihi2.json', 'report.json', 'report.html']) expect(files).toContain(f);
    expect(files).not.toContain('tiny.nmap');
    const report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
    expect(report.models.map((m: { file: string }) => m.file)).toEqual(['pretrained:brown-egru', 'pretrained:brown-egru-p80']);
    // Loihi carries binary spikes only: at its 8 bit planes one first-layer unit of the 80% model needs 4,320 input
    // axons, a core has 4,096; 7 planes (3,780) fit.
    expect(report.targets.map((t: { target: string; planes: number }) => [t.target, t.planes])).toEqual([['loihi2', 1], ['spinnaker2', 1], ['loihi', 7]]);
    expect(run.stdout).toMatch(/^loihi \(int8, 7 bit planes\) /m);
    // The invented test target's 1 KiB cores hold no unit of this model: the demo says so and goes on.
    expect(report.refused).toEqual([{ target: 'tiny', reason: expect.stringMatching(/does not fit tiny: layer0 unit \d+ alone needs [\d,]+ bytes of core memory/) }]);
    expect(run.stdout).toMatch(/tiny: not simulated, the pruned model does not fit tiny/);
    expect(run.stdout).toMatch(/the shipped models pretrained:brown-egru and pretrained:brown-egru-p80/);
    // The answer at a glance: per target, how many times less (or more) energy than each dense baseline.
    const [cpu, gpu] = report.baselines as { energy_per_token_j: number }[];
    const times = (a: number, b: number) => (a < b ? `${Number((b / a).toPrecision(3))}× less` : `${Number((a / b).toPrecision(3))}× more`);
    for (const t of report.targets as { target: string; energy_per_token_j: number }[])
      expect(run.stdout).toContain(`${t.target} spends ${times(t.energy_per_token_j, cpu.energy_per_token_j)} energy per token than dense-cpu, ${times(t.energy_per_token_j, gpu.energy_per_token_j)} than dense-gpu`);
    expect(run.stdout).toMatch(/decoder on the host CPU/);
    // Each table's perplexity says over how many tokens: 60 evaluated per model, 3 simulated per target.
    expect(run.stdout).toMatch(/ test ppl \(60 tokens\) /);
    expect(run.stdout).toMatch(/ perplexity \(3 tokens\)\n/);
  }, 300_000);

  it('runs the whole pipeline at a small size with --train and writes the report folder', () => {
    const out = path.join(tmp(), 'run');
    const run = spawnSync(process.execPath, ['bin/neuromap.js', 'demo', '--train', '--targets', 'loihi2,spinnaker2', '--out-dir', out, '--tokens', '2500', '--eval-tokens', '150', '--sim-tokens', '6'], {
      cwd: path.join(__dirname, '..'), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' },
    });
    if (run.status !== 0) throw new Error(`demo failed (status ${run.status}):\n${run.stderr}`);
    const files = fs.readdirSync(out);
    for (const f of ['model.egru', 'model-p80.egru', 'loihi2.nmap', 'spinnaker2.nmap', 'loihi2.trace.json', 'spinnaker2.json', 'report.json', 'report.html'])
      expect(files).toContain(f);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const pruned = loadModel(path.join(out, 'model-p80.egru'));
    expect(prunableSparsity(pruned.config, pruned.params)).toBeGreaterThan(0.79);

    const report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
    expect(report.models).toHaveLength(2);
    expect(report.targets.map((t: { target: string }) => t.target)).toEqual(['loihi2', 'spinnaker2']);
    for (const t of report.targets) {
      expect(t.tokens).toBe(6);
      expect(Number.isFinite(t.perplexity)).toBe(true);
      const parts = Object.values(t.breakdown as Record<string, number>).reduce((a, b) => a + b, 0);
      expect(parts).toBeCloseTo(t.energy_per_token_j, 15);
      expect(t.energy_per_token_j).toBeGreaterThan(0);
    }
    // loihi2 runs int8: its perplexity is shown next to the fp32 model's on the same tokens.
    expect(report.targets[0].quantisation).toMatchObject({ arithmetic: 'int8' });
    expect(report.targets[1].quantisation).toBeNull();
    expect(report.baselines.map((b: { baseline: string }) => b.baseline)).toEqual(['dense-cpu', 'dense-gpu']);
    expect(fs.readFileSync(path.join(out, 'report.html'), 'utf8')).toMatch(/<svg/);

    const table = run.stdout;
    expect(table).toMatch(/loihi2 \(int8\)/);
    expect(table).toMatch(/spinnaker2 \(fp32\)/);
    expect(table).toMatch(/\(fp32 \d+\.\d\)/);
    expect(table).toMatch(/dense-gpu/);
  }, 300_000);
});
