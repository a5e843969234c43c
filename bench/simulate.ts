/**
 * bench/simulate: simulated synaptic events per second of wall time (and per CPU second: the machines are
 * shared) at the paper-scale model shape on spinnaker2. Two parts:
 *
 * - engine (default): a synthetic map (embedding 750 on the host; EGRU layers 1350, 1350, 750; 85% of input
 *   and recurrent weights pruned at random; cores filled to ~90% of memory) with random activity at p and
 *   p/2, which shows the cost follows events, not synapses. Start-up (prepare) and steady state are timed
 *   apart; building the synthetic map stands in for reading a *.nmap and is not counted.
 *     node -r ts-node/register/transpile-only bench/simulate.ts [steps] [activity]
 * - compiled: the paper model (bench/paper-model.ts: vocabulary 10,000, tied, random weights, 85% of each matrix pruned) really
 *   compiled (decoder on the host and on chip), each map then loaded and run for real (EGRU arithmetic,
 *   host side) in a fresh process: file load, prepare and run timed apart (wall and CPU), peak memory its own.
 *   --maps DIR keeps the two maps there and reuses them on later runs (delete them after a format change).
 *     node -r ts-node/register/transpile-only bench/simulate.ts compiled [tokens] [--maps DIR]
 * - run-map FILE TOKENS: one map, in this process (what `compiled` runs per map).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { compile, loadNmap, saveNmap } from '../compiler';
import type { LanguageModel } from '../models/model';
import { simulationReport } from '../simulator/report';
import { HOST_PROCESSOR, runModel } from '../simulator/run-model';
import { loadBaseline } from '../targets/baseline-schema';
import { loadTarget } from '../targets/load';
import { coreLocation, synapseBits } from '../targets/derive';
import { randomActivity } from '../simulator/activity';
import { dimensionOrderRoutes } from '../test/helpers/map-builder';
import { paperModel } from './paper-model';
import type { SimCore, SimMap, SimPopulation } from '../simulator/map';
import { continueRun } from '../simulator/run';
import { prepare } from '../simulator/state';

const density = 0.15;
const t = loadTarget('spinnaker2');

function synthetic(seed: number): SimMap {
  let s = seed;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s / 4294967296);
  const sizes = [750, 1350, 1350, 750];
  const pops: SimPopulation[] = [];
  let base = 0;
  sizes.forEach((size, i) => {
    pops.push({ name: i === 0 ? 'embedding' : `layer${i - 1}`, kind: i === 0 ? 'embedding' : 'egru', where: i === 0 ? 'host' : 'chip',
      size, sourceBase: base, slots: i === 0 ? 1 : 4, inputs: i === 0 ? [] : [i - 1] });
    base += size;
  });
  const bytesPerSyn = synapseBits(t) / 8;
  const cores: SimCore[] = [];
  let next = 0;
  for (let l = 1; l < pops.length; l++) {
    const pop = pops[l], input = pops[l - 1];
    const perUnit = density * 3 * (input.size + pop.size) * bytesPerSyn + t.core.neuron_bytes.value;
    const units = Math.min(t.core.neurons.value, Math.floor((0.9 * t.core.memory_bytes.value) / perUnit));
    for (let u0 = 0; u0 < pop.size; u0 += units) {
      const u1 = Math.min(pop.size, u0 + units);
      const rowSource: number[] = [], rowPtr = [0], post: number[] = [], weight: number[] = [];
      const addRows = (from: SimPopulation, slots: readonly number[]) => {
        for (let j = 0; j < from.size; j++) {
          for (let u = 0; u < u1 - u0; u++) for (const slot of slots) if (rnd() < density) post.push(u * 4 + slot), weight.push(rnd() - 0.5);
          if (post.length > rowPtr[rowPtr.length - 1]) rowSource.push(from.sourceBase + j), rowPtr.push(post.length);
        }
      };
      addRows(input, [0, 1, 2]);
      addRows(pop, [0, 1, 3]);
      const at = coreLocation(t, next);
      cores.push({ core: next++, chip: at.chip, x: at.x, y: at.y, index: at.core, population: l, unitStart: u0, unitEnd: u1,
        thr: null, bias: null, rowSource: Int32Array.from(rowSource), rowPtr: Int32Array.from(rowPtr),
        post: Uint16Array.from(post), weight: Float32Array.from(weight) });
    }
  }
  const chips = cores[cores.length - 1].chip + 1;
  return { target: t.name, arith: t.default_arithmetic, chips, populations: pops, sources: base, cores, routes: dimensionOrderRoutes(t, pops, cores, base) };
}

function engineBench(steps: number, p: number): void {
  const t0 = performance.now();
  const map = synthetic(1);
  const synapses = map.cores.reduce((a, c) => a + c.weight.length, 0);
  const built = performance.now();
  console.log(`map: ${map.cores.length} cores on ${map.chips} chips, ${(synapses / 1e6).toFixed(2)} M synapses, built in ${((built - t0) / 1000).toFixed(2)} s (not counted below)`);
  const hostSources = Array.from({ length: 750 }, (_, k) => k);
  const rates: number[] = [];
  for (const activity of [p, p / 2]) {
    const a = performance.now();
    const state = prepare(map, t);
    const b = performance.now();
    const cpu0 = process.cpuUsage();
    const records = continueRun(state, randomActivity(7, activity, hostSources), 0, steps, 0);
    const wall = (performance.now() - b) / 1000;
    const used = process.cpuUsage(cpu0);
    const cpu = (used.user + used.system) / 1e6; // CPU seconds: steadier than wall time on a shared machine
    const syn = records.reduce((x, s) => x + s.ops.synOps, 0);
    const deliveries = records.reduce((x, s) => x + s.ops.deliveries, 0);
    const e = records.reduce((x, s) => x + s.energy.total, 0) / steps;
    rates.push(wall / steps);
    console.log(`activity ${activity.toFixed(3)}: start-up (prepare) ${((b - a) / 1000).toFixed(3)} s; ${steps} steps in ${wall.toFixed(2)} s ` +
      `(${((1000 * wall) / steps).toFixed(1)} ms/step): ${(syn / steps / 1e6).toFixed(2)} M synaptic events/step, ${(deliveries / steps / 1e3).toFixed(1)} k deliveries/step, ` +
      `${(syn / wall / 1e6).toFixed(1)} M synaptic events/s steady state (${(syn / cpu / 1e6).toFixed(1)} M per CPU second); ${(e * 1e3).toFixed(3)} mJ/token, overruns ${state.c.overruns.reduce((x, y) => x + y, 0)}`);
  }
  console.log(`halving activity: wall per step × ${(rates[1] / rates[0]).toFixed(2)}`);
  console.log(`peak memory (max RSS): ${peakMB().toFixed(0)} MB`);
}

/** The paper model, compiled both ways and saved (in `keep`, reused when there); each map run in its own process. */
function compiledBench(tokens: number, keep: string | undefined): void {
  let model: LanguageModel | undefined;
  const paper = (): LanguageModel => paperModel();
  for (const decoder of ['host', 'chip'] as const) {
    const file = keep ? path.join(keep, `paper-spinnaker2-${decoder}.nmap`) : path.join(os.tmpdir(), `neuromap-bench-sim-${process.pid}-${decoder}.nmap`);
    let how = 'reused';
    if (!keep || !fs.existsSync(file)) {
      const started = performance.now();
      saveNmap(file, compile((model ??= paper()), t, { modelName: 'paper', decoder }));
      how = `compiled in ${((performance.now() - started) / 1000).toFixed(1)} s, not counted`;
    }
    const mb = fs.statSync(file).size / 1e6;
    const out = execFileSync(process.execPath, [...process.execArgv, __filename, 'run-map', file, String(tokens)], { encoding: 'utf8' });
    if (!keep) fs.rmSync(file);
    process.stdout.write(`decoder on ${decoder} (${how}; file ${mb.toFixed(0)} MB): ${out}`);
  }
}

