/** The simulation report as terminal tables: headline, layers, energy breakdown, the busiest cores. */
import { formatCount, formatPercent, formatTable } from '../format/table';
import { si } from '../format/si';
import type { SimReport } from './report';

const count = (x: number) => formatCount(Math.round(x));

export function simulationText(r: SimReport, coreRows = 8): string {
  const e = r.breakdown;
  const cores = [...r.per_core].sort((a, b) => b.busy_s - a.busy_s || a.core - b.core).slice(0, coreRows);
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
    'energy per token\n' + formatTable(
      [['synaptic', si(e.synaptic, 'J')], ['neuron', si(e.neuron, 'J')], ['network', si(e.network, 'J')], ['sync', si(e.sync, 'J')],
        ['static', si(e.static, 'J')], ['host', si(e.host, 'J') + hostNote(r)], ['total', si(r.energy_per_token_j, 'J')]],
      { indent: 2, align: ['left', 'right'] },
    ),
    '',
    timestepLine(r),
    '',
    `busiest cores (of ${r.per_core.length}); imbalance max/mean busy ${r.imbalance.ratio.toFixed(2)}; busiest resource ${r.imbalance.critical_core === 'host' ? 'the host' : `core ${r.imbalance.critical_core}`} ` +
      `in ${formatPercent(r.imbalance.critical_share)} of steps (host busy ${si(r.host_per_token.busy_s, 's')} per token)` + '\n' +
      formatTable(cores.map((c) => [c.core, c.chip, `${c.x},${c.y}`, c.population, c.units, si(c.busy_s, 's'), formatPercent(c.utilization), c.events_in, c.events_out, c.messages_out, si(c.energy_j, 'J'), c.overruns]), {
        header: ['core', 'chip', 'x,y', 'population', 'units', 'busy', 'util', 'events in', 'out', 'messages', 'energy', 'overruns'], indent: 2,
        align: ['right', 'right', 'right', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
      }),
  ].join('\n');
}

/** What the host line of the energy table holds besides I/O: the host-side decoder's compute. */
function hostNote(r: SimReport): string {
  const h = r.host_per_token;
  return h.processor ? `  (I/O ${si(r.breakdown.host - h.compute_energy_j, 'J')} + ${count(h.macs)} MACs on ${h.processor} ${si(h.compute_energy_j, 'J')})` : '  (I/O)';
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
