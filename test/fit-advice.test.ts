/**
 * What a refusal offers as help (compiler/fit.ts), asserted whole for every limit, on native and bit-plane maps,
 * so that no advice item can be dropped, reordered, offered in the wrong case or reworded unnoticed. The
 * expected strings are written out here from the rules the user reads in the README, not built by the code.
 */
import { resolveContext } from '../compiler/context';
import { doesNotFit, Limit } from '../compiler/fit';
import type { CompileOptions } from '../compiler/ir';
import { loadTarget, validateTarget } from '../targets/load';
import type { Target } from '../targets/schema';
import { fixtureConfig } from './fixtures/model';

const tiny = loadTarget('tiny');
const base: CompileOptions = { strategy: 'pack', decoder: 'host', binaryEncoding: false, seed: 1, verify: true, modelName: 'm' };
const help = (target: Target, limit: Limit, options: Partial<CompileOptions>, extra: string[] = []) => {
  const { ctx } = resolveContext(target, fixtureConfig(), { ...base, ...options });
  const err = doesNotFit(ctx, limit, 'PROBLEM', extra);
  expect(err.limit).toBe(limit);
  const [head, advice] = err.message.split('. What would help: ');
  expect(head).toBe(`the model does not fit ${target.name}: PROBLEM`);
  return advice;
};
// The items as the user reads them, joined as the message joins them (an item may itself hold a ';').
const items = (...list: string[]) => list.join('; ');

const COMMON = ['more pruning (`neuromap prune --sparsity`)', 'smaller layers'];

describe('the advice of a refusal, per limit', () => {
  // tiny's arithmetics: fp32 (32-bit weights), int8 (8-bit), binary (4-bit weights, no payload: binary spikes).
  it('memory on fp32: narrower weights name int8 only (binary carries no graded events)', () => {
    expect(help(tiny, 'memory', {})).toBe(items(...COMMON, 'narrower weights (--arith int8)', 'a target with more memory per core'));
  });

  it('memory on int8: no narrower graded arithmetic, so no such advice', () => {
    expect(help(tiny, 'memory', { arith: 'int8' })).toBe(items(...COMMON, 'a target with more memory per core'));
  });

  it('memory with two narrower arithmetics joins them with "or"', () => {
    const data = JSON.parse(JSON.stringify(tiny));
    data.arithmetic.int4 = JSON.parse(JSON.stringify(data.arithmetic.int8));
    data.arithmetic.int4.weight_bits.value = 4;
    data.arithmetic.int4.event_payload_bits.value = 4;
    const wide = validateTarget({ ...data, name: 'wide' }, 'wide');
    expect(help(wide, 'memory', {})).toBe(items(...COMMON, 'narrower weights (--arith int8 or int4)', 'a target with more memory per core'));
  });

  it('memory and fan-in on a bit-plane map first offer fewer planes, with the count now and the one to try', () => {
    // tiny's binary arithmetic sends each event as up to 4 bit-plane spikes.
    const planes4 = 'fewer bit planes per event (--planes 3 or less; now 4: coarser events)';
    expect(help(tiny, 'memory', { arith: 'binary', binaryEncoding: true })).toBe(items(planes4, ...COMMON, 'a target with more memory per core'));
    expect(help(tiny, 'fan-in', { arith: 'binary', binaryEncoding: true })).toBe(items(planes4, ...COMMON, 'a target with larger cores'));
    expect(help(tiny, 'fan-in', { arith: 'binary', binaryEncoding: true, planes: 3 })).toBe(items(
      'fewer bit planes per event (--planes 2 or less; now 3: coarser events)',
      ...COMMON,
      'a target with larger cores',
    ));
  });

  it('at two planes, the fewest (a sign plane and one magnitude plane; --planes 1 is refused), there are no fewer planes to offer', () => {
    expect(help(tiny, 'fan-in', { arith: 'binary', binaryEncoding: true, planes: 2 })).toBe(items(...COMMON, 'a target with larger cores'));
    expect(help(tiny, 'memory', { arith: 'binary', binaryEncoding: true, planes: 2 })).toBe(items(...COMMON, 'a target with more memory per core'));
  });

  it('fan-in on a native map: no plane advice', () => {
    expect(help(tiny, 'fan-in', {})).toBe(items(...COMMON, 'a target with larger cores'));
  });

  it('addresses and neurons: larger cores, and never planes (they do not multiply neurons or addresses)', () => {
    for (const limit of ['addresses', 'neurons'] as const) {
      expect(help(tiny, limit, { arith: 'binary', binaryEncoding: true })).toBe(items(...COMMON, 'a target with larger cores'));
    }
  });

  it('fan-out: the decoder on the host when it is on chip, otherwise more output axons', () => {
    expect(help(tiny, 'fan-out', { decoder: 'chip' })).toBe(items(...COMMON, '--decoder host (the decoder multiplies the last layer’s destinations)'));
    expect(help(tiny, 'fan-out', { decoder: 'host' })).toBe(items(...COMMON, 'a target with more output axons per core'));
  });

  it('cores and routing: more chips first; pack only when balancing, the host decoder only when on chip', () => {
    for (const limit of ['cores', 'routing'] as const) {
      expect(help(tiny, limit, {})).toBe(items('more chips (--chips)', ...COMMON));
      expect(help(tiny, limit, { strategy: 'balance', decoder: 'chip' })).toBe(items(
        'more chips (--chips)',
        ...COMMON,
        '--strategy pack (fewest cores)',
        '--decoder host (keeps the decoder off-chip)',
      ));
    }
  });

  it('a pass’s own advice comes before the general advice', () => {
    expect(help(tiny, 'cores', {}, ['--chips 2'])).toBe(items('--chips 2', 'more chips (--chips)', ...COMMON));
  });
});
