/**
 * The compiler pipeline (compiler/pipeline.ts): the passes reported to onPass by name and in order, each with a
 * time that is the pass's own duration, and the verifier run after each pass only when asked. Issue 14.
 */
import { verify } from '../compiler/verify';
import { compile } from '../compiler/pipeline';
import { loadTarget } from '../targets/load';
import { fixtureConfig, randomModel } from './fixtures/model';

const model = () => randomModel(fixtureConfig({ emb: 2, layers: [3], vocabSize: 3 }));

// The real verifier, wrapped to count its calls (module exports cannot be spied on directly under ts-jest).
jest.mock('../compiler/verify', () => {
  const actual = jest.requireActual('../compiler/verify');
  return { ...actual, verify: jest.fn(actual.verify) };
});

describe('compile', () => {
  it('reports the six passes in order, each timed within the whole compile', () => {
    const passes: [string, number][] = [];
    const before = performance.now();
    compile(model(), loadTarget('tiny'), { onPass: (name, ms) => passes.push([name, ms]) });
    const whole = performance.now() - before;
    expect(passes.map(([name]) => name)).toEqual(['lower', 'quantize', 'partition', 'place', 'route', 'emit']);
    // A pass's time is its end minus its start: at least 0 and no more than the whole compile took. (A time of
    // end + start would be about twice the clock's reading, far above `whole`: jest has run far longer than this
    // tiny compile by now.)
    for (const [, ms] of passes) {
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThanOrEqual(whole);
    }
  });

  it('runs the verifier after every pass by default, and never with verify: false', () => {
    const spy = verify as jest.Mock;
    spy.mockClear();
    compile(model(), loadTarget('tiny'));
    expect(spy).toHaveBeenCalledTimes(6);
    spy.mockClear();
    compile(model(), loadTarget('tiny'), { verify: false });
    expect(spy).not.toHaveBeenCalled();
  });
});
