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

  it('planes 2 is the fewest allowed: a sign plane and one magnitude plane, events quantised to 2 bits', () => {
    const { ctx, notes } = resolve(tiny, { ...binary, planes: 2 });
    expect(ctx.planes).toBe(2);
    expect(notes[0].message).toBe(
      'bit-plane encoding: events go out as up to 2 binary spikes each, multiplying spikes, fan-in, fan-out and synapse rows by up to 2' +
        " (2 of the target's 4 planes: events quantised to 2 bits)",
    );
  });

  it('--planes 1 is refused, saying why: a signed 1-bit event has no magnitude level, so the embedding would round to 0', () => {
    // The embedding's events are signed: P planes give 2^(P-1) - 1 magnitude levels, 2^0 - 1 = 0 for P = 1.
    expect(errorOf(() => resolve(tiny, { ...binary, planes: 1 }))).toBe(
      "--planes must be a whole number from 2 to 4 (tiny's bit planes): the embedding's events are signed, " +
        'and a signed event needs a sign plane and at least one magnitude plane (with 1 every embedding value would round to 0); got 1',
    );
  });

  it('other bad plane counts keep the short form, now from 2', () => {
    for (const planes of [0, -1, 5, 2.5])
      expect(errorOf(() => resolve(tiny, { ...binary, planes }))).toBe(`--planes must be a whole number from 2 to 4 (tiny's bit planes); got ${planes}`);
    expect(resolve(tiny, { ...binary, planes: 4 }).ctx.planes).toBe(4);
  });
});

describe('a target whose binary encoding has fewer than 2 planes', () => {
  // A target file may say planes: 1 (the schema asks for a count, 1 or more); no shipped target does (loihi and
  // loihi-sanafe have 8, tiny 4). One plane cannot carry a signed event, so no --planes can help: refused whatever is asked.
  it('is refused with the reason and what would work, with or without --planes', () => {
    const onePlane = variantOf(tiny, 'one-plane', (data) => (data.neuron.binary_encoding.planes.value = 1));
    const expected = "arithmetic binary of target one-plane has binary spikes only, but EGRU events are graded; one-plane's binary encoding has 1 bit plane, " +
      "too few for the embedding's signed events (a sign plane and at least one magnitude plane): an EGRU cannot be compiled for it; " +
      'give the target 2 or more planes, or choose a target with graded events (e.g. loihi2, spinnaker2)';
    expect(errorOf(() => resolve(onePlane, { arith: 'binary', binaryEncoding: true }))).toBe(expected);
    expect(errorOf(() => resolve(onePlane, { arith: 'binary', binaryEncoding: true, planes: 1 }))).toBe(expected);
    // Its graded arithmetics still compile natively: the planes only matter where events are binary spikes.
    expect(resolve(onePlane, { arith: 'int8' }).ctx.encoding).toBe('native');
  });
  it('2 planes on the target are enough', () => {
    const twoPlanes = variantOf(tiny, 'two-planes', (data) => (data.neuron.binary_encoding.planes.value = 2));
    expect(resolve(twoPlanes, { arith: 'binary', binaryEncoding: true }).ctx.planes).toBe(2);
  });
});
