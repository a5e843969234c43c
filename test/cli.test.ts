/**
 * The CLI end to end on a small generated Penn-Treebank-format corpus: train → prune → eval → inspect through
 * `node bin/neuromap.js`, the eval JSON contract, Ctrl-C during train and prune (a resumable checkpoint), and clear
 * one-line errors for bad flags and bad files.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { evaluate } from '../models/evaluate';
import { encode, loadCorpus, readPtbDir, vocabIndex } from '../models/data';
import { loadModel, saveModel } from '../models/file';
import { prunableNames } from '../models/params';
import { prunableSparsity } from '../models/prune';
import { Rng } from '../models/rng';
import { fixtureConfig, randomModel } from './fixtures/model';

const ROOT = path.join(__dirname, '..');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function neuromap(args: string[], cwd: string): Run {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'neuromap.js'), ...args], { cwd, encoding: 'utf8', timeout: 60000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function neuromapAsync(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'neuromap.js'), ...args], { cwd });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Runs neuromap and sends it SIGINT (Ctrl-C) as soon as its stderr matches `when`. */
function neuromapInterrupted(args: string[], cwd: string, when: RegExp): Promise<Run & { interrupted: boolean }> {
  return new Promise((resolve, reject) => {
    // Its progress lines say when to interrupt: on, although the suite runs with NEUROMAP_PROGRESS=off.
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'neuromap.js'), ...args], { cwd, env: { ...process.env, NEUROMAP_PROGRESS: 'on' } });
    let stdout = '', stderr = '', interrupted = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (!interrupted && when.test(stderr)) interrupted = child.kill('SIGINT');
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr, interrupted }));
  });
}

/**
 * A run stopped by Ctrl-C: exit status 2, one notice that it will stop, then at most the progress of the step that
 * was running when Ctrl-C came (on a loaded machine it ends after the notice), then one last `neuromap:` line
 * saying where it stopped.
 */
