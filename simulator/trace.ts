/**
 * The timeline of a run in the Chrome trace-event format (opens in Perfetto or chrome://tracing): one
 * track per core (grouped by chip), one per link that carried a packet, one for the host's I/O and one
 * for the timesteps. The engine reports busy intervals through the Tracer interface when a tracer is
 * attached (state.trace); back-to-back intervals of the same kind on a track merge into one slice, and
 * recording stops at `maxSlices` (the file says how many were dropped).
 */
import type { SimMap } from './map';

export interface Tracer {
  core(index: number, begin: number, end: number, what: 'synapses' | 'update' | 'send'): void;
  link(link: number, begin: number, end: number): void;
  host(begin: number, end: number, what: 'inject' | 'receive' | 'decode'): void;
  step(step: number, begin: number, end: number): void;
}

interface Track {
  pid: number;
  tid: number;
  name: string;
  names: string[];
  begins: number[];
  ends: number[];
}

const HOST_PID = 0, NETWORK_PID = 1, CHIP_PID = 2;
const DIRECTIONS = ['east', 'west', 'north', 'south'];

export class ChromeTrace implements Tracer {
  private tracks = new Map<string, Track>();
  private slices = 0;
  dropped = 0;

  constructor(private readonly map: SimMap, private readonly maxSlices = 2_000_000) {}

  core(i: number, begin: number, end: number, what: string): void {
    const c = this.map.cores[i];
    const pop = this.map.populations[c.population].name;
    this.add(`c${i}`, CHIP_PID + c.chip, c.core, `core ${c.core} (${pop} ${c.unitStart}–${c.unitEnd - 1})`, what, begin, end);
  }

  link(link: number, begin: number, end: number): void {
    this.add(`l${link}`, NETWORK_PID, link, `router ${link >> 2} → ${DIRECTIONS[link & 3]}`, 'packet', begin, end);
  }

  host(begin: number, end: number, what: string): void {
    this.add('host', HOST_PID, 0, 'host I/O', what, begin, end);
  }

  step(step: number, begin: number, end: number): void {
    this.add('steps', HOST_PID, 1, 'timesteps', `step ${step}`, begin, end);
  }

  private add(key: string, pid: number, tid: number, name: string, what: string, begin: number, end: number): void {
    let t = this.tracks.get(key);
    if (!t) this.tracks.set(key, (t = { pid, tid, name, names: [], begins: [], ends: [] }));
    const n = t.ends.length;
    if (n > 0 && t.names[n - 1] === what && begin <= t.ends[n - 1] + 1e-15) {
      if (end > t.ends[n - 1]) t.ends[n - 1] = end;
      return;
    }
    if (this.slices >= this.maxSlices) {
      this.dropped++;
      return;
    }
    this.slices++;
    t.names.push(what);
    t.begins.push(begin);
    t.ends.push(end);
  }

  /** The trace as JSON text (times in µs, as the format wants). */
  text(): string {
    const meta: object[] = [
      { ph: 'M', name: 'process_name', pid: HOST_PID, args: { name: 'host' } },
      { ph: 'M', name: 'process_name', pid: NETWORK_PID, args: { name: 'network links' } },
    ];
    const chips = new Set(this.map.cores.map((c) => c.chip));
    for (const chip of chips) meta.push({ ph: 'M', name: 'process_name', pid: CHIP_PID + chip, args: { name: `chip ${chip}` } });
    const parts: string[] = [];
    const us = (s: number) => +(s * 1e6).toFixed(6);
    for (const t of this.tracks.values()) {
      if (t.ends.length === 0) continue; // opened after maxSlices: a named track with nothing in it would mislead
      meta.push({ ph: 'M', name: 'thread_name', pid: t.pid, tid: t.tid, args: { name: t.name } });
      meta.push({ ph: 'M', name: 'thread_sort_index', pid: t.pid, tid: t.tid, args: { sort_index: t.tid } });
      for (let k = 0; k < t.ends.length; k++)
        parts.push(JSON.stringify({ ph: 'X', name: t.names[k], pid: t.pid, tid: t.tid, ts: us(t.begins[k]), dur: us(t.ends[k] - t.begins[k]) }));
    }
    const head = meta.map((m) => JSON.stringify(m));
    const other = JSON.stringify({ generator: 'neuromap simulate', slices: this.slices, dropped: this.dropped });
    return `{"displayTimeUnit":"ns","otherData":${other},"traceEvents":[\n${[...head, ...parts].join(',\n')}\n]}\n`;
  }
}
