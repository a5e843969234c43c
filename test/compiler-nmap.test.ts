/**
 * The *.nmap file (compiler/nmap.ts, format version 3): what is loaded equals what was compiled, every array
 * a view of the one buffer read (no copies), the synapse table in the order the simulator serves deliveries
 * (so it runs from the table as read), and clear one-line errors for old and damaged files.
 */
import * as fs from 'fs';
import * as path from 'path';
import { compile, loadNmap, nmapBody, NMAP_KIND, type CompiledMap } from '../compiler';
import type { CompileOptions } from '../compiler/ir';
import { packNmap, synapseRowStarts, type NmapBody } from '../compiler/nmap';
import { packContainer } from '../models/container';
import { simMapFromNmap } from '../simulator/from-nmap';
import { prepare } from '../simulator/state';
import { loadTarget } from '../targets/load';
import { errorOf } from './helpers/errors';
import { fixtureConfig, randomModel } from './fixtures/model';
import { useTempDir } from './fixtures/tmp';

const tmp = useTempDir();
const file = (name: string) => path.join(tmp(), name);
const tiny = loadTarget('tiny');

const cases: [string, Partial<CompileOptions>][] = [
  ['fp32, decoder on chip', { arith: 'fp32' }],
  ['int8, decoder on the host, balanced', { arith: 'int8', decoder: 'host', strategy: 'balance' }],
  ['binary spikes as bit-planes', { arith: 'binary', binaryEncoding: true, decoder: 'host' }],
];

function body(options: Partial<CompileOptions>): NmapBody {
  const model = randomModel(fixtureConfig({ emb: 8, layers: [9, 7], vocabSize: 20 }), { sparsity: 0.5, seed: 11 });
  return nmapBody(compile(model, tiny, options));
}

/** Every typed array in a value. */
function typedArrays(value: unknown, out: ArrayBufferView[] = []): ArrayBufferView[] {
  if (ArrayBuffer.isView(value)) out.push(value);
  else if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) typedArrays(v, out);
  return out;
}

describe('the compiled map file', () => {
  it.each(cases)('%s: loads as it was compiled, every array a view of the bytes read', (_, options) => {
    const compiled = body(options);
    expect(compiled.cores.length).toBeGreaterThan(1);
    fs.writeFileSync(file('m.nmap'), packNmap(compiled));
    const loaded = loadNmap(file('m.nmap'));
    const { cores, ...rest } = compiled;
    const { cores: loadedCores, ...loadedRest } = loaded;
    expect(loadedRest).toEqual({ format: NMAP_KIND.format, version: 3, ...rest });
    const buffers = new Set(typedArrays(loadedRest).map((a) => a.buffer));
    expect(buffers.size).toBe(1);
    loadedCores.forEach((c, i) => {
      const { post, weight, ...own } = cores[i];
      const { post: loadedPost, weight: loadedWeight, ...loadedOwn } = c; // gathered from the table here
      expect(loadedOwn).toEqual(own);
      expect(Array.from(loadedPost)).toEqual(Array.from(post));
      expect(loadedWeight).toEqual(weight);
    });
  });

  it('orders the synapse table by source, plane and core id', () => {
    for (const [, options] of cases) {
      const map = body(options);
      const starts = synapseRowStarts(map);
      const rows = map.cores.flatMap((c, i) =>
        Array.from(c.row_source, (s, r) => ({ key: [s, c.row_plane ? c.row_plane[r] : 0, c.core], at: starts[i][r], n: c.row_ptr[r + 1] - c.row_ptr[r] })));
      rows.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2]);
      let at = 0;
      for (const row of rows) {
        expect(row.at).toBe(at);
        at += row.n;
      }
      expect(at).toBe(map.synapses.post.length);
    }
  });

  it.each(cases.slice(0, 2))('%s: the simulator serves from the table as stored, exactly what it would build from the cores', (_, options) => {
    const { map, target } = simMapFromNmap(body(options));
    expect(map.table).toBeDefined();
    const served = prepare(map, target).deliveries;
    const built = prepare({ ...map, table: undefined }, target).deliveries;
    expect(served.post).toBe(map.table!.post);
    expect(Array.from(served.post)).toEqual(Array.from(built.post));
    expect(served.weight).toEqual(built.weight);
    expect(served.code).toEqual(built.code);
  });

  it('writes the same bytes for the same map, arrays 8-byte aligned from a 64-byte aligned start', () => {
    const bytes = packNmap(body(cases[0][1]));
    expect(bytes.equals(packNmap(body(cases[0][1])))).toBe(true);
    fs.writeFileSync(file('m.nmap'), bytes);
    const offsets = typedArrays({ ...loadNmap(file('m.nmap')), cores: [] }).map((a) => a.byteOffset);
    expect(Math.min(...offsets) % 64).toBe(0);
    expect(offsets.filter((o) => o % 8 !== 0)).toEqual([]);
  });

  it('refuses version 1 files and damaged ones in one line', () => {
    fs.writeFileSync(file('old.nmap'), packContainer({ ...NMAP_KIND, version: 1 }, { cores: [] }));
    const old = errorOf(() => loadNmap(file('old.nmap')));
    expect(old).toMatch(/old\.nmap is a compiled map in format version 1, which this neuromap no longer reads \(it reads 2–3\): compile the model again/);
    expect(old).not.toMatch(/\n/);

    const good = body(cases[0][1]);
    const damaged = (name: string, change: (b: NmapBody) => NmapBody) => {
      fs.writeFileSync(file(name), packNmap(change({ ...good })));
      return errorOf(() => loadNmap(file(name)));
    };
    const short = (b: NmapBody): NmapBody => ({ ...b, synapses: { post: b.synapses.post.subarray(1), weight: b.synapses.weight.subarray(1) } });
    expect(damaged('short.nmap', short)).toMatch(/short\.nmap is not a valid compiled map: its cores' rows hold \d+ synapses, its synapse table \d+/);
    const badSource = (b: NmapBody): NmapBody => ({ ...b, cores: b.cores.map((c, i) => (i ? c : { ...c, row_source: c.row_source.map(() => 1e6) })) });
    expect(damaged('source.nmap', badSource)).toMatch(/core map 0 \(core \d+\) has malformed synapse rows/);

    const bytes = packNmap(good);
    fs.writeFileSync(file('cut.nmap'), bytes.subarray(0, bytes.length - 8));
    expect(errorOf(() => loadNmap(file('cut.nmap')))).toMatch(/cut\.nmap is not a compiled map \(\*\.nmap\): it is truncated/);
  });

  it('holds no per-core entries on disk: a loaded core gathers them on first use', () => {
    const compiled = body(cases[0][1]);
    fs.writeFileSync(file('m.nmap'), packNmap(compiled));
    const loaded: CompiledMap = loadNmap(file('m.nmap'));
    const descriptor = Object.getOwnPropertyDescriptor(loaded.cores[0], 'weight')!;
    expect(descriptor.get).toBeDefined();
    expect(loaded.cores[0].weight).toEqual(compiled.cores[0].weight);
    expect(Object.getOwnPropertyDescriptor(loaded.cores[0], 'weight')!.value).toBe(loaded.cores[0].weight);
  });
});
