/**
 * Fuzzing (fast-check) of everything a user hands neuromap: model files, compiled maps, safetensors, target and
 * sweep files, and flags. Whatever the mutation, a loader either accepts the input or throws a UserError (the
 * CLI's one line, exit 2): never another exception (a stack trace), never unbounded time. Runs through the
 * command line also check the message is one line and the input files are unchanged. The issue's own cases are
 * in hostile-input.test.ts, integrity.test.ts and outputs.test.ts; this file looks for the ones nobody listed.
 * Sizes are kept small so the file runs in well under a minute (seeded: a failure reproduces).
 */
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { loadNmap, packNmap, type CompiledMap } from '../compiler';
import { UserError } from '../models/config';
import { decodeContainer, packContainer } from '../models/container';
import { EGRU_KIND, loadModel, modelFromRecord, modelToRecord, saveModel } from '../models/file';
import { exportEvnn, importEvnn } from '../models/evnn';
import { decodeSafetensors } from '../models/safetensors';
import { expandGrid } from '../sweep/grid';
import { parseSweepConfig } from '../sweep/config';
import { parseTarget } from '../targets/load';
import { fixtureConfig, randomModel } from './fixtures/model';
import { useTempDir } from './fixtures/tmp';
import { runCli, type CliRun } from './helpers/cli';

const tmp = useTempDir();
const file = (name: string) => path.join(tmp(), name);
const SEED = 20261203;

/** Runs `fn`; a UserError counts as a refusal, anything else fails the property. Returns whether it was refused. */
function acceptsOrRefuses(fn: () => unknown): boolean {
  try {
    fn();
    return false;
  } catch (err) {
    if (err instanceof UserError) {
      expect(err.message.length).toBeGreaterThan(0);
      return true;
    }
    throw err;
  }
}

/** Values a hostile file puts where a number, list or name belongs. */
const hostile = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, -1, 0, 1e9, 2 ** 31 - 1, -(2 ** 31), 1e300, 0.5, '', 'x', null, true, [], {}),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 8 }),
);

/** Every path to a leaf (numbers, strings, booleans, null) of a plain record, typed arrays' elements excluded. */
function leaves(value: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') out.push(at);
  else if (!ArrayBuffer.isView(value)) for (const [k, v] of Object.entries(value)) leaves(v, [...at, Array.isArray(value) ? Number(k) : k], out);
  return out;
}

function setAt(root: Record<string, unknown>, at: (string | number)[], value: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const k of at.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  node[at[at.length - 1]] = value;
}

