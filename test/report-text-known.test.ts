/**
 * Known answers for the simulation report as text (simulator/report-text.ts): hand-made reports, every
 * figure distinct, and the exact lines a user reads, whole, so that a changed label, unit, rounding, column,
 * alignment or order shows. Each line is laid out by hand in the comments: SI values to 3 significant digits,
 * counts rounded with separators, tables padded to their widest cell (header included) with 2 spaces between
 * columns. Everything runs inside its test (Stryker credits only code run there).
 */
import type { CoreReport, SimReport } from '../simulator/report';
import { simulationText } from '../simulator/report-text';

/** A core's row from the fields the text reads; the rest do not show. */
function core(core: number, chip: number, x: number, y: number, population: string, units: number, busy_s: number, utilization: number,
  events_in: number, events_out: number, messages_out: number, energy_j: number, overruns: number): CoreReport {
  return { core, chip, x, y, population, units, busy_s, utilization, energy_j, synaptic_ops: 0, events_in, events_out, messages_out, active_updates: 0, idle_updates: 0, overruns, critical_steps: 0 };
}

/**
 * The report the text reads, barrier target, decoder on the host, 4 tokens. Per-core figures are run totals
 * (the table divides them by 4). In input order: core 5 (8 µs busy), core 7 and core 1 (12 µs each, a tie),
 * core 3 (4 µs): the busiest first, the tie by core id, three rows: cores 1, 7, 5.
 */
function handReport(): SimReport {
  const r = {
    model: 'hand', target: 'priced', arithmetic: 'int8', schedule: 'sequential', decoder: 'host', tokens: 4, steps: 5,
    perplexity: 12.3456, mean_activity: 0.123456,
    energy_per_token_j: 1.2345e-9, latency_per_token_s: 250e-9, latency_max_s: 456e-9, throughput_tokens_per_s: 987.65,
    macs: { effective_per_token: 1234.4, dense_per_token: 5678.6, reduction: 4.6 },
    synaptic_ops_per_token: 2345.5, packets_per_token: 56.4, messages_per_token: 78.5, delivery: 'per-destination-core', hops_per_token: 90.2,
    layers: [{ name: 'layer0', units: 4, events: 1234, activity: 0.375 }, { name: 'l1', units: 12, events: 5, activity: 0.02 }],
    breakdown: { synaptic: 150e-12, neuron: 22.5e-12, network: 330e-12, sync: 44e-12, static: 538e-12, host: 150e-12 },
    host_per_token: { busy_s: 60e-9, macs: 12.4, compute_energy_j: 100e-12, processor: 'dense-cpu' },
    timestep: { scheme: 'barrier', tick_s: null, ticks_per_step: 1, overrun_steps: 0, longest_step_work_s: 345e-9 },
    imbalance: { max_busy_s: 12e-6, mean_busy_s: 7e-6, ratio: 12 / 7, critical_core: 7, critical_share: 0.375 },
    overran_cores: [1, 7],
    per_core: [
      core(5, 0, 1, 0, 'layer0', 3, 8e-6, 0.25, 400, 6, 1234, 4e-9, 0),
      core(7, 1, 1, 1, 'l1', 12, 12e-6, 0.375, 9000, 1, 2, 20e-9, 1),
      core(1, 0, 0, 0, 'layer0', 1, 12e-6, 0.375, 10, 3, 4, 6e-9, 2),
      core(3, 0, 1, 1, 'layer0', 2, 4e-6, 0.125, 8, 8, 8, 2e-9, 0),
    ],
  };
  // The fields simulationText reads, no more (the others: per step, per token, NeuroBench, ... do not show).
  return r as unknown as SimReport;
}

/** The energy table's lines: from the line after its title to the blank line after it. */
const energyLines = (text: string) => text.slice(text.indexOf('energy per token\n') + 17).split('\n\n')[0].split('\n');

