/**
 * `neuromap sweep` on a tiny generated corpus and tiny models: one line per point with the expected fields,
 * cached trained models shared by pruning levels, resume (finished points skipped, a truncated last line
 * redone without retraining), 1 worker = 2 workers, interrupted training and pruning resumed from their
 * checkpoints, and clear errors for bad configs.
 */
import fs from 'fs';
import path from 'path';
import { Writable } from 'stream';
import yargs from 'yargs';
import { UserError } from '../models/config';
import { loadCorpus } from '../models/data';
import { Rng } from '../models/rng';
import { sweepCommand } from '../cli/commands/sweep';
import { parseSweepConfig } from '../sweep/config';
import { expandGrid, pointLabel } from '../sweep/grid';
import type { ResultLine } from '../sweep/line';
import { readReportInputs } from '../report/inputs';
import { sweepRows } from '../report/plots/sweep';
import { readResults } from '../sweep/results';
import { parseCsv } from './helpers/csv';
import { StoppedError } from '../models/train';
import { runPoint } from '../sweep/point';
import { runSweep } from '../sweep/run';
import { trainedModel } from '../sweep/train-cached';
// The worker's entry is loaded by path, so it is imported here for the type-check only.
import type { serve } from '../sweep/worker-main';

type Serve = typeof serve;
void (null as unknown as Serve);

let root = '';
let data = '';

function writeCorpus(dir: string): void {
  const rng = new Rng(7);
  const word = () => `w${Math.floor(40 * Math.pow(rng.next(), 2))}`;
  const sentence = () => ['the', ...Array.from({ length: 3 + rng.int(6) }, (_, i) => (i % 3 === 2 ? 'and' : word()))].join(' ');
  fs.mkdirSync(dir, { recursive: true });
  for (const [split, n] of [['train', 120], ['valid', 20], ['test', 20]] as const)
    fs.writeFileSync(path.join(dir, `${split}.txt`), Array.from({ length: n }, sentence).join('\n') + '\n');
}

const BASE = {
  'vocab-size': 50, seed: 3,
  model: { emb: 8, layers: [8, 8], 'threshold-init': 0.1 },
  train: { 'train-tokens': 400, batch: 4, bptt: 10, 'valid-tokens': 100 },
  prune: { steps: 1, 'finetune-tokens': 80 },
  eval: { tokens: 100 },
  simulate: { tokens: 4, targets: [] as string[] },
  grid: [
    { cell: ['egru'], 'weight-decay': [0.01, 0.1], sparsity: [0, 0.5], targets: ['tiny'] },
    { cell: ['gru'], sparsity: [0, 0.5] },
  ],
};

function writeConfig(name: string, config: object): string {
  const file = path.join(root, name);
  fs.writeFileSync(file, JSON.stringify({ data, ...config }));
  return file;
}

const quiet = () => new Writable({ write: (_c, _e, cb) => cb() });
const lines = (dir: string): ResultLine[] => readResults(path.join(dir, 'results.jsonl')).lines;
/** Everything but `run` (worker, timings, trained here or reused) is deterministic. */
const stable = (ls: ResultLine[]) => ls.map(({ run: _run, ...rest }) => rest).sort((a, b) => (a.key < b.key ? -1 : 1));

