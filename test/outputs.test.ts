/**
 * Outputs never destroy inputs, are checked before the work starts, and several outputs of one command are
 * written all or nothing (format/outputs.ts, models/atomic.ts writeFilesAtomic). Every command that writes is
 * run in this process (helpers/cli.ts) with an output that is one of its inputs, by the same name, through a
 * symlink, or as a hard link: each must refuse in one line and leave the input's bytes as they were.
 */
import * as fs from 'fs';
import * as path from 'path';
import { checkOutputs } from '../format/outputs';
import { writeFilesAtomic } from '../models/atomic';
import { saveModel } from '../models/file';
import { exportEvnn } from '../models/evnn';
import { fixtureConfig, randomModel } from './fixtures/model';
import { useTempDir } from './fixtures/tmp';
import { errorOf } from './helpers/errors';
import { expectOneLineRefusal, runCli } from './helpers/cli';

const tmp = useTempDir();
const file = (name: string) => path.join(tmp(), name);

/** Files every case may use: a model, its EvNN export and vocabulary, a compiled map, a text. */
async function inputs(): Promise<void> {
  const model = randomModel(fixtureConfig({ layers: [7, 5] }), { sparsity: 0.5 });
  saveModel(file('m.egru'), model);
  exportEvnn(model, file('m.safetensors'), file('m.vocab.txt'));
  fs.writeFileSync(file('t.txt'), 'w2 w3 w4\nw5 w6\n');
  const r = await runCli(['compile', file('m.egru'), '--target', 'tiny', '--out', file('m.nmap')]);
  expect(r.status).toBe(0);
}

function snapshot(names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, fs.readFileSync(file(n)).toString('base64')]));
}

describe('an output that is an input is refused, and the input survives', () => {
  const cases: [string, () => string[], RegExp][] = [
    ['compile --out INPUT', () => ['compile', file('m.egru'), '--target', 'tiny', '--out', file('m.egru')], /--out .*m\.egru is the input .*m\.egru/],
    ['compile --json INPUT', () => ['compile', file('m.egru'), '--target', 'tiny', '--out', file('x.nmap'), '--json', file('m.egru')], /--json .* is the input/],
    ['export --out INPUT', () => ['export', file('m.egru'), '--out', file('m.egru')], /--out .* is the input/],
    ['export --vocab-out INPUT', () => ['export', file('m.egru'), '--out', file('x.safetensors'), '--vocab-out', file('m.egru')], /--vocab-out .* is the input/],
    ['eval --json INPUT', () => ['eval', file('m.egru'), '--text', file('t.txt'), '--json', file('m.egru')], /--json .* is the input/],
    ['eval --json TEXT', () => ['eval', file('m.egru'), '--text', file('t.txt'), '--json', file('t.txt')], /--json .*t\.txt is the input/],
    ['simulate --json INPUT', () => ['simulate', file('m.nmap'), '--text', file('t.txt'), '--json', file('m.nmap')], /--json .* is the input/],
    ['simulate --trace INPUT', () => ['simulate', file('m.nmap'), '--text', file('t.txt'), '--trace', file('m.nmap')], /--trace .* is the input/],
    ['import --out INPUT', () => ['import', file('m.safetensors'), '--vocab', file('m.vocab.txt'), '--out', file('m.safetensors')], /--out .* is the input/],
    ['import --out VOCAB', () => ['import', file('m.safetensors'), '--vocab', file('m.vocab.txt'), '--out', file('m.vocab.txt')], /--out .* is the input/],
    ['prune --out INPUT', () => ['prune', file('m.egru'), '--sparsity', '0.5', '--finetune-epochs', '0', '--out', file('m.egru')], /--out .* is the input/],
    ['through a symlink', () => (fs.symlinkSync(file('m.egru'), file('link.egru')), ['export', file('m.egru'), '--out', file('link.egru')]), /--out .*link\.egru is the input/],
    ['as a hard link', () => (fs.linkSync(file('m.egru'), file('hard.egru')), ['compile', file('m.egru'), '--target', 'tiny', '--out', file('hard.egru')]), /is the input/],
    ['by a relative path with ..', () => ['export', file('m.egru'), '--out', path.join(tmp(), '..', path.basename(tmp()), 'm.egru')], /is the input/],
  ];
  it.each(cases)('%s', async (_name, argv, message) => {
    await inputs();
    const names = ['m.egru', 'm.safetensors', 'm.vocab.txt', 'm.nmap', 't.txt'];
    const before = snapshot(names);
    const args = argv();
    expectOneLineRefusal(await runCli(args), message);
    expect(snapshot(names)).toEqual(before);
  });

  it('two outputs that are one file are refused', async () => {
    await inputs();
    const r = await runCli(['simulate', file('m.nmap'), '--text', file('t.txt'), '--json', file('o.json'), '--trace', file('o.json')]);
    expectOneLineRefusal(r, /--trace .*o\.json and --json .*o\.json are the same file/);
    expect(fs.existsSync(file('o.json'))).toBe(false);
  });
});

