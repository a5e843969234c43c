/**
 * pipeline/chip-runs.ts, the demo's compile-and-simulate path: on a binary-spike target it uses the target's bit
 * planes, or as many as fit a unit's input axons on a core.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compile } from '../compiler';
import { compileAndSimulate } from '../pipeline/chip-runs';
import { loadTarget } from '../targets/load';
import { fixtureConfig, randomModel } from './fixtures/model';
import { errorOf } from './helpers/errors';

describe('compileAndSimulate on Loihi (bit planes)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'neuromap-chip-runs-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const tokens = Int32Array.from([1, 2, 3, 4]);

  it('takes one plane fewer when a unit needs more input axons than a core has', () => {
    // Loihi with 140 input axons a core. Dense, emb 5, one layer of 14: every unit has synapses from 5 + 14 = 19
    // sources; 8 planes need 152 input axons, 7 need 133.
    const narrow = JSON.parse(JSON.stringify(loadTarget('loihi')));
    narrow.core.fan_in.value = 140;
    const file = path.join(dir, 'narrow-loihi.json');
    fs.writeFileSync(file, JSON.stringify({ ...narrow, name: 'narrow-loihi' }));
    const model = randomModel(fixtureConfig({ emb: 5, layers: [14], vocabSize: 8 }));
    expect(errorOf(() => compile(model, loadTarget(file), { binaryEncoding: true, decoder: 'host' }))).toMatch(/alone needs 152 input axons, a core has 140 \(fan-in\).*--planes 7 or less/);
    const run = compileAndSimulate(model, 'm', file, tokens, 3, dir, 1, 'host', 'auto');
    expect(run.planes).toBe(7);
    expect(run.report.target).toBe('narrow-loihi');
  });

  it('stops at 2 planes, the fewest (signed events need a sign and a magnitude plane): refused as compile refuses there', () => {
    // Loihi with 37 input axons a core, the same model: 19 sources × 2 planes = 38 > 37; 1 plane (19) would fit but
    // would carry no embedding (every value rounds to 0), so no run is made with it.
    const narrow = JSON.parse(JSON.stringify(loadTarget('loihi')));
    narrow.core.fan_in.value = 37;
    const file = path.join(dir, 'narrower-loihi.json');
    fs.writeFileSync(file, JSON.stringify({ ...narrow, name: 'narrower-loihi' }));
    const model = randomModel(fixtureConfig({ emb: 5, layers: [14], vocabSize: 8 }));
    const message = errorOf(() => compileAndSimulate(model, 'm', file, tokens, 3, dir, 1, 'host', 'auto'));
    expect(message).toMatch(/alone needs 38 input axons, a core has 37 \(fan-in\)\. What would help: more pruning/);
    expect(message).not.toMatch(/--planes/);
    expect(message).toBe(errorOf(() => compile(model, loadTarget(file), { binaryEncoding: true, planes: 2, decoder: 'host' })));
  });

  it('keeps the target’s 8 planes where they fit, and 1 (no planes) where events are graded', () => {
    const model = randomModel(fixtureConfig({ emb: 16, layers: [40], vocabSize: 8 }));
    expect(compileAndSimulate(model, 'small', 'loihi', tokens, 3, dir, 1, 'host', 'auto').planes).toBe(8);
    expect(compileAndSimulate(model, 'small', 'loihi2', tokens, 3, dir, 1, 'host', 'auto').planes).toBe(1);
  });
});
