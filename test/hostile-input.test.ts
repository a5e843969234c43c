/**
 * Hostile and mistaken input (issue 10): files and flags that used to end in a stack trace, unbounded memory or
 * a silently wrong result. Each must now be refused with one line that names what is wrong (helpers/cli.ts runs
 * the command line in this process). Maps are broken by hand from a real compiled one: loaded, one field
 * changed, packed again.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadNmap, packNmap, type CompiledMap } from '../compiler';
import { formatTable } from '../format/table';
import { saveModel } from '../models/file';
import { encodeSafetensors } from '../models/safetensors';
import { DEFAULT_TRAIN_SETTINGS } from '../models/train';
import { fixtureConfig, randomModel } from './fixtures/model';
import type { ResumeState } from '../models/model';
import { useTempDir } from './fixtures/tmp';
import { expectOneLineRefusal, runCli } from './helpers/cli';

const tmp = useTempDir();
const file = (name: string) => path.join(tmp(), name);

async function compiledMap(): Promise<void> {
  saveModel(file('m.egru'), randomModel(fixtureConfig({ layers: [7, 5] }), { sparsity: 0.5 }));
  fs.writeFileSync(file('t.txt'), 'w2 w3 w4\nw5 w6\n');
  const r = await runCli(['compile', file('m.egru'), '--target', 'tiny', '--out', file('m.nmap')]);
  expect(r.status).toBe(0);
}

/** The map with one change, written as bad.nmap; typed arrays are copied first (a loaded map's are views of its file). */
function brokenMap(change: (map: CompiledMap) => void): string {
  const map = loadNmap(file('m.nmap'));
  change(map);
  const { format: _f, version: _v, ...body } = map;
  fs.writeFileSync(file('bad.nmap'), packNmap(body));
  return file('bad.nmap');
}

