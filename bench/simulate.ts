/**
 * bench/simulate: simulated synaptic events per second of wall time on a synthetic map of the paper-scale
 * model shape (embedding 750 on the host; EGRU layers 1350, 1350, 750; 85% of input and recurrent weights
 * pruned at random; cores filled to ~90% of memory) on spinnaker2, with random activity at p and p/2.
 * Start-up (prepare: everything the engine derives from the map) and the steady-state run are timed apart;
 * building the synthetic map stands in for reading a *.nmap and is reported but not counted.
 * Run: npx ts-node --transpile-only bench/simulate.ts [steps] [activity]
 */
import { performance } from 'node:perf_hooks';
import { loadTarget } from '../targets/load';
import { coreLocation, synapseBits } from '../targets/derive';
import { randomActivity } from '../simulator/activity';
import { dimensionOrderRoutes } from '../simulator/build';
import type { SimCore, SimMap, SimPopulation } from '../simulator/map';
import { continueRun } from '../simulator/run';
import { prepare } from '../simulator/state';

const steps = Number(process.argv[2] ?? 20);
const p = Number(process.argv[3] ?? 0.2);
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
console.log(`peak memory (max RSS): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
