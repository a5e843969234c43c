/**
 * The target rules checked before any pass runs (compiler/context.ts): --cores, a target that cannot run
 * the EGRU unit, and the bit-plane note's exact wording, on the invented tiny target (4 bit planes, an fp32,
 * an int8 and a binary-spike arithmetic).
 */
import { resolveContext } from '../compiler/context';
import { DEFAULT_OPTIONS } from '../compiler/pipeline';
import type { CompileOptions } from '../compiler/ir';
import { loadTarget } from '../targets/load';
import { variantOf } from './helpers/targets';
import type { Target } from '../targets/schema';
import { fixtureConfig } from './fixtures/model';
import { errorOf } from './helpers/errors';

const tiny = loadTarget('tiny');
const config = fixtureConfig();
const resolve = (target: Target, options: Partial<CompileOptions>) => resolveContext(target, config, { ...DEFAULT_OPTIONS, ...options });

/**
 * tiny whose neurons cannot run the EGRU unit (as Loihi's), with two binary-spike arithmetics (its binary and a
 * copy, spikes) or none.
 */
function noEgruUnit(binaryArithmetics: boolean): Target {
  return variantOf(tiny, 'lif', (data) => {
    data.neuron.egru_unit = false;
    data.neuron.note = 'invented: LIF only';
    if (binaryArithmetics) data.arithmetic.spikes = data.arithmetic.binary;
    else delete data.arithmetic.binary;
  });
}

describe('--cores', () => {
  it('refuses a count that is not a whole number of at least 1, whatever the strategy', () => {
    for (const cores of [0, -2, 2.5]) {
      const expected = `--cores must be a whole number of cores, 1 or more; got ${cores}`;
      expect(errorOf(() => resolve(tiny, { strategy: 'balance', cores }))).toBe(expected);
      expect(errorOf(() => resolve(tiny, { strategy: 'pack', cores }))).toBe(expected);
    }
    expect(resolve(tiny, { strategy: 'balance', cores: 1 }).ctx.options.cores).toBe(1);
  });
});

describe('a target whose neurons cannot run the EGRU unit', () => {
  it('with graded events, --binary-encoding is refused with what would work instead', () => {
    // fp32 on tiny carries 32-bit graded events: spikes are not the obstacle, the unit is.
    expect(errorOf(() => resolve(noEgruUnit(true), { arith: 'fp32', binaryEncoding: true }))).toBe(
      'target lif cannot run the EGRU unit: invented: LIF only; --binary-encoding cannot help fp32, whose events are graded already: ' +
        'choose a binary-spike arithmetic (--arith binary or --arith spikes) or a target that runs the EGRU unit (e.g. loihi2, spinnaker2)',
    );
    expect(errorOf(() => resolve(noEgruUnit(false), { arith: 'int8', binaryEncoding: true }))).toBe(
      'target lif cannot run the EGRU unit: invented: LIF only; --binary-encoding cannot help int8, whose events are graded already: ' +
        'choose a target that runs the EGRU unit (e.g. loihi2, spinnaker2)',
    );
  });

  it('the advice holds: on its binary-spike arithmetic the bit-plane encoding compiles, gates charged as updates', () => {
    const { ctx, notes } = resolve(noEgruUnit(true), { arith: 'binary', binaryEncoding: true });
    expect([ctx.encoding, ctx.planes]).toEqual(['bit-planes', 4]);
    expect(notes.map((n) => n.message)).toEqual([
      'bit-plane encoding: events go out as up to 4 binary spikes each, multiplying spikes, fan-in, fan-out and synapse rows by up to 4' +
        '; lif cannot compute the EGRU gates (invented: LIF only), the simulator charges them as neuron updates (an approximation)',
    ]);
  });
});

describe('the bit-plane note on tiny (4 planes)', () => {
  const binary = { arith: 'binary', binaryEncoding: true } as const;

  it('all 4 planes: a warning of the lower pass naming the multiplication, and no quantisation remark', () => {
    const { ctx, notes } = resolve(tiny, binary);
    expect(ctx.planes).toBe(4);
    expect(notes).toEqual([{
      pass: 'lower', level: 'warning',
      message: 'bit-plane encoding: events go out as up to 4 binary spikes each, multiplying spikes, fan-in, fan-out and synapse rows by up to 4',
    }]);
  });

  it('--planes 1, the fewest, is allowed: events quantised to 1 bit', () => {
    const { ctx, notes } = resolve(tiny, { ...binary, planes: 1 });
    expect(ctx.planes).toBe(1);
    expect(notes[0].message).toBe(
      'bit-plane encoding: events go out as one binary spike each, as many spikes, fan-in, fan-out and synapse rows as native events would need' +
        " (1 of the target's 4 planes: events quantised to 1 bit)",
    );
  });
});
