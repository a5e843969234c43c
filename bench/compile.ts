/**
 * Compiler benchmark (not a timed test): the paper-scale EGRU language model — vocabulary 10,000, embedding
 * 750, layers 1350,1350,750, tied decoder, 85% of every input and recurrent matrix pruned by its own magnitudes
 * (bench/paper-model.ts) — built in memory with random weights and compiled for spinnaker2 and loihi2, at full
 * and half width, each in a fresh process so peak memory is its own. Prints wall time, peak memory
 * (maxRSS) and synapses per second; similar synapses per second at both sizes means linear cost.
 * Goal: under 30 s and 2 GB at full size.
 *
 *   node -r ts-node/register/transpile-only bench/compile.ts
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compile, saveNmap } from '../compiler';
import { loadTarget } from '../targets/load';
import { paperModel } from './paper-model';

/** One case in this process: prints one JSON line. */
function runCase(targetName: string, scale: number): void {
  const model = paperModel(scale);
  const passes: Record<string, number> = {};
  const started = performance.now();
  const ir = compile(model, loadTarget(targetName), { modelName: 'paper', onPass: (name, ms) => (passes[name] = Math.round(ms)) });
  const compileS = (performance.now() - started) / 1000;
  const file = path.join(os.tmpdir(), `neuromap-bench-${process.pid}.nmap`);
  const saveStarted = performance.now();
  saveNmap(file, ir);
  const saveS = (performance.now() - saveStarted) / 1000;
  const bytes = fs.statSync(file).size;
  fs.rmSync(file);
  const synapses = ir.projections.reduce((a, p) => a + (p.where === 'chip' ? p.synapses.post.length : 0), 0);
  const result = {
    target: targetName, scale, synapses, cores: ir.cores.length, chips: ir.chips, compile_s: compileS, save_s: saveS, file_mb: bytes / 2 ** 20,
    peak_mb: process.resourceUsage().maxRSS / 1024, passes,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

function main(): void {
  if (process.argv[2] === 'case') return runCase(process.argv[3], Number(process.argv[4]));
  const rows: string[] = [];
  for (const target of ['spinnaker2', 'loihi2']) {
    for (const scale of [0.5, 1]) {
      const out = execFileSync(process.execPath, [...process.execArgv, __filename, 'case', target, String(scale)], { encoding: 'utf8', maxBuffer: 1 << 24 });
      const r = JSON.parse(out.trim().split('\n').pop()!);
      rows.push(
        `${r.target.padEnd(11)} ${String(r.scale).padStart(5)}  ${(r.synapses / 1e6).toFixed(2).padStart(7)}M  ${String(r.cores).padStart(5)} cores ${String(r.chips).padStart(3)} chips` +
          `  compile ${r.compile_s.toFixed(2).padStart(6)} s  ${((r.synapses / r.compile_s) / 1e6).toFixed(2).padStart(5)}M syn/s` +
          `  save ${r.save_s.toFixed(2)} s (${r.file_mb.toFixed(0)} MB)  peak ${r.peak_mb.toFixed(0)} MB   ${JSON.stringify(r.passes)}`,
      );
      process.stdout.write(rows[rows.length - 1] + '\n');
    }
  }
}

main();