describe('simulation report as text', () => {
  it('prints every line of a barrier run whose busiest resource is a core', () => {
    expect(simulationText(handReport(), 3).split('\n')).toEqual([
      // perplexity 12.3456 to 2 decimals; 12.3456% to 1.
      'hand on priced (int8, sequential, decoder on host): 4 tokens, perplexity 12.35, mean activity 12.3%',
      // 1.2345 nJ → 1.23 nJ; 250 and 456 ns; 987.65 tokens/s to 3 digits → 988.
      'per token: 1.23 nJ, latency 250 ns (max 456 ns), throughput 988 tokens/s',
      // Counts rounded: 1234.4 → 1,234; 5678.6 → 5,679; 2345.5 → 2,346; 56.4 → 56; 78.5 → 79; 90.2 → 90.
      '           1,234 effective of 5,679 dense MACs (4.6×), 2,346 synaptic ops, 56 packets, 79 messages (per-destination-core), 90 hops',
      '',
      // Widths: layer 6 ("layer0"), units 5 (header), events 6 (header), activity last (unpadded); names left,
      // numbers right; 1234 events → 1,234; activities 37.5% and 2.0%.
      'layer   units  events  activity',
      '------  -----  ------  --------',
      'layer0      4   1,234  37.5%',
      'l1         12       5  2.0%',
      '',
      'energy per token',
      // Labels left (width 8, "synaptic"), joules right (width 7, "22.5 pJ"), notes left; a barrier target: sync.
      // Host: 150 pJ, of which 100 pJ for 12.4 → 12 MACs on the host's processor and 150 − 100 = 50.0 pJ of I/O.
      '  synaptic   150 pJ',
      '  neuron    22.5 pJ',
      '  network    330 pJ',
      '  sync      44.0 pJ  barriers',
      '  static     538 pJ',
      '  host       150 pJ  I/O 50.0 pJ + 12 MACs on dense-cpu 100 pJ',
      '  total     1.23 nJ',
      '',
      "timestep: barrier after each step's last activity; longest step's work 345 ns",
      '',
      // 4 cores; 12/7 = 1.714… → 1.71; core 7 in 37.5% of steps; the host 60 ns busy per token.
      'busiest cores (of 4), per token; imbalance max/mean busy 1.71; busiest resource core 7 in 37.5% of steps (host busy 60.0 ns per token)',
      // Per token (÷ 4): core 1: 12 µs → 3.00 µs, 10 in → 2.50, 3 out → 0.750, 4 messages → 1.00, 6 nJ → 1.50 nJ;
      // core 7: 3.00 µs, 9000 in → 2250 → 2,250 (from 100 per token up, a rounded count), 1 out → 0.250,
      // 2 → 0.500, 20 nJ → 5.00 nJ; core 5: 8 µs → 2.00 µs, 400 → 100, 6 → 1.50, 1234 → 308.5 → 309, 4 nJ → 1.00 nJ.
      // Widths are the headers' (util 5, "37.5%"); population left, every other column right.
      '  core  chip  x,y  population  units  busy/token   util  events in/token  out/token  messages/token  energy/token  overrun steps',
      '  ----  ----  ---  ----------  -----  ----------  -----  ---------------  ---------  --------------  ------------  -------------',
      '     1     0  0,0  layer0          1     3.00 µs  37.5%             2.50      0.750            1.00       1.50 nJ              2',
      '     7     1  1,1  l1             12     3.00 µs  37.5%            2,250      0.250           0.500       5.00 nJ              1',
      '     5     0  1,0  layer0          3     2.00 µs  25.0%              100       1.50             309       1.00 nJ              0',
    ]);
  });

  it('shows up to eight cores unless told otherwise: all four here, core 3, the least busy, last', () => {
    const lines = simulationText(handReport()).split('\n');
    expect(lines.slice(-4).map((l) => l.trim().split(/\s+/)[0])).toEqual(['1', '7', '5', '3']);
  });

  it('a fixed tick that steps overran, the host the busiest resource, no host-side layers: no sync row, I/O only', () => {
    const r = handReport();
    Object.assign(r, {
      timestep: { scheme: 'fixed-tick', tick_s: 100e-9, ticks_per_step: 5 / 3, overrun_steps: 3, longest_step_work_s: 230e-9 },
      breakdown: { ...r.breakdown, sync: 0 },
      host_per_token: { busy_s: 1.5e-6, macs: 0, compute_energy_j: 0, processor: null },
      imbalance: { ...r.imbalance, critical_core: 'host', critical_share: 0.4 },
    });
    const text = simulationText(r);
    // 3 of 5 steps; 2 overran cores; 5/3 = 1.666… → 1.67 ticks per step.
    expect(text.split('\n')).toContain(
      "timestep: fixed tick of 100 ns; 3 of 5 steps overran it (2 cores still busy at the tick), 1.67 ticks per step on average; longest step's work 230 ns (the shortest tick no step would overrun)");
    expect(text.split('\n')).toContain('busiest cores (of 4), per token; imbalance max/mean busy 1.71; busiest resource the host in 40.0% of steps (host busy 1.50 µs per token)');
    expect(energyLines(text)).toEqual([
      '  synaptic   150 pJ',
      '  neuron    22.5 pJ',
      '  network    330 pJ',
      '  static     538 pJ',
      '  host       150 pJ  I/O',
      '  total     1.23 nJ',
    ]);
  });

  it('a fixed tick no step overran', () => {
    const r = handReport();
    Object.assign(r, { timestep: { scheme: 'fixed-tick', tick_s: 2e-6, ticks_per_step: 1, overrun_steps: 0, longest_step_work_s: 1.5e-6 } });
    expect(simulationText(r).split('\n')).toContain("timestep: fixed tick of 2.00 µs; no step overran it; longest step's work 1.50 µs (the shortest tick no step would overrun)");
  });

  it('never hides sync energy: a barrier that costs nothing shows 0 J, sync energy off a barrier shows too', () => {
    const free = handReport();
    free.breakdown.sync = 0;
    expect(energyLines(simulationText(free))[3]).toBe('  sync          0 J  barriers');
    const ticking = handReport();
    Object.assign(ticking, { timestep: { ...ticking.timestep, scheme: 'fixed-tick', tick_s: 100e-9 } });
    expect(energyLines(simulationText(ticking))[3]).toBe('  sync      44.0 pJ  barriers');
  });
});