describe('outputs are checked before the work starts', () => {
  it('train into a missing folder fails at once, naming the folder (before any corpus is read)', async () => {
    const t0 = Date.now();
    const r = await runCli(['train', '--out', file('missing/x.egru'), '--max-tokens', '100000']);
    expectOneLineRefusal(r, /--out .*missing\/x\.egru: its folder .*missing does not exist; create it first/);
    expect(r.stderr).not.toMatch(/training/);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('prune into a missing folder fails before pruning', async () => {
    await inputs();
    const r = await runCli(['prune', file('m.egru'), '--sparsity', '0.5', '--out', file('missing/p.egru')]);
    expectOneLineRefusal(r, /--out .*missing\/p\.egru: its folder .* does not exist/);
    expect(r.stdout).toBe('');
  });

  it('an output under a file, or that is a folder, is refused', async () => {
    await inputs();
    expectOneLineRefusal(await runCli(['export', file('m.egru'), '--out', file('t.txt/x.safetensors')]), /t\.txt is not a folder/);
    fs.mkdirSync(file('dir'));
    expectOneLineRefusal(await runCli(['eval', file('m.egru'), '--text', file('t.txt'), '--json', file('dir')]), /--json .*dir is a folder/);
  });

  // /sys refuses new files even to root (these tests may run as root, for whom chmod does not make a folder read-only).
  const sysWritable = (() => {
    try {
      fs.closeSync(fs.openSync('/sys/.neuromap-probe', 'wx'));
      fs.rmSync('/sys/.neuromap-probe');
      return true;
    } catch {
      return false;
    }
  })();
  (sysWritable || !fs.existsSync('/sys') ? it.skip : it)('a folder that takes no new file is refused with the reason', () => {
    expect(errorOf(() => checkOutputs([], [{ flag: '--out', file: '/sys/x.egru' }]))).toMatch(/--out \/sys\/x\.egru: cannot write in \/sys: (permission denied|read-only file system)/);
  });
});

describe('writeFilesAtomic: all or nothing', () => {
  it('when the second file cannot be written, the first is not written either and no temp file is left', () => {
    fs.writeFileSync(file('a.json'), 'old');
    expect(errorOf(() => writeFilesAtomic([{ file: file('a.json'), data: 'new' }, { file: file('missing/b.json'), data: 'b' }]))).toMatch(
      /cannot write .*missing\/b\.json: no such file or directory \(none of the outputs were written\)/,
    );
    expect(fs.readFileSync(file('a.json'), 'utf8')).toBe('old');
    expect(fs.readdirSync(tmp())).toEqual(['a.json']);
  });

  it('writes every file when all can be written', () => {
    writeFilesAtomic([{ file: file('a'), data: 'A' }, { file: file('b'), data: Uint8Array.of(1, 2) }]);
    expect(fs.readFileSync(file('a'), 'utf8')).toBe('A');
    expect([...fs.readFileSync(file('b'))]).toEqual([1, 2]);
  });
});
