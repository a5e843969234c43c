/**
 * The classic language-model batch layout: a split's id stream cut into B contiguous streams of n = ⌊len/B⌋
 * tokens (the tail that does not fill a row is dropped), trained in parallel with truncated BPTT.
 */
import { UserError } from '../config';

export interface Batched {
  /** [steps, batch] row-major: `data[t * batch + b]` is token t of stream b, i.e. `ids[b * steps + t]`. Time
   * step t for all streams is contiguous, so a BPTT window is a zero-copy `subarray`. */
  data: Int32Array;
  steps: number;
  batch: number;
}

export interface BpttWindow {
  /** [length, batch]: tokens t … t+length−1 of every stream (a view into `Batched.data`). */
  inputs: Int32Array;
  /** [length, batch]: tokens t+1 … t+length (the next token for every input). */
  targets: Int32Array;
  /** Time steps in this window: the requested BPTT length, shorter only at the end of the data. */
  length: number;
}

/** Lays `ids` out as `batch` parallel streams. `what` names the data in the error message (e.g. "the validation split"). */
export function batchify(ids: Int32Array, batch: number, what = 'the data'): Batched {
  if (!Number.isInteger(batch) || batch < 1) throw new UserError(`batch size must be a positive integer; got ${batch}`);
  const steps = Math.floor(ids.length / batch);
  // A stream needs two tokens to give one (input, target) pair.
  if (steps < 2)
    throw new UserError(
      `${what} has ${ids.length} tokens, too few for batch size ${batch} (each stream needs at least 2 tokens, ` +
        `so at least ${2 * batch}): use a smaller batch size or more data`,
    );
  const data = new Int32Array(steps * batch);
  for (let b = 0; b < batch; b++) {
    const from = b * steps;
    for (let t = 0; t < steps; t++) data[t * batch + b] = ids[from + t];
  }
  return { data, steps, batch };
}

/** Number of time steps that can be inputs (the last token of each stream is only a target). */
export function inputSteps(batched: Batched): number {
  return batched.steps - 1;
}

/** The BPTT window starting at time step `start` with up to `bptt` steps (inputs t…t+T−1, targets t+1…t+T). */
export function bpttWindow(batched: Batched, start: number, bptt: number): BpttWindow {
  const { data, steps, batch } = batched;
  // A bad start or length is a bug in the caller, not a user mistake.
  if (!Number.isInteger(start) || start < 0 || start >= steps - 1)
    throw new RangeError(`BPTT window start ${start} out of range 0…${steps - 2}`);
  if (!Number.isInteger(bptt) || bptt < 1) throw new RangeError(`BPTT length must be a positive integer; got ${bptt}`);
  const length = Math.min(bptt, steps - 1 - start);
  return {
    inputs: data.subarray(start * batch, (start + length) * batch),
    targets: data.subarray((start + 1) * batch, (start + 1 + length) * batch),
    length,
  };
}