beforeAll(() => {
  root = fs.mkdtempSync(path.join(require('os').tmpdir(), 'neuromap-sweep-'));
  data = path.join(root, 'corpus');
  writeCorpus(data);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('neuromap sweep', () => {
  const config = () => writeConfig('sweep.json', BASE);
  const one = () => path.join(root, 'one');
  /** The sweep of config() into one(): run by the first test, and again by the tests that re-run it. */
  const sweepOne = (workers = 1) => runSweep({ config: config(), out: one(), workers, stream: quiet() });
  /**
   * The first test's sweep, for the four tests that read one()'s results.jsonl: run only when one() has none, i.e.
   * when the first test has not run. A test run alone (`jest -t`, or Stryker, which runs only the tests covering a
   * mutant) must pass or fail as it does in the block. The --csv test needs none: its command sweeps into one().
   */
  const swept = async (): Promise<void> => {
    if (!fs.existsSync(path.join(one(), 'results.jsonl'))) await sweepOne();
  };

  it('appends one line per point with the expected fields; pruning levels share one trained model', async () => {
    const s = await sweepOne();
    expect(s).toMatchObject({ total: 6, alreadyDone: 0, finished: 6, failed: [], stopped: false });
    const ls = lines(one());
    expect(ls).toHaveLength(6);
    expect(new Set(ls.map((l) => l.key)).size).toBe(6);
    for (const l of ls) {
      expect(l.eval.tokens).toBe(100);
      expect(l.eval.perplexity).toBeGreaterThan(1);
      expect(l.eval.activity).toHaveLength(2);
      expect(l.eval.macs.effective_per_token).toBeGreaterThan(0);
      expect(l.model.sparsity).toBeCloseTo(l.point.sparsity, 2);
      expect(l.seed.config).toBe(3);
      expect(fs.existsSync(path.join(one(), l.model.file))).toBe(true);
      expect(l.targets.map((t) => t.target)).toEqual(l.point.cell === 'egru' ? ['tiny'] : []);
      for (const t of l.targets) {
        expect(t.error).toBeUndefined();
        expect(t.energy_per_token_j).toBeGreaterThan(0);
        expect(t.tokens).toBe(4);
        expect(t.decoder).toBe('host'); // the commands' default (pipeline/chip-runs.ts DEFAULT_DECODER), as compile and demo
      }
      expect(l.baselines.length > 0).toBe(l.targets.length > 0);
    }
    // Three training keys (egru × 2 weight decays, gru): each trained once, by its first point, and cached.
    const byTrainKey = new Map<string, ResultLine[]>();
    for (const l of ls) byTrainKey.set(l.train_key, [...(byTrainKey.get(l.train_key) ?? []), l]);
    expect(byTrainKey.size).toBe(3);
    for (const group of byTrainKey.values()) {
      expect(group.filter((l) => l.run.trained_here)).toHaveLength(1);
      expect(new Set(group.map((l) => l.model.trained)).size).toBe(1);
      expect(new Set(group.map((l) => l.seed.train)).size).toBe(1);
    }
    const models = fs.readdirSync(path.join(one(), 'models'));
    expect(models.sort()).toEqual([...byTrainKey.keys()].map((k) => `${k}.egru`).sort());
  });

  it('its results.jsonl is what `neuromap report` plots: perplexity against effective MACs per point', async () => {
    await swept();
    const inputs = readReportInputs([path.join(one(), 'results.jsonl')]);
    expect(inputs.sweeps).toHaveLength(1);
    const rows = sweepRows(inputs.sweeps[0]);
    const ls = lines(one());
    expect(rows).toHaveLength(ls.length);
    for (const l of ls) {
      const row = rows.find((r) => r.perplexity === l.eval.perplexity && r.macs === l.eval.macs.effective_per_token);
      expect(row).toBeDefined();
      expect(row!.series).toContain(l.point.cell);
    }
  });

  it('a re-run skips finished points and retrains nothing', async () => {
    await swept();
    const results = path.join(one(), 'results.jsonl');
    const before = fs.readFileSync(results, 'utf8');
    const mtimes = fs.readdirSync(path.join(one(), 'models')).map((f) => fs.statSync(path.join(one(), 'models', f)).mtimeMs);
    const s = await sweepOne(2);
    expect(s).toMatchObject({ total: 6, alreadyDone: 6, finished: 0 });
    expect(fs.readFileSync(results, 'utf8')).toBe(before);
    expect(fs.readdirSync(path.join(one(), 'models')).map((f) => fs.statSync(path.join(one(), 'models', f)).mtimeMs)).toEqual(mtimes);
  });

  it('--csv writes one row per point, each value as its results.jsonl line has it', async () => {
    const csv = path.join(one(), 'results.csv');
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await yargs(['sweep', config(), '--out-dir', one(), '--csv', csv]).command(sweepCommand).fail((msg, e) => { throw e ?? new UserError(msg); }).parseAsync();
      expect(String(out.mock.calls.at(-1)?.[0])).toMatch(/all 6 points done: .*; 6 rows in .*results\.csv/);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    const rows = parseCsv(fs.readFileSync(csv, 'utf8'));
    const ls = lines(one());
    expect(rows.map((r) => r.key)).toEqual(ls.map((l) => l.key));
    ls.forEach((l, i) => {
      const r = rows[i];
      expect(r['point.cell']).toBe(l.point.cell);
      expect(Number(r['point.sparsity'])).toBe(l.point.sparsity);
      expect(Number(r['eval.perplexity'])).toBe(l.eval.perplexity);
      expect(Number(r['eval.activity.1'])).toBe(l.eval.activity[1]);
      expect(Number(r['eval.macs.effective_per_token'])).toBe(l.eval.macs.effective_per_token);
      // Targets and baselines by name; a GRU point has none, so its cells are empty.
      const tiny = l.targets.find((t) => t.target === 'tiny');
      expect(r['targets.tiny.energy_per_token_j']).toBe(tiny ? String(tiny.energy_per_token_j) : '');
      for (const b of l.baselines) expect(Number(r[`baselines.${b.baseline}.energy_per_token_j`])).toBe(b.energy_per_token_j);
    });
    expect(Object.keys(rows[0]).some((c) => c.startsWith('run.') || c.startsWith('model.pruning'))).toBe(false);
  });

  it('drops a truncated last line and redoes that point from the cached model', async () => {
    await swept();
    const results = path.join(one(), 'results.jsonl');
    const before = lines(one());
    const text = fs.readFileSync(results, 'utf8');
    const lastStart = text.lastIndexOf('\n', text.length - 2) + 1;
    fs.writeFileSync(results, text.slice(0, lastStart + Math.floor((text.length - lastStart) / 2)));
    expect(readResults(results).lines).toHaveLength(5);
    const s = await sweepOne();
    expect(s).toMatchObject({ alreadyDone: 5, finished: 1 });
    const after = lines(one());
    expect(after).toHaveLength(6);
    expect(fs.readFileSync(results, 'utf8').split('\n').filter(Boolean).every((l) => JSON.parse(l))).toBe(true);
    const redone = after[5];
    expect(redone.key).toBe(before[5].key);
    expect(redone.run.trained_here).toBe(false);
    expect(stable(after)).toEqual(stable(before));
  });

  it('gives the same lines with 2 workers as with 1', async () => {
    await swept();
    const two = path.join(root, 'two');
    const s = await runSweep({ config: config(), out: two, workers: 2, stream: quiet() });
    expect(s).toMatchObject({ finished: 6, failed: [] });
    const ls = lines(two);
    expect(new Set(ls.map((l) => l.run.worker))).toEqual(new Set([1, 2]));
    expect(stable(ls)).toEqual(stable(lines(one())));
  });

  it('resumes interrupted training from the training key checkpoint exactly', () => {
    const point = expandGrid(parseSweepConfig(JSON.stringify({ ...BASE, data }), path.join(root, 'c.json')))[0];
    const corpus = loadCorpus({ data, vocabSize: 50 });
    const dir = (name: string) => path.join(root, name);
    let steps = 0;
    expect(() => trainedModel(dir('stopped'), point.trainKey, point.train, corpus, { shouldStop: () => ++steps > 4, progress: () => {} })).toThrow('stopped');
    expect(fs.existsSync(path.join(dir('stopped'), 'models', `${point.trainKey}.egru.ckpt`))).toBe(true);
    const resumed = trainedModel(dir('stopped'), point.trainKey, point.train, corpus, { shouldStop: () => false, progress: () => {} });
    const straight = trainedModel(dir('straight'), point.trainKey, point.train, corpus, { shouldStop: () => false, progress: () => {} });
    expect(fs.existsSync(path.join(dir('stopped'), 'models', `${point.trainKey}.egru.ckpt`))).toBe(false);
    expect(resumed.model.provenance.steps).toBe(straight.model.provenance.steps);
    for (const [name, t] of Object.entries(straight.model.params)) expect(resumed.model.params[name].data).toEqual(t.data);
  });

  it('a point stopped while pruning leaves a checkpoint and no pruned model, and resumes to the same line', () => {
    const cfg = { ...BASE, data, prune: { steps: 2, 'finetune-tokens': 200 }, grid: { 'weight-decay': [0.01], sparsity: [0.5] } };
    const point = expandGrid(parseSweepConfig(JSON.stringify(cfg), path.join(root, 'p.json')))[0];
    /** Asks to stop at the `stopAt`-th poll of the pruning phase (training polls too, and is not stopped). */
    const hooks = (stopAt: number) => {
      let phase = '';
      let polls = 0;
      return { worker: 1, phase: (p: string) => (phase = p), trained: () => {}, progress: () => {}, shouldStop: () => phase === 'prune' && ++polls > stopAt };
    };
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const stopped = path.join(root, 'prune-stopped');
      const files = () => ['model.egru', 'model.egru.ckpt'].map((f) => fs.existsSync(path.join(stopped, 'points', point.key, f)));
      // A round polls once before pruning and before each of its 5 fine-tuning steps: poll 9 stops round 2 after one step.
      let error: unknown;
      try {
        runPoint(point, stopped, hooks(8));
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(StoppedError);
      expect((error as Error).message).toBe('stopped in pruning round 2/2 at fine-tuning step 1');
      expect(files()).toEqual([false, true]);
      const resumed = runPoint(point, stopped, hooks(Infinity));
      expect(files()).toEqual([true, false]);
      const straight = runPoint(point, path.join(root, 'prune-straight'), hooks(Infinity));
      expect(resumed.model.pruning).toHaveLength(2);
      expect(stable([resumed])).toEqual(stable([straight]));
    } finally {
      stderr.mockRestore();
    }
  });
});

describe('sweep config errors', () => {
  const bad = (config: object) => () => expandGrid(parseSweepConfig(JSON.stringify(config), path.join(root, 'bad.json')));
  it.each([
    [{ grid: { sparsity: [0, 1.5] } }, /grid\.sparsity\.1: .*<1/],
    [{ train: { 'weight-decy': 0.1 } }, /Unrecognized key: "weight-decy"/],
    [{ grid: [{ cell: ['rnn'] }] }, /grid\.0\.cell\.0/],
    [{ model: { layers: [8, 0] } }, /model\.layers\.1/],
    [{ model: { tied: true, emb: 8, layers: [16] } }, /tied decoder/],
    [{ grid: [{ cell: ['gru'], 'activity-penalty': [0.1] }] }, /activity-penalty applies to egru only/],
    [{ grid: { 'weight-decay': [0.1, [0.1, 0.2, 0.3]] } }, /^sweep config, grid \(egru 256,256\): weight-decay has 3 values \(0\.1,0\.2,0\.3\) but the model has 2 recurrent layers: give one value for all, or 2/],
    [{ train: { 'weight-decay': [] } }, /train\.weight-decay/],
  ])('%j', (config, message) => {
    expect(bad(config)).toThrow(UserError);
    expect(bad(config)).toThrow(message);
  });

  it('takes a per-layer weight decay as an axis value: its own training key, label and training settings', () => {
    const points = expandGrid(parseSweepConfig(JSON.stringify({ ...BASE, grid: { 'weight-decay': [0.1, [0.1, 0.5], [0.1, 0.1]] } }), 'w.json'));
    expect(points.map((p) => p.axes.weight_decay)).toEqual([0.1, [0.1, 0.5], [0.1, 0.1]]);
    expect(points.map((p) => p.train.settings.weightDecay)).toEqual([0.1, [0.1, 0.5], [0.1, 0.1]]);
    expect(new Set(points.map((p) => p.trainKey)).size).toBe(3);
    expect(pointLabel(points[1])).toBe('egru 8×8 wd 0.1,0.5 p0%');
    // A one-value list is that value: the same point as the number.
    const one = expandGrid(parseSweepConfig(JSON.stringify({ ...BASE, grid: { 'weight-decay': [[0.1]] } }), 'w.json'));
    expect(one[0].key).toBe(points[0].key);
  });

  it('prune scope matrix: the same trained models, new keys for pruned points only; global keeps the keys it had', () => {
    const expand = (prune: object) => expandGrid(parseSweepConfig(JSON.stringify({ ...BASE, prune: { ...BASE.prune, ...prune } }), 's.json'));
    const plain = expand({}), global = expand({ scope: 'global' }), matrix = expand({ scope: 'matrix' });
    expect(global.map((p) => p.key)).toEqual(plain.map((p) => p.key));
    expect(matrix.map((p) => p.trainKey)).toEqual(plain.map((p) => p.trainKey));
    matrix.forEach((p, i) => {
      expect(p.key === plain[i].key).toBe(p.prune.sparsity === 0);
      expect(p.prune.scope).toBe('matrix');
      expect(p.axes.prune_scope).toBe(p.prune.sparsity > 0 ? 'matrix' : undefined);
    });
    expect(pointLabel(matrix[1])).toBe('egru 8×8 wd 0.01 p50% matrix');
    expect(() => expand({ scope: 'layer' })).toThrow(/scope/);
  });

  it('refuses files that are not YAML or JSON configs', () => {
    expect(() => parseSweepConfig('grid: [', 'x.yaml')).toThrow(/not valid YAML/);
    expect(() => parseSweepConfig('{}', 'x.toml')).toThrow(/expected a \.yaml, \.yml or \.json file/);
  });

  it('refuses a folder another live sweep holds, and takes over a stale lock', async () => {
    const out = path.join(root, 'locked');
    fs.mkdirSync(out, { recursive: true });
    const config = writeConfig('locked.json', { ...BASE, grid: { cell: ['gru'] } });
    fs.writeFileSync(path.join(out, 'sweep.lock'), `${process.ppid}\n`);
    await expect(runSweep({ config, out, workers: 1, stream: quiet() })).rejects.toThrow(/another sweep \(pid \d+\) is running/);
    fs.writeFileSync(path.join(out, 'sweep.lock'), '999999999\n');
    await expect(runSweep({ config, out, workers: 1, stream: quiet() })).resolves.toMatchObject({ finished: 1 });
    expect(fs.existsSync(path.join(out, 'sweep.lock'))).toBe(false);
  });

  it('names an unknown target and a missing config through the command', async () => {
    const run = (args: string[]) => yargs(args).command(sweepCommand).fail((msg, err) => { throw err ?? new UserError(msg); }).parseAsync();
    const unknown = writeConfig('unknown-target.json', { ...BASE, simulate: { tokens: 4, targets: ['no-such-chip'] }, grid: {} });
    await expect(run(['sweep', unknown, '--out', path.join(root, 'u')])).rejects.toThrow(/no-such-chip/);
    await expect(run(['sweep', path.join(root, 'missing.yaml'), '--out', path.join(root, 'u')])).rejects.toThrow(/cannot read sweep config .*no such file/);
  });
});