/** One compiled map in this process: load, prepare, run `tokens` random tokens. */
function runMap(file: string, tokens: number): void {
  const cpuSeconds = (since: NodeJS.CpuUsage) => {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1e6;
  };
  const cpu0 = process.cpuUsage();
  const a = performance.now();
  const nmap = loadNmap(file);
  const loaded = (performance.now() - a) / 1000, loadCpu = cpuSeconds(cpu0);
  let s = 12345;
  const ids = Int32Array.from({ length: tokens + 1 }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), 2 + (s % (nmap.model.vocab.length - 2))));
  // Steady state: from the end of the first step (start-up work is done by then) to the end of the run.
  let startupCpu = 0, steadyCpu: NodeJS.CpuUsage | null = null, steadySyn = 0;
  const run = runModel(nmap, ids, {
    hostProcessor: loadBaseline(HOST_PROCESSOR),
    onPrepared: () => (startupCpu = cpuSeconds(cpu0)),
    onStep: (record, step) => (step === 0 ? (steadyCpu = process.cpuUsage()) : (steadySyn += record.ops.synOps)),
  });
  const steady = steadyCpu ? cpuSeconds(steadyCpu) : NaN;
  const r = simulationReport(nmap, run, file);
  const syn = r.synaptic_ops_per_token * r.tokens;
  process.stdout.write(`start-up ${(loaded + run.wall.prepare).toFixed(2)} s (file load ${loaded.toFixed(2)} s, prepare ${run.wall.prepare.toFixed(2)} s; ` +
    `CPU: file load ${loadCpu.toFixed(2)} s, ${startupCpu.toFixed(2)} s up to the engine state, before the host's model); ${r.tokens} tokens in ${run.wall.run.toFixed(2)} s: ${(r.synaptic_ops_per_token / 1e6).toFixed(2)} M synaptic events/token, ` +
    `${(syn / run.wall.run / 1e6).toFixed(1)} M/s wall, ${(steadySyn / steady / 1e6).toFixed(1)} M per CPU second after the first step; ` +
    `activity ${r.layers.map((l) => (100 * l.activity).toFixed(0)).join('/')}%, ${(r.energy_per_token_j * 1e3).toFixed(3)} mJ/token simulated; ` +
    `peak memory ${peakMB().toFixed(0)} MB\n`);
}

