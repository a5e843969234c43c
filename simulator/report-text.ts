/** The simulation report as terminal tables: headline, layers, energy breakdown, the busiest cores. */
import { formatCount, formatPercent, formatTable } from '../format/table';
import { si } from '../format/si';
import type { SimReport } from './report';

const count = (x: number) => formatCount(Math.round(x));

export function simulationText(r: SimReport, coreRows = 8): string {
  const e = r.breakdown;
  const cores = [...r.per_core].sort((a, b) => b.busy_s - a.busy_s || a.core - b.core).slice(0, coreRows);
  // The per-core figures are the run's totals (OUT.json); the table shows them per token, as its headline says.
  const per = (x: number) => x / Math.max(1, r.tokens);
  const perCount = (x: number) => { const v = per(x); return v >= 100 ? count(v) : v.toPrecision(3); };
  return [
    `${r.model} on ${r.target} (${r.arithmetic}, ${r.schedule}, decoder on ${r.decoder}): ${r.tokens} tokens, perplexity ${r.perplexity.toFixed(2)}, ` +
      `mean activity ${formatPercent(r.mean_activity)}`,
    `per token: ${si(r.energy_per_token_j, 'J')}, latency ${si(r.latency_per_token_s, 's')} (max ${si(r.latency_max_s, 's')}), ` +
      `throughput ${r.throughput_tokens_per_s.toPrecision(3)} tokens/s`,
    `           ${count(r.macs.effective_per_token)} effective of ${count(r.macs.dense_per_token)} dense MACs (${r.macs.reduction.toFixed(1)}×), ` +
      `${count(r.synaptic_ops_per_token)} synaptic ops, ${count(r.packets_per_token)} packets, ${count(r.messages_per_token)} messages (${r.delivery}), ${count(r.hops_per_token)} hops`,
    '',
    formatTable(r.layers.map((l) => [l.name, l.units, l.events, formatPercent(l.activity)]), { header: ['layer', 'units', 'events', 'activity'] }),
    '',
    'energy per token\n' + energyTable(r),
    '',
    timestepLine(r),
    '',
    `busiest cores (of ${r.per_core.length}), per token; imbalance max/mean busy ${r.imbalance.ratio.toFixed(2)}; busiest resource ${r.imbalance.critical_core === 'host' ? 'the host' : `core ${r.imbalance.critical_core}`} ` +
      `in ${formatPercent(r.imbalance.critical_share)} of steps (host busy ${si(r.host_per_token.busy_s, 's')} per token)` + '\n' +
      formatTable(cores.map((c) => [
        c.core, c.chip, `${c.x},${c.y}`, c.population, c.units, si(per(c.busy_s), 's'), formatPercent(c.utilization),
        perCount(c.events_in), perCount(c.events_out), perCount(c.messages_out), si(per(c.energy_j), 'J'), c.overruns,
      ]), {
        header: ['core', 'chip', 'x,y', 'population', 'units', 'busy/token', 'util', 'events in/token', 'out/token', 'messages/token', 'energy/token', 'overrun steps'], indent: 2,
        align: ['right', 'right', 'right', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
      }),
  ].join('\n');
}

/**
 * The energy table: part, joules, and what the part holds where it needs saying, in a column of its own so the
 * joules stay aligned. Synchronisation only on a target whose steps end at a barrier (a fixed tick has none).
 */
function energyTable(r: SimReport): string {
  const e = r.breakdown, h = r.host_per_token;
  const rows: string[][] = [
    ['synaptic', si(e.synaptic, 'J'), ''], ['neuron', si(e.neuron, 'J'), ''], ['network', si(e.network, 'J'), ''],
    ...(r.timestep.scheme === 'barrier' || e.sync > 0 ? [['sync', si(e.sync, 'J'), 'barriers']] : []),
    ['static', si(e.static, 'J'), ''],
    ['host', si(e.host, 'J'), h.processor ? `I/O ${si(e.host - h.compute_energy_j, 'J')} + ${count(h.macs)} MACs on ${h.processor} ${si(h.compute_energy_j, 'J')}` : 'I/O'],
    ['total', si(r.energy_per_token_j, 'J'), ''],
  ];
  // formatTable ends every line at its last character: the rows with no note carry no trailing spaces.
  return formatTable(rows, { indent: 2, align: ['left', 'right', 'left'] });
}

function timestepLine(r: SimReport): string {
  const t = r.timestep;
  const longest = `longest step's work ${si(t.longest_step_work_s, 's')}`;
  if (t.tick_s === null) return `timestep: barrier after each step's last activity; ${longest}`;
  const over = t.overrun_steps
    ? `${t.overrun_steps} of ${r.steps} steps overran it (${r.overran_cores.length} cores still busy at the tick), ${t.ticks_per_step.toFixed(2)} ticks per step on average`
    : 'no step overran it';
  return `timestep: fixed tick of ${si(t.tick_s, 's')}; ${over}; ${longest} (the shortest tick no step would overrun)`;
}