function expectStopped(r: Run & { interrupted: boolean }, reason: RegExp): void {
  expect(r.interrupted).toBe(true);
  expect(r.status).toBe(2);
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  expect(lines.filter((l) => l.startsWith('neuromap:'))).toHaveLength(1);
  const notice = lines.findIndex((l) => /^stopping after this step and writing a checkpoint/.test(l));
  expect(notice).toBeGreaterThanOrEqual(0);
  expect(lines.slice(notice + 1, -1).filter((l) => !/^(train|prune) .*step \d+/.test(l))).toEqual([]);
  expect(lines[lines.length - 1]).toMatch(reason);
  expect(r.stderr).not.toMatch(/\n\s+at .+[:(]\d+/);
}

function expectSuccess(r: Run): void {
  if (r.status !== 0) throw new Error(`exit ${r.status}\n${r.stderr}`);
}

/** A failed command: non-zero exit, the reason on one `neuromap:` line, no stack trace. */
function expectCleanError(r: Run, reason: RegExp): void {
  expect(r.status).not.toBe(0);
  expect(r.status).not.toBeNull();
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  const tagged = lines.filter((l) => l.startsWith('neuromap:'));
  expect(tagged).toHaveLength(1);
  expect(lines[0]).toMatch(/^neuromap: /);
  expect(lines[0]).toMatch(reason);
  expect(r.stderr).not.toMatch(/\n\s+at .+[:(]\d+/); // a stack frame
  expect(r.stderr).not.toMatch(/internal error/);
}

/**
 * Sentences from a small stochastic grammar over 300 word types with a Zipf-like choice of words, so the corpus
 * has more types than the 200-word vocabulary (some words become <unk>) and enough structure to learn from.
 */
function writeCorpus(dir: string): void {
  const rng = new Rng(12);
  const word = () => `w${Math.floor(300 * Math.pow(rng.next(), 2.5))}`;
  const sentence = () => {
    const n = 4 + rng.int(9);
    const words = ['the'];
    for (let i = 1; i < n; i++) words.push(i % 3 === 0 ? 'and' : word());
    return words.join(' ');
  };
  fs.mkdirSync(dir, { recursive: true });
  for (const [split, lines] of [['train', 500], ['valid', 40], ['test', 60]] as const) {
    fs.writeFileSync(path.join(dir, `${split}.txt`), Array.from({ length: lines }, sentence).join('\n') + '\n');
  }
}

describe('neuromap CLI', () => {
  let dir = '';
  let data = '';
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'neuromap-cli-'));
    data = path.join(dir, 'corpus');
    writeCorpus(data);
    // A valid model for the corpus (its vocabulary, its provenance), written in process for the error cases.
    const corpus = loadCorpus({ data, vocabSize: 50 });
    const model = randomModel(fixtureConfig({ vocabSize: 50, emb: 4, layers: [6] }), { seed: 2 });
    model.vocab = corpus.vocab;
    model.provenance.data = corpus.source;
    saveModel(path.join(dir, 'r.egru'), model);
    const bytes = fs.readFileSync(path.join(dir, 'r.egru'));
    fs.writeFileSync(path.join(dir, 'cut.egru'), bytes.subarray(0, Math.floor(bytes.length / 2)));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('train → prune → eval → inspect on a small slice', () => {
    const train = neuromap(
      ['train', '--data', data, '--out', 'm.egru', '--train-tokens', '1200', '--layers', '16,16', '--emb', '8', '--vocab-size', '200',
        '--batch', '4', '--bptt', '10', '--seed', '3', '--weight-decay', '0.01,0.05'],
      dir,
    );
    expectSuccess(train);
    expect(train.stdout).toMatch(/wrote m\.egru: validation perplexity [\d.]+, test perplexity [\d.]+/);
    expect(fs.existsSync(path.join(dir, 'm.egru'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'm.egru.ckpt'))).toBe(false);
    const m = loadModel(path.join(dir, 'm.egru'));
    expect(m.config).toMatchObject({ cell: 'egru', layers: [16, 16], emb: 8, vocabSize: 200, tied: false });
    expect(m.vocab).toHaveLength(200);
    expect(m.training).toBeUndefined();
    expect(m.provenance.seed).toBe(3);
    expect(m.provenance.steps).toBe(30); // ⌈1200 / (4·10)⌉
    expect(m.provenance.data).toBe(`ptb:${path.resolve(data)}`);
    expect(m.provenance.settings.weightDecay).toEqual([0.01, 0.05]);

    const prune = neuromap(['prune', 'm.egru', '--sparsity', '0.5', '--steps', '2', '--finetune-tokens', '200', '--out', 'p.egru'], dir);
    expectSuccess(prune);
    expect(prune.stdout).toMatch(/sparsity 50\.0%: validation perplexity/);
    const p = loadModel(path.join(dir, 'p.egru'));
    const total = prunableNames(p.config).reduce((a, n) => a + p.params[n].data.length, 0);
    let masked = 0;
    for (const mask of Object.values(p.masks)) for (const v of mask) if (v === 0) masked++;
    expect(masked).toBe(Math.round(0.5 * total));
    expect(Object.keys(p.masks).sort()).toEqual([...prunableNames(p.config)].sort());
    expect(prunableSparsity(p.config, p.params)).toBeGreaterThanOrEqual(0.5 - 1e-9);
    expect(p.metrics.sparsity).toBeCloseTo(prunableSparsity(p.config, p.params), 12);
    expect(p.params.embedding.data).not.toContain(0);
    expect(p.provenance.commands).toHaveLength(2);
    expect(p.provenance.settings.weightDecay).toEqual([0.01, 0.05]); // what fine-tuning used too

    const ev = neuromap(['eval', 'p.egru', '--data', data, '--eval-tokens', '300', '--json', 'e.json'], dir);
    expectSuccess(ev);
    const e = JSON.parse(fs.readFileSync(path.join(dir, 'e.json'), 'utf8'));
    expect(e.tokens).toBe(300);
    // Layers named as the simulator names them, in the table and the JSON.
    expect(ev.stdout).toMatch(/\nlayer0 +16 +[\d,]+ +[\d.]+%\n/);
    expect(e.layers.map((l: { name: string }) => l.name)).toEqual(['layer0', 'layer1']);
    expect(e.perplexity).toBeGreaterThan(1);
    expect(e.perplexity).toBeLessThan(200);
    expect(e.layers).toHaveLength(2);
    for (const layer of e.layers) {
      expect(layer.units).toBe(16);
      expect(Number.isInteger(layer.events)).toBe(true);
      expect(layer.activity).toBeCloseTo(layer.events / (layer.units * e.tokens), 12);
    }
    expect(e.macs.by_projection.map((q: { name: string }) => q.name)).toEqual(
      ['layer0.input', 'layer0.recurrent', 'layer1.input', 'layer1.recurrent', 'decoder'],
    );
    expect(e.macs.by_projection.map((q: { dense: number }) => q.dense)).toEqual([8 * 48, 16 * 48, 16 * 48, 16 * 48, 16 * 200]);
    expect(e.macs.dense_per_token).toBe(8 * 48 + 3 * 16 * 48 + 16 * 200);
    const sum = e.macs.by_projection.reduce((a: number, q: { effective: number }) => a + q.effective, 0);
    expect(e.macs.effective_per_token).toBeCloseTo(sum, 9);
    expect(e.macs.effective_per_token).toBeLessThan(0.5 * e.macs.dense_per_token);
    // The same numbers in process: the test split through the model's own vocabulary, batch 1.
    const ids = encode(readPtbDir(data).test, vocabIndex(p.vocab));
    const inProcess = evaluate(p.config, p.params, ids, { maxTokens: 300 });
    expect(e.perplexity).toBeCloseTo(inProcess.perplexity, 8);
    expect(e.macs.effective_per_token).toBeCloseTo(inProcess.macs.effective_per_token, 9);
    expect(e.layers.map((l: { events: number }) => l.events)).toEqual(inProcess.layers.map((l) => l.events));

    const inspect = neuromap(['inspect', 'p.egru'], dir);
    expectSuccess(inspect);
    expect(inspect.stdout).toMatch(/neuromap model/);
    expect(inspect.stdout).toMatch(/layers\s+16, 16/);
    expect(inspect.stdout).toMatch(/weight sparsity over the 5 prunable matrices: 50(\.0)?%/);
    expect(inspect.stdout).toMatch(/5 with a pruning mask/);
    expect(inspect.stdout).toMatch(/settings\.weightDecay\s+\[0\.01, 0\.05\]/);
  });

  it('Ctrl-C stops train and prune at a resumable checkpoint with one line saying how to resume; prune --resume finishes', async () => {
    const base = ['--data', data, '--layers', '16,16', '--emb', '8', '--vocab-size', '200', '--batch', '4', '--bptt', '10', '--seed', '3'];
    const train = await neuromapInterrupted(['train', ...base, '--max-tokens', '4000000', '--out', 'long.egru'], dir, /^train .*step \d+/m);
    expectStopped(train, /^neuromap: stopped at step (\d+)\. Checkpoint: long\.egru\.ckpt\. Resume with: neuromap train --out long\.egru --resume$/);
    const step = Number(/stopped at step (\d+)/.exec(train.stderr)![1]);
    expect(fs.existsSync(path.join(dir, 'long.egru'))).toBe(false);
    expect(loadModel(path.join(dir, 'long.egru.ckpt')).training).toMatchObject({ step });
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    expectSuccess(neuromap(['train', ...base, '--max-tokens', '400', '--out', 'small.egru'], dir));
    const pruneArgs = ['prune', 'small.egru', '--sparsity', '0.5', '--steps', '2', '--finetune-tokens', '20000', '--out', 'sp.egru'];
    const prune = await neuromapInterrupted(pruneArgs, dir, /^prune .*step \d+/m);
    expectStopped(prune, /^neuromap: stopped in pruning round [12]\/2 at fine-tuning step \d+\. Checkpoint: sp\.egru\.ckpt\. Resume with: neuromap prune small\.egru --out sp\.egru --resume$/);
    expect(fs.existsSync(path.join(dir, 'sp.egru'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'sp.egru.ckpt'))).toBe(true);
    expectCleanError(neuromap([...pruneArgs.slice(0, 2), '--sparsity', '0.6', '--out', 'sp.egru', '--resume'], dir), /prunes to 0\.5, not --sparsity 0\.6/);

    const resumed = neuromap(['prune', 'small.egru', '--out', 'sp.egru', '--resume'], dir);
    expectSuccess(resumed);
    expect(resumed.stdout).toMatch(/sparsity 50\.0%: validation perplexity/);
    expect(fs.existsSync(path.join(dir, 'sp.egru.ckpt'))).toBe(false);
    const p = loadModel(path.join(dir, 'sp.egru'));
    expect(p.training).toBeUndefined();
    expect(prunableSparsity(p.config, p.params)).toBeGreaterThanOrEqual(0.5 - 1e-9);
    expect(p.provenance.commands).toHaveLength(3);
    expect(p.provenance.steps).toBe(10 + 2 * 500); // ⌈400 / 40⌉ training steps, then 2 rounds of ⌈20000 / 40⌉
  });

  it('bad flags and bad files: one clear `neuromap:` line, no stack trace, non-zero exit, nothing written', async () => {
    const cases: [string, string[], RegExp][] = [
      ['--layers a,b', ['train', '--data', data, '--out', 'x.egru', '--layers', 'a,b'], /--layers must be comma-separated positive integers/],
      ['an unknown option', ['train', '--data', data, '--out', 'x.egru', '--bogus', '1'], /^neuromap: unknown option --bogus \(neuromap train --help lists the options\)$/],
      // Named with a suggestion, not "Missing required argument: out" (yargs checks required options first).
      ['a misspelt --out', ['train', '--data', data, '--ouput', 'x.egru'], /^neuromap: unknown option --ouput: did you mean --out\? \(neuromap train --help lists the options\)$/],
      ['a misspelt negated flag', ['compile', 'r.egru', '--target', 'tiny', '--out', 'x.nmap', '--no-verfy'], /^neuromap: unknown option --no-verfy: did you mean --no-verify\?/],
      ['a missing --out', ['train', '--data', data], /Missing required argument: out/],
      ['a weight decay per layer for 3 of 2 layers', ['train', '--data', data, '--out', 'x.egru', '--weight-decay', '0.1,0.2,0.3'],
        /--weight-decay has 3 values \(0\.1,0\.2,0\.3\) but the model has 2 recurrent layers: give one value for all, or 2/],
      ['a bad weight decay', ['train', '--data', data, '--out', 'x.egru', '--weight-decay', '0.1,-1'], /--weight-decay must be a number ≥ 0, or a comma list/],
      ['--resume without a checkpoint', ['train', '--data', data, '--out', 'x.egru', '--resume'], /--resume: no checkpoint at x\.egru\.ckpt/],
      ['--sparsity 2', ['prune', 'r.egru', '--sparsity', '2', '--out', 'x.egru'], /sparsity must be in \[0, 1\)/],
      // Refused before the first round (the cubic schedule would reach 1 only in its last round).
      ['--sparsity 1', ['prune', 'r.egru', '--sparsity', '1', '--steps', '3', '--finetune-tokens', '100', '--out', 'x.egru'], /sparsity must be in \[0, 1\)/],
      ['a truncated model file', ['eval', 'cut.egru', '--data', data], /cut\.egru is not a neuromap model file: it is truncated, corrupt/],
    ];
    // In parallel: each run is mostly interpreter start-up.
    const runs = await Promise.all(cases.map(([, args]) => neuromapAsync(args, dir)));
    cases.forEach(([label, , reason], i) => {
      try {
        expectCleanError(runs[i], reason);
        expect(runs[i].stderr).not.toMatch(/round 1/);
      } catch (err) {
        throw new Error(`${label}: ${(err as Error).message}\nstderr: ${runs[i].stderr}`);
      }
    });
    expect(fs.existsSync(path.join(dir, 'x.egru'))).toBe(false);
  });

  it('--version prints the package version', () => {
    const r = neuromap(['--version'], dir);
    expectSuccess(r);
    expect(r.stdout).toBe(`${JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}\n`);
  });
});
