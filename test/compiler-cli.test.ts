/**
 * `neuromap compile`: the files it writes (the *.nmap map and SUMMARY.json with the contract's fields),
 * their determinism, calibration, the inspect view, and clear errors for bad inputs.
 */
import * as fs from 'fs';
import * as path from 'path';
import yargs from 'yargs';
import { compileCommand, describeNmap, runCompile, type CompileArgs } from '../cli/commands/compile';
import { loadNmap } from '../compiler';
import { UserError } from '../models/config';
import { readContainer } from '../models/container';
import { saveModel } from '../models/file';
import { prunableNames } from '../models/params';
import { fixtureConfig, randomModel } from './fixtures/model';
import { useTempDir } from './fixtures/tmp';

const tmp = useTempDir();
const file = (name: string) => path.join(tmp(), name);

function args(overrides: Partial<CompileArgs> = {}): CompileArgs {
  return {
    model: file('m.egru'), target: 'tiny', out: file('m.nmap'), strategy: 'pack', decoder: 'chip', 'calibrate-tokens': 1000,
    'binary-encoding': false, seed: 1, verify: true, verbose: false, ...overrides,
  };
}

describe('neuromap compile', () => {
  const model = randomModel(fixtureConfig({ layers: [7, 5] }), { sparsity: 0.6 });
  beforeEach(() => saveModel(file('m.egru'), model));

  it('writes the map and a SUMMARY.json with the contract’s fields', () => {
    const text = runCompile(args({ json: file('summary.json') }));
    expect(text).toMatch(/m\.egru → tiny \(fp32, pack, decoder on chip\): 24 units, \d+ synapses on \d+ of \d+ cores/);
    expect(text).toMatch(/wrote .*m\.nmap and .*summary\.json$/);
    const s = JSON.parse(fs.readFileSync(file('summary.json'), 'utf8'));
    for (const key of ['target', 'chips', 'cores_used', 'cores_available', 'neurons', 'synapses', 'per_core', 'utilization']) expect(s).toHaveProperty(key);
    expect(s.target).toBe('tiny');
    expect(s.neurons).toBe(7 + 5 + 12);
    // Every non-zero weight of the mapped matrices (kernels, recurrent kernels, decoder), once.
    const nonZeros = prunableNames(model.config).reduce((a, n) => a + model.params[n].data.filter((w) => w !== 0).length, 0);
    expect(s.synapses).toBe(nonZeros);
    expect(s.per_core).toHaveLength(s.cores_used);
    for (const c of s.per_core)
      for (const key of ['chip', 'x', 'y', 'core', 'neurons', 'synapses', 'memory_bytes', 'memory_capacity', 'fan_in', 'fan_out', 'routing_entries']) expect(c).toHaveProperty(key);
    expect(s.utilization.memory.max).toBeGreaterThanOrEqual(s.utilization.memory.mean);
    expect(s.utilization.neurons.max).toBeLessThanOrEqual(1);
    const map = loadNmap(file('m.nmap'));
    expect(map.summary).toEqual(s);
    expect(map.model.vocab).toEqual(model.vocab);
    expect(map.host.embedding).toEqual(model.params.embedding.data);
    expect(map.cores.reduce((a, c) => a + c.post.length, 0)).toBe(nonZeros);
  });

  it('writes the same bytes for the same inputs', () => {
    runCompile(args({ out: file('a.nmap') }));
    runCompile(args({ out: file('b.nmap') }));
    expect(fs.readFileSync(file('a.nmap')).equals(fs.readFileSync(file('b.nmap')))).toBe(true);
  });

  it('measures activity on --calibrate text and balances with it', () => {
    fs.writeFileSync(file('cal.txt'), 'w2 w3 w4 w5\nw6 w7 w2 w3 w9\n');
    runCompile(args({ calibrate: file('cal.txt'), strategy: 'balance', json: file('s.json') }));
    const s = JSON.parse(fs.readFileSync(file('s.json'), 'utf8'));
    expect(s.calibrated).toBe(true);
    expect(s.strategy).toBe('balance');
    expect(s.diagnostics.join('\n')).toMatch(/activity measured on 10 calibration tokens/);
    expect(loadNmap(file('m.nmap')).populations[1].activity.some((a) => a !== 1)).toBe(true);
  });

  it('--cores N spreads balance over N cores; a balance that changes nothing says so in the summary', async () => {
    // Decoder on the host, tiny's 1 KiB cores: pack puts layer0 (7 units) and layer1 (5) on one core each.
    const out: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
    try {
      await yargs(['compile', file('m.egru'), '--target', 'tiny', '--out', file('c.nmap'), '--cores', '5', '--json', file('c.json')])
        .command(compileCommand).strict().parseAsync();
    } finally {
      write.mockRestore();
    }
    expect(out.join('')).toMatch(/→ tiny \(fp32, balance, decoder on host\): 12 units, \d+ synapses on 5 of 8 cores/);
    const spread = JSON.parse(fs.readFileSync(file('c.json'), 'utf8'));
    expect(spread.cores_used).toBe(5);
    expect(spread.per_layer.reduce((a: number, l: { cores: number }) => a + l.cores, 0)).toBe(5);
    // The map records the --cores it was spread over, and inspect shows it (a map without it records null).
    expect(loadNmap(file('c.nmap')).compiler.cores).toBe(5);
    expect(describeNmap(readContainer(file('c.nmap')), 'c.nmap').split('\n')[0]).toMatch(/ for tiny, seed 1, --cores 5$/);

    const text = runCompile(args({ decoder: 'host', strategy: 'balance', json: file('b.json') }));
    const note = 'partition (warning): balance placed every layer as pack would: each layer already fits one core; use --cores N (more than 2) to spread';
    expect(text).toContain(note);
    expect(JSON.parse(fs.readFileSync(file('b.json'), 'utf8')).diagnostics).toContain(note);
    expect(runCompile(args({ decoder: 'host', strategy: 'balance', cores: 2 }))).toContain("--cores 2 is pack's count: give more to spread");
    expect(() => runCompile(args({ decoder: 'host', strategy: 'balance', cores: 1 }))).toThrow(
      new UserError('--cores 1: the model needs at least 2 cores on tiny (layer0 1, layer1 1, as --strategy pack cuts it): give --cores 2 or more'),
    );
  });

  it('shows a map as per-layer, per-chip and per-core tables (the inspect view)', () => {
    runCompile(args({ decoder: 'host', arith: 'int8' }));
    const text = describeNmap(readContainer(file('m.nmap')), 'm.nmap');
    expect(text).toMatch(/^m\.nmap: compiled map \(neuromap-nmap, format version 3\).*m\.egru \(7,5 units, vocabulary 12\) for tiny, seed 1\n/);
    expect(loadNmap(file('m.nmap')).compiler.cores).toBeNull();
    expect(text).toMatch(/per layer\n +population +kind +units +cores/);
    expect(text).toMatch(/per chip\n +chip +cores +units/);
    expect(text).toMatch(/per core\n +id +chip +x,y +core +population/);
    expect(text).toMatch(/decoder on host/);
    expect(text).not.toMatch(/ decoder +linear/);
  });

  it('fails clearly for a bad target file, a non-map file and bad numbers', () => {
    fs.writeFileSync(file('bad.yaml'), 'name: bad\ncore:\n  neurons: { value: "many", source: x }\n');
    expect(() => runCompile(args({ target: file('bad.yaml') }))).toThrow(UserError);
    expect(() => runCompile(args({ target: file('bad.yaml') }))).toThrow(/bad\.yaml: .*core\.neurons\.value: expected number/);
    expect(() => loadNmap(file('m.egru'))).toThrow(/is not a compiled map \(\*\.nmap\): it is a 'neuromap-egru' file/);
    expect(() => runCompile(args({ chips: 0 }))).toThrow(/--chips must be a positive integer/);
  });

  it('refuses --planes 1, whose embedding would never reach the chip, and writes no map; --planes 2 carries it', () => {
    // The embedding's events are signed: 1 plane is the sign alone, 2^0 - 1 = 0 magnitude levels, so every embedding
    // value would have rounded to 0 (the simulator clamps to ±(2^(P-1) - 1)) and the map computed the model without its input.
    const binary = { arith: 'binary', 'binary-encoding': true, decoder: 'host' as const };
    expect(() => runCompile(args({ ...binary, planes: 1, out: file('p1.nmap') }))).toThrow(new UserError(
      "--planes must be a whole number from 2 to 4 (tiny's bit planes): the embedding's events are signed, " +
        'and a signed event needs a sign plane and at least one magnitude plane (with 1 every embedding value would round to 0); got 1',
    ));
    expect(fs.existsSync(file('p1.nmap'))).toBe(false);
    runCompile(args({ ...binary, planes: 2, out: file('p2.nmap') }));
    const embedding = loadNmap(file('p2.nmap')).populations[0];
    const event = embedding.event.kind === 'planes' ? embedding.event : null;
    expect([embedding.name, event?.planes, event?.signed]).toEqual(['embedding', 2, true]);
    // One magnitude level: the event scale is the power of two at or above the largest |embedding value| / 1, finite.
    expect(Number.isFinite(event?.scale)).toBe(true);
  });

  it('parses its command line through yargs', async () => {
    const out: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
    try {
      await yargs(['compile', file('m.egru'), '--target', 'tiny', '--out', file('y.nmap'), '--arith', 'int8', '--strategy', 'balance', '--no-verify'])
        .command(compileCommand)
        .strict()
        .parseAsync();
    } finally {
      write.mockRestore();
    }
    // No --decoder: the host, as demo and sweeps (pipeline/chip-runs.ts DEFAULT_DECODER).
    expect(out.join('')).toMatch(/→ tiny \(int8, balance, decoder on host\)/);
    expect(fs.existsSync(file('y.nmap'))).toBe(true);
  });
});