/**
 * Peak resident memory of this process (MB). Linux's getrusage max RSS survives exec, so a child started by a
 * parent that has just compiled would report the parent's size; VmHWM belongs to this process image alone.
 */
function peakMB(): number {
  const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.existsSync('/proc/self/status') ? fs.readFileSync('/proc/self/status', 'utf8') : '');
  return (hwm ? Number(hwm[1]) : process.resourceUsage().maxRSS) / 1024;
}

/** What this machine charges for new memory (page faults): start-up is mostly first touches of big tables. */
function firstTouchMsPer64MB(): number {
  const started = performance.now();
  new Uint8Array(64 << 20).fill(1);
  return performance.now() - started;
}

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at < 0 ? undefined : args.splice(at, 2)[1];
};
const maps = option('--maps');
const [mode, ...rest] = args;
if (mode === '--help' || mode === '-h') console.log(fs.readFileSync(__filename, 'utf8').split('*/')[0].replace(/^\/\*\*\n|^ \* ?/gm, ''));
else {
  if (mode !== 'run-map') console.log(`first touch of 64 MB of new memory on this machine: ${firstTouchMsPer64MB().toFixed(0)} ms`);
  if (mode === 'compiled') compiledBench(Number(rest[0] ?? 50), maps);
  else if (mode === 'run-map') runMap(rest[0], Number(rest[1]));
  else engineBench(Number(mode ?? 40), Number(rest[0] ?? 0.2));
}