describe('a broken compiled map is refused in one line before it is simulated', () => {
  const cases: [string, (map: CompiledMap) => void, RegExp][] = [
    ['a core naming a missing population', (m) => (m.cores[0].population = 99), /core map 0 .* names population 99, and the map has \d+/],
    ['slots: 1e9', (m) => (m.populations[1].slots = 1e9), /population 1 .* has 1000000000 accumulator slots a unit, expected 1 to 16/],
    ['a unit route out of range', (m) => (m.routes.unit_route = Int32Array.from(m.routes.unit_route, () => 2147483647)), /a source's route is 2147483647, and the map has \d+ routes/],
    ['every route ending at core 2147483647', (m) => (m.routes.dest_core = Int32Array.from(m.routes.dest_core, () => 2147483647)), /a route ends at core 2147483647, which is not in the map/],
    ['a vocabulary that disagrees with the logits', (m) => (m.model.vocab = m.model.vocab.slice(0, 5)), /its vocabulary has 5 words, its model config says 12/],
    ['every synapse target out of range', (m) => (m.synapses.post = Uint8Array.from(m.synapses.post, () => 255)), /a synapse targets accumulator 255, and the core has \d+/],
    ['planes: 1e9', (m) => (m.compiler.planes = 1e9), /compiler\.planes is 1000000000, expected an integer from 0 to 32/],
    ['NaN in the embedding', (m) => (m.host.embedding = Float32Array.from(m.host.embedding, (v, i) => (i === 5 ? NaN : v))), /its embedding holds a non-finite value \(NaN at index 5\)/],
    ['an fp32 map labelled int8', (m) => (m.compiler.arithmetic = 'int8'), /it says its numbers are float, and tiny's int8 is int/],
    ['fp32 weights in a map whose numbers say int', (m) => ((m.compiler.arithmetic = 'int8'), (m.compiler.number_format = 'int')), /its int8 \(int\) synapses are stored as Float32Array/],
    ['a route starting outside the mesh', (m) => (m.routes.origin = Int32Array.from(m.routes.origin, () => 1e9)), /a route starts at router 1000000000, outside the mesh's \d+/],
  ];
  it.each(cases)('%s', async (_name, change, message) => {
    await compiledMap();
    const bad = brokenMap(change);
    const t0 = Date.now();
    expectOneLineRefusal(await runCli(['simulate', bad, '--text', file('t.txt')]), message);
    expectOneLineRefusal(await runCli(['inspect', bad]), message);
    expect(Date.now() - t0).toBeLessThan(20000);
  });
});

describe('mistaken commands and files', () => {
  it('compile --target DIR names the folder', async () => {
    saveModel(file('m.egru'), randomModel());
    fs.mkdirSync(file('chip.yaml'));
    expectOneLineRefusal(await runCli(['compile', file('m.egru'), '--target', file('chip.yaml'), '--out', file('m.nmap')]), /cannot read target file .*chip\.yaml: it is a directory/);
  });

  it('a text none of whose words the model knows is refused, and compile --calibrate names its own flag', async () => {
    saveModel(file('m.egru'), randomModel());
    fs.writeFileSync(file('unknown.txt'), 'zebra quokka\naardvark\n');
    expectOneLineRefusal(await runCli(['eval', file('m.egru'), '--text', file('unknown.txt')]), /--text .*unknown\.txt: none of its 3 words is in the model's vocabulary of 12/);
    expectOneLineRefusal(await runCli(['compile', file('m.egru'), '--target', 'tiny', '--calibrate', file('unknown.txt'), '--out', file('m.nmap')]), /^neuromap: --calibrate .*unknown\.txt: none of its 3 words/);
    expectOneLineRefusal(await runCli(['compile', file('m.egru'), '--target', 'tiny', '--calibrate', file('missing.txt'), '--out', file('m.nmap')]), /^neuromap: --calibrate .*missing\.txt: no such file/);
  });

  it('a text of nothing but <eos> markers is refused in one line: it needs at least one word', async () => {
    // Before, `eval` printed "tokens 1   perplexity …" for the one pair <eos> → <eos> and exited 0.
    saveModel(file('m.egru'), randomModel());
    fs.writeFileSync(file('eos.txt'), '<eos>\n');
    expectOneLineRefusal(await runCli(['eval', file('m.egru'), '--text', file('eos.txt')]),
      /^neuromap: --text .*eos\.txt: it holds only end-of-sentence markers \(<eos>\) and no word; the text needs at least one word\n?$/);
  });

  it('sweep on an empty YAML file says it is empty', async () => {
    fs.writeFileSync(file('empty.yaml'), '');
    expectOneLineRefusal(await runCli(['sweep', file('empty.yaml'), '--out', file('s')]), /sweep config .*empty\.yaml is empty/);
  });

  it('train --emb 1000000000 and --layers 100000000 are refused with the limit, before the corpus is read', async () => {
    expectOneLineRefusal(await runCli(['train', '--emb', '1000000000', '--out', file('m.egru')]), /embedding size 1000000000 is larger than neuromap's limit of 65,536/);
    expectOneLineRefusal(await runCli(['train', '--layers', '100000000', '--out', file('m.egru')]), /layer 0 size 100000000 is larger than neuromap's limit of 65,536/);
    // Each width within its limit, the whole too big: 60,000 × 60,000 recurrent weights alone are 3.6 billion.
    expectOneLineRefusal(await runCli(['train', '--layers', '60000', '--emb', '60000', '--out', file('m.egru')]), /number of weights \d+ is larger than neuromap's limit of 200,000,000/);
  });

  // The file named 300,000; 10,001 are enough to cross the limit and keep the test fast.
  it('inspect on a safetensors file naming more tensors than the limit is refused with the limit', async () => {
    const header: Record<string, unknown> = {};
    for (let i = 0; i < 10_001; i++) header[`t${i}`] = { dtype: 'F32', shape: [0], data_offsets: [0, 0] };
    const json = Buffer.from(JSON.stringify(header));
    const bytes = Buffer.alloc(8 + json.length);
    bytes.writeBigUInt64LE(BigInt(json.length));
    json.copy(bytes, 8);
    fs.writeFileSync(file('many.safetensors'), bytes);
    expectOneLineRefusal(await runCli(['inspect', file('many.safetensors')]), /names 10001 tensors, more than the 10000 neuromap reads/);
    expect(encodeSafetensors({}).length).toBe(16); // the writer still writes an empty file (header {} padded to 8)
  });

  // Math.max(...rows) overflowed the call stack from about 130,000 rows on (node 20).
  it('a table of 150,000 rows is formatted (no call-stack overflow)', () => {
    const rows = Array.from({ length: 150_000 }, (_, i) => [`t${i}`, i]);
    const text = formatTable(rows, { header: ['name', 'n'] });
    expect(text.split('\n')).toHaveLength(150_002);
    expect(text.split('\n')[150_001]).toBe('t149999  149,999');
  });
});

describe('upper bounds, refused up front with the number and the limit', () => {
  const tinyTarget = fs.readFileSync(path.join(__dirname, '..', 'targets', 'tiny.yaml'), 'utf8');
  const target = (name: string, edit: (text: string) => string) => {
    fs.writeFileSync(file(`${name}.yaml`), edit(tinyTarget).replace('name: tiny', `name: ${name}`));
    return file(`${name}.yaml`);
  };

  it('a target with cores_per_group: 1e9 or a 100000×100000 mesh fails `targets validate` and compile', async () => {
    const cores = target('cores', (t) => t.replace('cores_per_group: { value: 2,', 'cores_per_group: { value: 1e9,'));
    const mesh = target('mesh', (t) => t.replace('mesh_width: { value: 2,', 'mesh_width: { value: 100000,').replace('mesh_height: { value: 2,', 'mesh_height: { value: 100000,'));
    let r = await runCli(['targets', 'validate', cores]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/topology\.cores_per_group\.value: must be at most 1,024 \(neuromap's limit\) \(got 1000000000\)/);
    r = await runCli(['targets', 'validate', mesh]);
    expect(r.stderr).toMatch(/topology\.mesh_width\.value: must be at most 4,096 \(neuromap's limit\) \(got 100000\)/);
    expect(r.stderr).toMatch(/the mesh \(mesh_width × mesh_height\) is 10000000000, more than neuromap's limit of 1,048,576/);
    saveModel(file('m.egru'), randomModel());
    r = await runCli(['compile', file('m.egru'), '--target', cores, '--out', file('m.nmap')]);
    expect(r.status).toBe(2);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(fs.existsSync(file('m.nmap'))).toBe(false);
  });

  it('a target value .inf is named as infinite, not "number null"', async () => {
    const inf = target('inf', (t) => t.replace('fan_in: { value: 64,', 'fan_in: { value: .inf,'));
    expectOneLineRefusal(await runCli(['targets', 'validate', inf]), /core\.fan_in\.value: expected number, got Infinity \(numbers must be finite\)/);
  });

  it('a 300×300×300 sweep grid is refused before anything runs', async () => {
    const list = (n: number, f: (i: number) => number) => `[${Array.from({ length: n }, (_, i) => f(i)).join(', ')}]`;
    fs.writeFileSync(file('grid.yaml'), `grid:\n  weight-decay: ${list(300, (i) => i / 1000)}\n  activity-penalty: ${list(300, (i) => i / 1000)}\n  sparsity: ${list(300, (i) => i / 1000)}\n`);
    const t0 = Date.now();
    expectOneLineRefusal(await runCli(['sweep', file('grid.yaml'), '--out', file('s')]), /its grid has 27,000,000 points, more than the 10,000 a sweep may have/);
    expect(Date.now() - t0).toBeLessThan(20000);
    expect(fs.existsSync(file('s/results.jsonl'))).toBe(false);
  });

  it('prune --steps 100000000 is refused before pruning', async () => {
    saveModel(file('m.egru'), randomModel());
    expectOneLineRefusal(await runCli(['prune', file('m.egru'), '--sparsity', '0.5', '--steps', '100000000', '--out', file('p.egru')]), /--steps 100000000 is more than the 100 pruning rounds/);
  });

  it.each([['-1'], ['NaN'], ['abc'], ['1.5']])('eval --eval-tokens %s is refused', async (value) => {
    saveModel(file('m.egru'), randomModel());
    fs.writeFileSync(file('t.txt'), 'w2 w3 w4\n');
    expectOneLineRefusal(await runCli(['eval', file('m.egru'), '--text', file('t.txt'), `--eval-tokens=${value}`]), /--eval-tokens must be a (number|non-negative integer)/);
  });

  it('train --resume refuses --layers and --lr that contradict the checkpoint, naming both', async () => {
    const model = randomModel(fixtureConfig({ layers: [5, 4] }));
    // Only the settings: the flags are checked against them before any of the rest is read.
    model.training = { settings: { ...DEFAULT_TRAIN_SETTINGS, lr: 0.003 } } as unknown as ResumeState;
    saveModel(file('m.egru.ckpt'), model);
    const r = await runCli(['train', '--out', file('m.egru'), '--resume', '--layers', '64,64', '--emb', '6', '--lr', '0.01']);
    expectOneLineRefusal(r, /--resume continues .*m\.egru\.ckpt with its own settings, and the flags ask for others: layers 64,64 \(the checkpoint's is 5,4\), lr 0\.01 \(the checkpoint's is 0\.003\)/);
  });
});
