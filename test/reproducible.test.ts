/**
 * The same inputs and seed give the same bytes (issue 10): train, prune, import, compile, and simulate --json
 * once its wall-clock timings are left out. Each command runs twice in this process, writing to two different
 * folders (so an output path recorded in a provenance would show), and the files are compared byte for byte.
 * Before: provenance recorded the wall clock (train, import) and the output path (prune's command line).
 */
import * as fs from 'fs';
import * as path from 'path';
import { saveModel } from '../models/file';
import { exportEvnn } from '../models/evnn';
import { commandLine } from '../pipeline/provenance';
import { fixtureConfig, randomModel } from './fixtures/model';
import { useTempDir } from './fixtures/tmp';
import { runCli } from './helpers/cli';

const tmp = useTempDir();
const file = (name: string) => path.join(tmp(), name);

function corpus(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const words = ['the', 'a', 'cat', 'dog', 'sat', 'ran', 'on', 'mat', 'and', 'big'];
  for (const [split, lines] of [['train', 60], ['valid', 8], ['test', 8]] as const)
    fs.writeFileSync(path.join(dir, `${split}.txt`), Array.from({ length: lines }, (_, i) => Array.from({ length: 6 }, (_, j) => words[(i * 7 + j * 3) % 10]).join(' ')).join('\n') + '\n');
}

/** Runs `args(dir)` for dir a and b and returns both runs' bytes of `out(dir)`. */
async function twice(args: (dir: string) => string[], out: (dir: string) => string): Promise<[Buffer, Buffer]> {
  const bytes: Buffer[] = [];
  for (const d of ['a', 'b']) {
    const dir = file(d);
    fs.mkdirSync(dir, { recursive: true });
    const r = await runCli(args(dir));
    if (r.status !== 0) throw new Error(r.stderr);
    bytes.push(fs.readFileSync(out(dir)));
  }
  return [bytes[0], bytes[1]];
}

describe('same inputs and seed, same bytes', () => {
  it('train and prune (models written to two folders)', async () => {
    corpus(file('data'));
    const train = (dir: string) => ['train', '--data', file('data'), '--out', path.join(dir, 'm.egru'), '--max-tokens', '300', '--layers', '6',
      '--emb', '4', '--vocab-size', '20', '--batch', '2', '--bptt', '5', '--seed', '3', '--threads', '1', '--final-eval-tokens', '50', '--valid-tokens', '50'];
    const [a, b] = await twice(train, (dir) => path.join(dir, 'm.egru'));
    expect(a.equals(b)).toBe(true);
    const prune = (dir: string) => ['prune', path.join(file('a'), 'm.egru'), '--sparsity', '0.5', '--steps', '1', '--finetune-tokens', '100', '--out', path.join(dir, 'p.egru')];
    const [pa, pb] = await twice(prune, (dir) => path.join(dir, 'p.egru'));
    expect(pa.equals(pb)).toBe(true);
  });

  it('import, compile, and simulate --json without its wall-clock timings', async () => {
    const model = randomModel(fixtureConfig({ layers: [7, 5] }), { sparsity: 0.5 });
    exportEvnn(model, file('m.safetensors'), file('m.vocab.txt'));
    saveModel(file('m.egru'), model);
    fs.writeFileSync(file('t.txt'), 'w2 w3 w4\nw5 w6 w7 w8\n');
    const [ia, ib] = await twice((dir) => ['import', file('m.safetensors'), '--vocab', file('m.vocab.txt'), '--out', path.join(dir, 'i.egru')], (dir) => path.join(dir, 'i.egru'));
    expect(ia.equals(ib)).toBe(true);
    const [ca, cb] = await twice((dir) => ['compile', file('m.egru'), '--target', 'tiny', '--out', path.join(dir, 'm.nmap')], (dir) => path.join(dir, 'm.nmap'));
    expect(ca.equals(cb)).toBe(true);
    const [sa, sb] = await twice((dir) => ['simulate', path.join(file('a'), 'm.nmap'), '--text', file('t.txt'), '--json', path.join(dir, 's.json')], (dir) => path.join(dir, 's.json'));
    const untimed = (bytes: Buffer) => {
      const { wall_s: _w, synaptic_events_per_wall_s: _r, ...rest } = JSON.parse(bytes.toString('utf8'));
      return JSON.stringify(rest);
    };
    expect(untimed(sa)).toBe(untimed(sb));
  });

  it('a provenance records no output path and, unless asked, no time', () => {
    expect(commandLine(['prune', 'm.egru', '--out', '/x/p.egru', '--json=/x/e.json', '--steps', '3'])).toBe('neuromap prune m.egru --out OUT --json=OUT --steps 3');
  });
});
