/**
 * Known answers for models/data/batches.ts: a 14-token stream laid out by hand as 3 streams, its input steps,
 * every BPTT window including the short last one, and the messages for bad arguments.
 */
import { batchify, bpttWindow, inputSteps } from '../models/data';
import { errorOf } from './helpers/errors';

/** Token ids 100…113: distinct from every position, so a shifted index shows as a wrong id. */
const stream = () => Int32Array.from({ length: 14 }, (_, i) => 100 + i);

describe('batchify', () => {
  test('14 tokens in 3 streams: 4 steps each, the last 2 tokens dropped', () => {
    // ⌊14/3⌋ = 4.  stream 0: 100 101 102 103 | stream 1: 104 105 106 107 | stream 2: 108 109 110 111 | 112 113 dropped
    // time-major rows (t = 0…3): [100 104 108] [101 105 109] [102 106 110] [103 107 111]
    const b = batchify(stream(), 3);
    expect([b.steps, b.batch]).toEqual([4, 3]);
    expect(Array.from(b.data)).toEqual([100, 104, 108, 101, 105, 109, 102, 106, 110, 103, 107, 111]);
    // the last step of each stream is only a target: 3 steps can be inputs
    expect(inputSteps(b)).toBe(3);
  });

  test('the smallest layout: 2 steps per stream, 1 input step', () => {
    const b = batchify(Int32Array.from([7, 8, 9, 10, 11]), 2); // streams 7 8 | 9 10, 11 dropped
    expect(Array.from(b.data)).toEqual([7, 9, 8, 10]);
    expect(inputSteps(b)).toBe(1);
  });

  test('messages: a bad batch size, and too few tokens named by the default "the data"', () => {
    expect(errorOf(() => batchify(stream(), 0))).toBe('batch size must be a positive integer; got 0');
    expect(errorOf(() => batchify(stream(), 2.5))).toBe('batch size must be a positive integer; got 2.5');
    // 14 tokens in 8 streams: 1 token each, but a stream needs 2, so 16 tokens
    expect(errorOf(() => batchify(stream(), 8))).toBe(
      'the data has 14 tokens, too few for batch size 8 (each stream needs at least 2 tokens, so at least 16): ' +
        'use a smaller batch size or more data',
    );
  });
});

describe('bpttWindow over the 4×3 layout above (input steps 0…2)', () => {
  test('a full window of 2 steps from step 0: targets are the next step of every stream', () => {
    const w = bpttWindow(batchify(stream(), 3), 0, 2);
    expect(w.length).toBe(2);
    expect(Array.from(w.inputs)).toEqual([100, 104, 108, 101, 105, 109]);
    expect(Array.from(w.targets)).toEqual([101, 105, 109, 102, 106, 110]);
  });

  test('a window of length 1 is allowed', () => {
    const w = bpttWindow(batchify(stream(), 3), 1, 1);
    expect(w.length).toBe(1);
    expect(Array.from(w.inputs)).toEqual([101, 105, 109]);
    expect(Array.from(w.targets)).toEqual([102, 106, 110]);
  });

  test('the last window is short: from step 2 only 1 step is left of the 2 asked for', () => {
    const w = bpttWindow(batchify(stream(), 3), 2, 2);
    expect(w.length).toBe(1);
    expect(Array.from(w.inputs)).toEqual([102, 106, 110]);
    expect(Array.from(w.targets)).toEqual([103, 107, 111]);
  });

  test('a start outside 0…2 or a fractional one is a RangeError naming the range', () => {
    const b = batchify(stream(), 3);
    for (const start of [-1, 3, 1.5]) expect(() => bpttWindow(b, start, 2)).toThrow(`BPTT window start ${start} out of range 0…2`);
  });

  test('a length below 1 or a fractional one is a RangeError', () => {
    const b = batchify(stream(), 3);
    for (const bptt of [0, -2, 1.5]) expect(() => bpttWindow(b, 0, bptt)).toThrow(`BPTT length must be a positive integer; got ${bptt}`);
  });
});
