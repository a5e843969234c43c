/**
 * CSV outputs: the shared writer's RFC 4180 quoting (format/csv.ts), and `eval --csv`,
 * `simulate --csv/--csv-steps` read back with an independent reader and checked against the JSON of the same run.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runSimulate } from '../cli/commands/simulate';
import { compile, saveNmap } from '../compiler';
import { csvText } from '../format/csv';
import { saveModel } from '../models/file';
import { loadTarget } from '../targets/load';
import { runCli } from './helpers/cli';
import { parseCsv } from './helpers/csv';
import { fixtureConfig, randomModel } from './fixtures/model';
import { useTempDir } from './fixtures/tmp';

const tmp = useTempDir();
const file = (name: string) => path.join(tmp(), name);
const read = (name: string) => fs.readFileSync(file(name), 'utf8');
/** A CSV field as the number it holds; an empty field as undefined. */
const num = (cell: string) => (cell === '' ? undefined : Number(cell));

describe('the CSV writer', () => {
  it('quotes as RFC 4180 says, ends records in CRLF, and takes columns in order of first appearance', () => {
    const text = csvText([
      { name: 'plain', value: 1.5e-7 },
      { name: 'a, b', value: -2, extra: 'say "hi"' },
      { name: 'two\nlines', value: null, extra: 'cr\r' },
    ]);
    expect(text).toBe('name,value,extra\r\nplain,1.5e-7,\r\n"a, b",-2,"say ""hi"""\r\n"two\nlines",,"cr\r"\r\n');
    expect(parseCsv(text)).toEqual([
      { name: 'plain', value: '1.5e-7', extra: '' },
      { name: 'a, b', value: '-2', extra: 'say "hi"' },
      { name: 'two\nlines', value: '', extra: 'cr\r' },
    ]);
  });
});

describe('eval and simulate --csv, against their JSON', () => {
  beforeEach(() => {
    const m = randomModel(fixtureConfig({ layers: [9, 7] }), { sparsity: 0.5, seed: 3 });
    for (const [name, t] of Object.entries(m.params)) if (name.endsWith('.thr')) t.data.fill(0.05);
    saveModel(file('m.egru'), m);
    saveNmap(file('m.nmap'), compile(m, loadTarget('tiny'), { modelName: 'm.egru' }));
    fs.writeFileSync(file('t.txt'), 'w2 w3 w4 w5 w6 w7\nw8 w9 w10 w11 w2 w3 w4\nw5 w5 w6 w2\n');
  });

  it('eval --csv: one row per layer with MACs: the EGRU layers’ activity, then the decoder', async () => {
    const run = await runCli(['eval', file('m.egru'), '--text', file('t.txt'), '--json', file('e.json'), '--csv', file('e.csv')]);
    expect(run.status).toBe(0);
    const json = JSON.parse(read('e.json'));
    const rows = parseCsv(read('e.csv'));
    expect(Object.keys(rows[0])).toEqual(['layer', 'name', 'units', 'events', 'activity', 'macs_dense', 'macs_effective', 'macs_reduction']);
    // Two EGRU layers of 9 and 7 units, then the (untied) decoder: three rows of MACs, two of them with events.
    expect(rows.map((r) => r.name)).toEqual(['layer0', 'layer1', 'decoder']);
    expect(rows.map((r) => num(r.units))).toEqual([9, 7, undefined]);
    json.layers.forEach((l: { layer: number; units: number; events: number; activity: number }, i: number) => {
      expect(num(rows[i].layer)).toBe(l.layer);
      expect(num(rows[i].events)).toBe(l.events);
      expect(num(rows[i].activity)).toBe(l.activity);
    });
    json.macs.by_layer.forEach((m: { dense: number; effective: number; reduction: number }, i: number) => {
      expect(num(rows[i].macs_dense)).toBe(m.dense);
      expect(num(rows[i].macs_effective)).toBe(m.effective);
      expect(num(rows[i].macs_reduction)).toBe(m.reduction);
    });
    // layer0's dense MACs per token: input 6 × 27 (3 gates × 9 units) + recurrent 9 × 27 = 405.
    expect(num(rows[0].macs_dense)).toBe(405);
  });

  it('simulate --csv (per core) and --csv-steps (per step), written with the JSON or not at all', () => {
    const args = { file: file('m.nmap'), text: file('t.txt'), split: 'test' as const, 'sim-tokens': 0, schedule: 'sequential' as const };
    const text = runSimulate({ ...args, json: file('s.json'), csv: file('cores.csv'), 'csv-steps': file('steps.csv') });
    expect(text).toContain(`wrote ${file('s.json')}, ${file('cores.csv')}, ${file('steps.csv')}`);
    const json = JSON.parse(read('s.json'));
    const cores = parseCsv(read('cores.csv'));
    expect(cores).toHaveLength(json.per_core.length);
    expect(Object.keys(cores[0])).toEqual(Object.keys(json.per_core[0]));
    json.per_core.forEach((c: Record<string, number | string>, i: number) => {
      for (const [key, value] of Object.entries(c)) expect(typeof value === 'number' ? num(cores[i][key]) : cores[i][key]).toBe(value);
    });
    const steps = parseCsv(read('steps.csv'));
    // 17 words over 3 lines, each line ending in <eos>: 20 tokens, 19 predicted, one step each (sequential).
    expect(steps).toHaveLength(19);
    expect(json.steps).toBe(19);
    expect(Object.keys(steps[0])).toEqual(['step', 'energy_j', 'synaptic_ops', 'packets', 'duration_s']);
    steps.forEach((s, k) => {
      expect(num(s.step)).toBe(k);
      for (const key of ['energy_j', 'synaptic_ops', 'packets', 'duration_s']) expect(num(s[key])).toBe(json.per_step[key][k]);
    });
    // An output folder that is missing is refused before the run; nothing is written.
    expect(() => runSimulate({ ...args, json: file('s2.json'), csv: file('no/cores.csv') })).toThrow(/--csv .*no\/cores\.csv/);
    expect(fs.existsSync(file('s2.json'))).toBe(false);
  });
});