describe('fuzz: files', () => {
  it('a model file with a field changed (and a valid checksum) loads or is refused', () => {
    const model = randomModel(fixtureConfig(), { sparsity: 0.3, training: true });
    const paths = leaves(modelToRecord(model));
    fc.assert(
      fc.property(fc.nat(paths.length - 1), hostile, (i, value) => {
        const body = modelToRecord(randomModel(fixtureConfig(), { sparsity: 0.3, training: true }));
        setAt(body, paths[i], value);
        const bytes = packContainer(EGRU_KIND, body);
        acceptsOrRefuses(() => modelFromRecord(decodeContainer(bytes, 'fuzz.egru'), 'fuzz.egru'));
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('a model file with bytes changed or cut is refused (the checksum)', () => {
    saveModel(file('m.egru'), randomModel());
    const bytes = fs.readFileSync(file('m.egru'));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }), fc.nat(bytes.length), (edits, cut) => {
        const copy = Buffer.from(bytes);
        for (const [at, x] of edits) copy[at] ^= x;
        fs.writeFileSync(file('f.egru'), copy.subarray(0, Math.max(1, cut)));
        expect(acceptsOrRefuses(() => loadModel(file('f.egru')))).toBe(true);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('a compiled map with a field or an array entry changed loads or is refused, and simulate says so in one line', async () => {
    saveModel(file('m.egru'), randomModel(fixtureConfig({ layers: [7, 5] }), { sparsity: 0.5 }));
    fs.writeFileSync(file('t.txt'), 'w2 w3 w4\n');
    expect((await runCli(['compile', file('m.egru'), '--target', 'tiny', '--out', file('m.nmap')])).status).toBe(0);
    const original = loadNmap(file('m.nmap'));
    const paths = leaves({ ...original, target: undefined, summary: undefined });
    const arrays: [string, (m: CompiledMap) => ArrayLike<number> & { [i: number]: number }][] = [
      ['routes.dest_core', (m) => m.routes.dest_core], ['routes.unit_route', (m) => m.routes.unit_route], ['routes.origin', (m) => m.routes.origin],
      ['routes.dest_ptr', (m) => m.routes.dest_ptr], ['synapses.post', (m) => m.synapses.post], ['cores.0.row_ptr', (m) => m.cores[0].row_ptr],
      ['cores.0.row_source', (m) => m.cores[0].row_source], ['host.embedding', (m) => m.host.embedding], ['synapses.weight', (m) => m.synapses.weight],
    ];
    const mutate = (change: (m: CompiledMap) => void) => {
      const map = loadNmap(file('m.nmap'));
      change(map);
      const { format: _f, version: _v, ...body } = map;
      return packNmap(body);
    };
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.tuple(fc.constant('field' as const), fc.nat(paths.length - 1), hostile),
          fc.tuple(fc.constant('array' as const), fc.nat(arrays.length - 1), fc.tuple(fc.nat(1000), fc.constantFrom(-1, 2 ** 31 - 1, 255, 1e6, NaN, 65535))),
        ),
        async (change) => {
          let bytes: Buffer;
          try {
            bytes = mutate((m) => {
              if (change[0] === 'field') setAt(m as unknown as Record<string, unknown>, paths[change[1]], change[2]);
              else {
                const a = arrays[change[1]][1](m);
                if (a.length) a[change[2][0] % a.length] = change[2][1];
              }
            });
          } catch {
            return; // a change the writer itself cannot pack (e.g. a non-number where an array goes): no file
          }
          fs.writeFileSync(file('f.nmap'), bytes);
          acceptsOrRefuses(() => loadNmap(file('f.nmap')));
          const run: CliRun = await runCli(['simulate', file('f.nmap'), '--text', file('t.txt')]);
          expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
          if (run.status !== 0) expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
        },
      ),
      { seed: SEED, numRuns: 40, interruptAfterTimeLimit: 20000 },
    );
    expect(original.model.vocab).toHaveLength(12);
  });

  it('safetensors with a changed header entry, or changed bytes, import or are refused', () => {
    const model = randomModel();
    exportEvnn(model, file('m.safetensors'), file('m.vocab.txt'));
    const bytes = fs.readFileSync(file('m.safetensors'));
    const headerLength = Number(bytes.readBigUInt64LE(0));
    const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8'));
    const paths = leaves(header);
    fc.assert(
      fc.property(fc.nat(paths.length - 1), hostile, fc.nat(bytes.length - 1), fc.integer({ min: 1, max: 255 }), (i, value, at, x) => {
        const edited = JSON.parse(JSON.stringify(header));
        setAt(edited, paths[i], value);
        const json = Buffer.from(JSON.stringify(edited).padEnd(Math.ceil(JSON.stringify(edited).length / 8) * 8, ' '));
        const out = Buffer.concat([Buffer.alloc(8), json, bytes.subarray(8 + headerLength)]);
        out.writeBigUInt64LE(BigInt(json.length), 0);
        if (x % 2) out[Math.min(at, out.length - 1)] ^= x;
        fs.writeFileSync(file('f.safetensors'), out);
        acceptsOrRefuses(() => decodeSafetensors(out, 'f.safetensors'));
        acceptsOrRefuses(() => importEvnn(file('f.safetensors'), file('m.vocab.txt')));
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('a target file with a value changed validates or is refused', () => {
    const text = fs.readFileSync(path.join(__dirname, '..', 'targets', 'tiny.yaml'), 'utf8');
    const values = [...text.matchAll(/value: ([^,}]+)/g)];
    fc.assert(
      fc.property(fc.nat(values.length - 1), fc.constantFrom('.inf', '-.nan', '1e9', '1e300', '-1', '0', '0.5', 'x', '[]', '{}', '2147483648', '~'), (i, value) => {
        const m = values[i];
        const edited = text.slice(0, m.index) + `value: ${value}` + text.slice(m.index! + m[0].length);
        acceptsOrRefuses(() => parseTarget(edited, 'fuzz.yaml', 'yaml'));
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('a sweep file with random axes is parsed and expanded, or refused, in bounded time', () => {
    const axis = fc.array(fc.oneof(fc.double({ min: -1, max: 2, noNaN: true }), fc.constantFrom('x', 'egru', '64,64', '0', null)), { maxLength: 40 });
    fc.assert(
      fc.property(fc.record({ sparsity: axis, 'weight-decay': axis, 'activity-penalty': axis, cell: axis, layers: axis }, { requiredKeys: [] }), fc.boolean(), (grid, empty) => {
        const t0 = Date.now();
        const text = empty ? '' : JSON.stringify({ grid });
        acceptsOrRefuses(() => expandGrid(parseSweepConfig(text, 'fuzz.json')));
        expect(Date.now() - t0).toBeLessThan(5000);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });
});

describe('fuzz: flags', () => {
  it('bad numbers for eval, prune and train flags are refused in one line, and no input changes', async () => {
    saveModel(file('m.egru'), randomModel());
    fs.writeFileSync(file('t.txt'), 'w2 w3 w4\n');
    const before = fs.readFileSync(file('m.egru'));
    // Never a valid value, whatever the flag: a valid one would start real work.
    const bad = fc.constantFrom('-1', 'NaN', 'abc', '1.5', '-0.5', 'Infinity', '0x');
    const tooBig = fc.constantFrom('1e12', '100000000', '2147483648');
    const command = fc.oneof(
      bad.map((v) => ['eval', file('m.egru'), '--text', file('t.txt'), `--eval-tokens=${v}`]),
      fc.oneof(bad, tooBig).map((v) => ['prune', file('m.egru'), '--sparsity', '0.5', `--steps=${v}`, '--out', file('p.egru')]),
      fc.oneof(bad, tooBig).map((v) => ['train', `--emb=${v}`, '--out', file('n.egru')]),
      fc.oneof(bad, tooBig).map((v) => ['train', `--layers=${v}`, '--out', file('n.egru')]),
      bad.map((v) => ['compile', file('m.egru'), '--target', 'tiny', `--chips=${v}`, '--out', file('m.nmap')]),
    );
    await fc.assert(
      fc.asyncProperty(command, async (args) => {
        const run = await runCli(args);
        expect(run.status).not.toBe(0);
        expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
        expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
        expect(fs.readFileSync(file('m.egru')).equals(before)).toBe(true);
        expect(fs.existsSync(file('n.egru')) || fs.existsSync(file('p.egru'))).toBe(false);
      }),
      { seed: SEED, numRuns: 40 },
    );
  });
});
