/**
 * Perplexity against effective MACs per token, one point per finished sweep point, one colour per series:
 * the paper's quality/cost plot. A series is a line's `series`, else its settings other than the pruning
 * level (cell, layers, weight decay, target), else the sweep's file; points are labelled with their sparsity.
 */
import type { Sweep } from '../inputs';
import type { Plot } from '../plot';
import type { SweepLine } from '../schema';
import { CONFIG, WIDTH } from '../theme';

export interface SweepRow { series: string; label: string; perplexity: number; macs: number }

export function sweepRows(sweep: Sweep): SweepRow[] {
  return sweep.points.map((p) => ({
    series: p.series ?? describeSettings(p) ?? sweep.label,
    label: p.label ?? sparsityLabel(setting(p, 'sparsity')),
    // Both are present on every finished point (SweepLineSchema refuses a line without them).
    perplexity: p.perplexity as number,
    macs: (p.macs?.effective_per_token ?? p.effective_macs_per_token) as number,
  }));
}

export function sweepPlot(sweeps: Sweep[]): Plot | null {
  const rows = sweeps.flatMap(sweepRows);
  if (!rows.length) return null;
  const series = [...new Set(rows.map((r) => r.series))];
  // Both axes log: pruning levels spread MACs over decades, and a collapsed point's perplexity (thousands) would
  // flatten the differences that matter (a few percent) on a linear axis.
  const x = { field: 'macs', type: 'quantitative', scale: { type: 'log', nice: false, padding: 20 }, title: 'effective MACs per token (log scale)' } as const;
  const y = { field: 'perplexity', type: 'quantitative', scale: { type: 'log', nice: false, padding: 10 }, title: 'perplexity (log scale)' } as const;
  const color = { field: 'series', type: 'nominal', sort: series, title: null, legend: { orient: 'bottom', direction: 'vertical', labelLimit: 400 } } as const;
  return {
    id: 'sweep',
    title: 'Perplexity against effective MACs per token',
    caption: `${rows.length} sweep point${rows.length > 1 ? 's' : ''}${failedNote(sweeps)}: quality (lower perplexity is better) against the work a token costs. Labels give the pruning level.`,
    spec: {
      config: CONFIG,
      width: WIDTH,
      height: 300,
      data: { values: rows },
      encoding: { x, y, color },
      layer: [
        { mark: { type: 'line', strokeWidth: 1.5 }, encoding: { order: { field: 'macs', type: 'quantitative' } } },
        { mark: { type: 'point', filled: true, size: 50 } },
        { mark: { type: 'text', align: 'left', dx: 6, dy: -6, fontSize: 10 }, encoding: { text: { field: 'label', type: 'nominal' } } },
      ],
    },
  };
}

function failedNote(sweeps: Sweep[]): string {
  const failed = sweeps.reduce((a, s) => a + s.failed, 0);
  return failed ? ` (${failed} failed point${failed > 1 ? 's' : ''} left out)` : '';
}

type Setting = string | number | boolean | null | (string | number | boolean | null)[] | undefined;

function setting(p: SweepLine, key: string): Setting {
  const top = (p as Record<string, unknown>)[key] as Setting;
  return top ?? p.point?.[key] ?? p.params?.[key];
}

function describeSettings(p: SweepLine): string | undefined {
  const parts = [
    text(setting(p, 'cell')),
    text(setting(p, 'layers')),
    prefixed('wd ', setting(p, 'weight_decay')),
    prefixed('ap ', setting(p, 'activity_penalty') || undefined),
    prefixed('pruned per ', setting(p, 'prune_scope')),
    text(setting(p, 'target')),
  ].filter((s): s is string => !!s);
  return parts.length ? parts.join(' ') : undefined;
}

function text(v: Setting): string | undefined {
  if (v === undefined || v === null) return undefined;
  return Array.isArray(v) ? v.join(',') : String(v);
}

function prefixed(prefix: string, v: Setting): string | undefined {
  const t = text(v);
  return t === undefined ? undefined : prefix + t;
}

function sparsityLabel(v: Setting): string {
  if (typeof v !== 'number') return '';
  return `${Number((v <= 1 ? 100 * v : v).toFixed(1))}%`;
}
