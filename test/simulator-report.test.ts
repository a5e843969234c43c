/**
 * The simulation report (OUT.json): the contract's fields, and that its numbers agree with each other and
 * with the run: energy parts add up, per-core figures sum to the totals, imbalance and critical path follow
 * from the per-core busy times, schedules change time but not results, fixed ticks report overruns.
 */
import { compile, nmapBody } from '../compiler';
import { evaluate } from '../models/evaluate';
import type { LanguageModel } from '../models/model';
import { loadTarget } from '../targets/load';
import type { Target } from '../targets/schema';
import { simulationReport } from '../simulator/report';
import { simulationText } from '../simulator/report-text';
import { hostMacCost } from '../simulator/baseline';
import { loadBaseline } from '../targets/baseline-schema';
import { HOST_PROCESSOR, runModel } from '../simulator/run-model';
import type { Schedule } from '../simulator/schedule';
import { fixtureConfig, randomModel } from './fixtures/model';

/** The processor that runs host-side layers, as the CLI passes it. */
const onHost = { hostProcessor: loadBaseline(HOST_PROCESSOR) };

const tiny = loadTarget('tiny');
const ids = Int32Array.from({ length: 31 }, (_, i) => (i * 7 + 2 + (i >> 1)) % 12);

function model(): LanguageModel {
  const m = randomModel(fixtureConfig({ layers: [7, 5] }), { sparsity: 0.4, seed: 11 });
  for (const [name, t] of Object.entries(m.params)) if (name.endsWith('.thr')) t.data.fill(0.05);
  return m;
}

function report(schedule: Schedule, target: Target = tiny, decoder: 'chip' | 'host' = 'chip') {
  const nmap = nmapBody(compile(model(), target, { arith: 'fp32', decoder }));
  return simulationReport(nmap, runModel(nmap, ids, { schedule, ...onHost }), 'm.nmap');
}

