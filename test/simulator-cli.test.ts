/**
 * `neuromap simulate`: OUT.json and its agreement with `neuromap eval` on the same model and text, the
 * Chrome trace, the dense baselines, determinism, and one-line errors for bad inputs and flags.
 */
import * as fs from 'fs';
import * as path from 'path';
import yargs from 'yargs';
import { runSimulate, simulateCommand, type SimulateArgs } from '../cli/commands/simulate';
import { compile, saveNmap } from '../compiler';
import { UserError } from '../models/config';
import { encodeTextFile } from '../models/data';
import { evaluate } from '../models/evaluate';
import { saveModel } from '../models/file';
import type { LanguageModel } from '../models/model';
import { loadTarget } from '../targets/load';
import { fixtureConfig, randomModel } from './fixtures/model';
import { useTempDir } from './fixtures/tmp';

const tmp = useTempDir();
const file = (name: string) => path.join(tmp(), name);
const read = (name: string) => JSON.parse(fs.readFileSync(file(name), 'utf8'));

function model(): LanguageModel {
  const m = randomModel(fixtureConfig({ layers: [9, 7] }), { sparsity: 0.5, seed: 3 });
  for (const [name, t] of Object.entries(m.params)) if (name.endsWith('.thr')) t.data.fill(0.05);
  return m;
}

function args(overrides: Partial<SimulateArgs> = {}): SimulateArgs {
  return { file: file('m.nmap'), text: file('t.txt'), split: 'test', 'sim-tokens': 0, schedule: 'sequential', ...overrides };
}

describe('neuromap simulate', () => {
  beforeEach(() => {
    const m = model();
    saveModel(file('m.egru'), m);
    saveNmap(file('m.nmap'), compile(m, loadTarget('tiny'), { modelName: 'm.egru' }));
    fs.writeFileSync(file('t.txt'), 'w2 w3 w4 w5 w6 w7\nw8 w9 w10 w11 w2 w3 w4\nw5 w5 w6 w2\n');
  });

  it('writes OUT.json whose outputs equal eval on the same model and text', () => {
    const text = runSimulate(args({ json: file('out.json') }));
    expect(text).toMatch(/m\.egru on tiny \(fp32, sequential, decoder on chip\): 19 tokens, perplexity/);
    const out = read('out.json');
    // The ratio the way a reader says it: the larger energy over the smaller, "less" or "more".
    for (const b of out.baselines as { baseline: string; energy_per_token_j: number }[]) {
      const [ratio, word] = b.energy_per_token_j > out.energy_per_token_j ? [b.energy_per_token_j / out.energy_per_token_j, 'less'] : [out.energy_per_token_j / b.energy_per_token_j, 'more'];
      expect(text).toContain(`  ${b.baseline}: `);
      expect(text).toMatch(new RegExp(`${b.baseline}: .*/token: tiny spends ${Number(ratio.toPrecision(3))}× ${word} energy per token than ${b.baseline}\n`));
    }
    expect(text).not.toMatch(/× the simulated energy/);
    const m = model();
    const want = evaluate(m.config, m.params, encodeTextFile(file('t.txt'), m.vocab));
    expect(out.tokens).toBe(want.tokens);
    expect(out.perplexity).toBeCloseTo(want.perplexity, 4);
    expect(out.layers.map((l: { events: number }) => l.events)).toEqual(want.layers.map((l) => l.events));
    expect(out.macs.effective_per_token).toBe(want.macs.effective_per_token);
    expect(out.macs.dense_per_token).toBe(want.macs.dense_per_token);
    for (const key of ['energy_per_token_j', 'breakdown', 'latency_per_token_s', 'throughput_tokens_per_s', 'packets_per_token', 'hops_per_token', 'per_core', 'imbalance'])
      expect(out).toHaveProperty(key);
    expect(out.baselines.map((b: { baseline: string }) => b.baseline)).toEqual(['dense-cpu', 'dense-gpu']);
  });

  it('reports what int8 costs in perplexity against the fp32 model next to the map, or the one --model names', () => {
    saveNmap(file('q.nmap'), compile(model(), loadTarget('tiny'), { modelName: 'm.egru', arith: 'int8' }));
    const text = runSimulate(args({ file: file('q.nmap'), json: file('q.json') }));
    const out = read('q.json');
    const m = model();
    const fp32 = evaluate(m.config, m.params, encodeTextFile(file('t.txt'), m.vocab));
    expect(out.quantisation.reference).toBe(file('m.egru'));
    expect(out.quantisation.fp32_perplexity).toBeCloseTo(fp32.perplexity, 6);
    expect(out.quantisation.perplexity).toBe(out.perplexity);
    expect(out.quantisation.ratio).toBeCloseTo(out.perplexity / fp32.perplexity, 12);
    expect(text).toMatch(/quantisation \(int8\): perplexity .* against .* for the fp32 model/);
    // Without the model next to the map: a note says how to get the figure.
    fs.renameSync(file('m.egru'), file('elsewhere.egru'));
    expect(runSimulate(args({ file: file('q.nmap') }))).toMatch(/pass --model with the fp32 model m\.egru/);
    expect(runSimulate(args({ file: file('q.nmap'), model: file('elsewhere.egru') }))).toMatch(/quantisation \(int8\)/);
    // A model of another shape is refused in one line.
    saveModel(file('other.egru'), randomModel(fixtureConfig({ layers: [4] }), { seed: 1 }));
    expect(() => runSimulate(args({ file: file('q.nmap'), model: file('other.egru') }))).toThrow(/is not the model .* was compiled from/);
  });

  it('--tick runs a fixed-tick target with another tick, and is refused where it means nothing', () => {
    saveNmap(file('s2.nmap'), compile(model(), loadTarget('spinnaker2'), { modelName: 'm.egru' }));
    runSimulate(args({ file: file('s2.nmap'), json: file('t1.json') }));
    runSimulate(args({ file: file('s2.nmap'), json: file('t2.json'), tick: 2e-3 }));
    const [t1, t2] = [read('t1.json'), read('t2.json')];
    expect(t1.timestep).toMatchObject({ scheme: 'fixed-tick', tick_s: 1e-3, overrun_steps: 0 });
    expect(t2.timestep).toMatchObject({ scheme: 'fixed-tick', tick_s: 2e-3, overrun_steps: 0 });
    // The same work over twice the time: static energy doubles, nothing else changes.
    expect(t2.breakdown.static).toBeCloseTo(2 * t1.breakdown.static, 12);
    expect(t2.breakdown.synaptic).toBe(t1.breakdown.synaptic);
    expect(t2.perplexity).toBe(t1.perplexity);
    expect(() => runSimulate(args({ file: file('s2.nmap'), tick: 0 }))).toThrow(/--tick must be a positive number of seconds/);
    expect(() => runSimulate(args({ tick: 1e-3 }))).toThrow(/whose steps end at a barrier, not a tick/);
  });

  it('is deterministic, and --sim-tokens stops early', () => {
    runSimulate(args({ json: file('a.json') }));
    runSimulate(args({ json: file('b.json') }));
    const strip = (o: Record<string, unknown>) => ({ ...o, wall_s: 0, synaptic_events_per_wall_s: 0 });
    expect(strip(read('b.json'))).toEqual(strip(read('a.json')));
    runSimulate(args({ json: file('c.json'), 'sim-tokens': 5, schedule: 'pipelined' }));
    const c = read('c.json');
    expect(c.tokens).toBe(5);
    expect(c.per_token.log_prob).toEqual(read('a.json').per_token.log_prob.slice(0, 5).map((x: number) => expect.closeTo(x, 12)));
  });

  it('writes a Chrome trace: a track per core, per link used, the host and the steps', () => {
    runSimulate(args({ trace: file('trace.json'), json: file('o.json'), 'sim-tokens': 4 }));
    const trace = read('trace.json');
    const threads = trace.traceEvents.filter((e: { ph: string; name: string }) => e.ph === 'M' && e.name === 'thread_name').map((e: { args: { name: string } }) => e.args.name);
    expect(threads.filter((n: string) => n.startsWith('core ')).length).toBe(read('o.json').per_core.length);
    expect(threads.some((n: string) => /^router \d+ → (east|west|north|south)$/.test(n))).toBe(true);
    expect(threads).toEqual(expect.arrayContaining(['host I/O', 'timesteps']));
    const slices = trace.traceEvents.filter((e: { ph: string }) => e.ph === 'X');
    expect(slices.every((e: { ts: number; dur: number }) => e.ts >= 0 && e.dur >= 0)).toBe(true);
    expect(slices.filter((e: { name: string }) => e.name.startsWith('step ')).length).toBe(4);
  });

  it('gives the dense baseline of a model file', () => {
    const text = runSimulate(args({ file: file('m.egru'), target: 'dense-gpu', json: file('gpu.json') }));
    expect(text).toMatch(/m\.egru densely on dense-gpu/);
    const gpu = read('gpu.json');
    expect(gpu.dense_macs_per_token).toBe(825);
    expect(gpu.tokens).toBe(19);
    expect(gpu.energy_per_token_j).toBeCloseTo(gpu.breakdown.compute + gpu.breakdown.memory + gpu.breakdown.static, 18);
    expect(gpu.assumptions.dram_bytes_per_s.source).toMatch(/a100/);
  });

  it('gives the dense baseline of a shipped model named pretrained:NAME', () => {
    fs.writeFileSync(file('en.txt'), 'the man said that the day was long\n');
    runSimulate(args({ file: 'pretrained:brown-egru-p80', target: 'dense-cpu', text: file('en.txt'), 'sim-tokens': 5, json: file('p80.json') }));
    const cpu = read('p80.json');
    // pretrained/README.md's card: 4,329,472 dense MACs per token (the same shapes with or without pruning).
    expect(cpu.dense_macs_per_token).toBe(4329472);
    expect(cpu.tokens).toBe(5);
  });

  it('refuses bad inputs and flags in one line', () => {
    const line = (f: () => unknown, re: RegExp) => {
      expect(f).toThrow(UserError);
      expect(f).toThrow(re);
    };
    line(() => runSimulate(args({ target: 'loihi2' })), /compiled for target tiny, not loihi2/);
    line(() => runSimulate(args({ text: undefined })), /not trained on the embedded Brown corpus.*pass --data DIR or --text FILE/);
    fs.writeFileSync(file('empty.txt'), '\n');
    line(() => runSimulate(args({ text: file('empty.txt') })), /has no tokens/);
    fs.writeFileSync(file('one.txt'), 'w2');
    expect(() => runSimulate(args({ text: file('one.txt') }))).not.toThrow(); // w2 <eos>: one token to predict
    line(() => runSimulate(args({ 'sim-tokens': -1 })), /--sim-tokens must be a non-negative integer/);
    line(() => runSimulate(args({ file: file('m.egru') })), /is a model: pass --target dense-cpu\|dense-gpu/);
    line(() => runSimulate(args({ file: file('m.egru'), target: 'dense-tpu' })), /unknown baseline "dense-tpu"/);
    line(() => runSimulate(args({ file: file('m.egru'), target: 'dense-gpu', schedule: 'pipelined' })), /apply to compiled maps/);
    line(() => runSimulate(args({ file: file('t.txt') })), /t\.txt/);
  });

  it('parses its command line through yargs', async () => {
    const out: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
    try {
      await yargs(['simulate', file('m.nmap'), '--text', file('t.txt'), '--schedule', 'pipelined', '--max-tokens', '3'])
        .command(simulateCommand)
        .strict()
        .parseAsync();
    } finally {
      write.mockRestore();
    }
    expect(out.join('')).toMatch(/\(fp32, pipelined, decoder on chip\): 3 tokens/);
  });
});