// Each test makes its own report: Stryker credits only code run inside a test (see test/README.md).
describe('simulation report', () => {

  it('holds the fields of the CLI contract', () => {
    const seq = report('sequential');
    for (const key of ['tokens', 'perplexity', 'layers', 'macs', 'energy_per_token_j', 'breakdown', 'latency_per_token_s', 'throughput_tokens_per_s',
      'packets_per_token', 'hops_per_token', 'per_core', 'imbalance'])
      expect(seq).toHaveProperty(key);
    for (const key of ['dense_per_token', 'effective_per_token', 'by_projection']) expect(seq.macs).toHaveProperty(key);
    for (const l of seq.layers) for (const key of ['units', 'events', 'activity']) expect(l).toHaveProperty(key);
    for (const c of seq.per_core) for (const key of ['busy_s', 'energy_j', 'events_in', 'events_out']) expect(c).toHaveProperty(key);
    expect(JSON.parse(JSON.stringify(seq))).toEqual(seq);
  });

  it('computes what eval computes', () => {
    const seq = report('sequential');
    const m = model();
    const want = evaluate(m.config, m.params, ids);
    expect(seq.tokens).toBe(want.tokens);
    expect(seq.perplexity).toBeCloseTo(want.perplexity, 4);
    expect(seq.layers.map((l) => l.events)).toEqual(want.layers.map((l) => l.events));
    expect(seq.macs.effective_per_token).toBe(want.macs.effective_per_token);
    expect(seq.per_token.log_prob).toHaveLength(seq.tokens);
    expect(seq.per_token.events_by_layer.reduce((a, e) => a + e[0], 0)).toBe(seq.layers[0].events);
  });

  it('adds up: energy parts, per-step energy, per-core operations', () => {
    const seq = report('sequential');
    const b = seq.breakdown;
    expect(b.synaptic + b.neuron + b.network + b.sync + b.static + b.host).toBeCloseTo(seq.energy_per_token_j, 18);
    expect(seq.per_step.energy_j.reduce((a, x) => a + x, 0) / seq.tokens).toBeCloseTo(seq.energy_per_token_j, 18);
    const sum = (f: (c: (typeof seq.per_core)[number]) => number) => seq.per_core.reduce((a, c) => a + f(c), 0);
    expect(sum((c) => c.synaptic_ops) / seq.tokens).toBeCloseTo(seq.synaptic_ops_per_token, 9);
    // Graded events travel one packet each: spikes sent equal events emitted.
    expect(seq.spikes_per_token).toBeCloseTo(seq.events_per_token, 9);
    expect(sum((c) => c.events_out) / seq.tokens).toBeCloseTo(seq.events_per_token, 9);
    // Every delivered packet copy is served: events in ≥ events out (multicast), and none are lost.
    expect(sum((c) => c.events_in)).toBeGreaterThanOrEqual(sum((c) => c.events_out) - seq.tokens * seq.host_events_per_token.received);
    const busy = seq.per_core.map((c) => c.busy_s);
    const mean = busy.reduce((a, x) => a + x, 0) / busy.length;
    expect(seq.imbalance.ratio).toBeCloseTo(Math.max(...busy) / mean, 12);
    expect(seq.imbalance.ratio).toBeGreaterThanOrEqual(1);
    const critical = seq.imbalance.critical_core;
    if (critical !== 'host') expect(seq.per_core.find((c) => c.core === critical)!.critical_steps).toBe(Math.max(...seq.per_core.map((c) => c.critical_steps)));
    expect(seq.latency_per_token_s).toBeGreaterThan(0);
    expect(seq.throughput_tokens_per_s).toBeCloseTo(seq.tokens / seq.simulated_s, 6);
    expect(simulationText(seq)).toMatch(/perplexity/);
  });

  it('prints the per-core table per token, sync only where steps end at a barrier, and the energy column aligned', () => {
    const seq = report('sequential');
    // One core over 10 tokens: busy 20 µs, 5 µJ, 30 deliveries served, 1,234 events and 2,000 messages sent in the run:
    // per token 2.00 µs, 500 nJ, 3.00 events in, 123 out, 200 messages.
    const core = { ...seq.per_core[0], busy_s: 20e-6, energy_j: 5e-6, events_in: 30, events_out: 1234, messages_out: 2000, overruns: 0 };
    const text = simulationText({ ...seq, tokens: 10, per_core: [core] });
    const row = text.split('\n').find((l) => l.includes(core.population) && /µs/.test(l))!;
    expect(row).toMatch(/\s2\.00 µs\s+[\d.]+%\s+3\.00\s+123\s+200\s+500 nJ\s+0$/);
    expect(text).toMatch(/busiest cores \(of 1\), per token/);
    expect(text).toMatch(/busy\/token .* energy\/token/);

    const energyLines = (t: string) => t.slice(t.indexOf('energy per token\n') + 17).split('\n\n')[0].split('\n');
    // tiny ends its steps at a barrier: a sync line. A fixed-tick target has no barrier: none.
    expect(energyLines(simulationText(seq)).some((l) => /^\s+sync\s/.test(l))).toBe(seq.timestep.scheme === 'barrier');
    const ticking: Target = { ...tiny, timestep: { scheme: 'fixed-tick', tick_s: { value: 1e-3, source: 'assumption: test' } } };
    const lines = energyLines(simulationText(report('sequential', ticking, 'host')));
    expect(lines.some((l) => /sync/.test(l))).toBe(false);
    // Every joule figure ends in the same column, the host's included, with its note after it.
    const ends = lines.map((l) => l.search(/J(\s|$)/));
    expect(lines.map((l) => l.trim().split(/\s+/)[0])).toEqual(['synaptic', 'neuron', 'network', 'static', 'host', 'total']);
    expect(new Set(ends).size).toBe(1);
    expect(lines.find((l) => l.trim().startsWith('host'))).toMatch(/J\s+I\/O [\d.]+ [mµnp]?J \+ [\d,]+ MACs on dense-cpu/);
  });

  it('pipelined: same results, layers overlap, so more tokens per second and longer latency per token', () => {
    const seq = report('sequential');
    const pipe = report('pipelined');
    expect(pipe.steps).toBeGreaterThan(seq.steps);
    expect(pipe.perplexity).toBeCloseTo(seq.perplexity, 10);
    expect(pipe.layers.map((l) => l.events)).toEqual(seq.layers.map((l) => l.events));
    expect(pipe.macs.effective_per_token).toBe(seq.macs.effective_per_token);
    expect(pipe.throughput_tokens_per_s).toBeGreaterThan(seq.throughput_tokens_per_s);
    expect(pipe.latency_per_token_s).toBeGreaterThan(seq.latency_per_token_s);
  });

  it('reports the cores that overrun a fixed tick', () => {
    const ticking: Target = { ...tiny, name: 'tiny', timestep: { scheme: 'fixed-tick', tick_s: { value: 50e-9, source: 'assumption: a tick too short on purpose' } } };
    const r = report('sequential', ticking);
    expect(r.overran_cores.length).toBeGreaterThan(0);
    expect(r.per_core.filter((c) => c.overruns > 0).map((c) => c.core)).toEqual(r.overran_cores);
    expect(r.breakdown.sync).toBe(0);
    expect(r.timestep.overrun_steps).toBeGreaterThan(0);
    expect(r.timestep.ticks_per_step).toBeGreaterThan(1);
    // Overrunning steps take whole ticks: simulated time is a multiple of the tick, and no token waits behind another.
    expect(r.simulated_s / 50e-9).toBeCloseTo(Math.round(r.simulated_s / 50e-9), 6);
    expect(r.latency_max_s).toBeLessThanOrEqual(r.timestep.longest_step_work_s + 1e-15);
    expect(simulationText(r)).toMatch(/steps overran it/);
  });

  it('charges a host-side decoder: its MACs on the host processor, in the host energy and the host busy time', () => {
    const r = report('sequential', tiny, 'host');
    const cpu = loadBaseline('dense-cpu');
    const perMac = hostMacCost(cpu, r.macs.by_projection.find((p) => p.name === 'decoder')!.dense);
    const decoder = r.macs.by_projection.find((p) => p.name === 'decoder')!;
    expect(r.host_per_token.processor).toBe('dense-cpu');
    expect(r.host_per_token.macs).toBeCloseTo(decoder.effective, 9);
    expect(r.host_per_token.macs).toBeGreaterThan(0);
    expect(r.host_per_token.compute_energy_j).toBeCloseTo(decoder.effective * perMac.energy, 18);
    const io = (r.host_events_per_token.injected + r.host_events_per_token.received) * loadTarget('tiny').costs.host_io_event.energy_j.value;
    expect(r.breakdown.host).toBeCloseTo(io + r.host_per_token.compute_energy_j, 18);
    const ioTime = (r.host_events_per_token.injected + r.host_events_per_token.received) * loadTarget('tiny').costs.host_io_event.latency_s.value;
    expect(r.host_per_token.busy_s).toBeCloseTo(ioTime + decoder.effective * perMac.latency, 15);
    // On chip, the host does no MACs of its own.
    expect(report('sequential').host_per_token).toMatchObject({ macs: 0, compute_energy_j: 0, processor: null });
  });
});
