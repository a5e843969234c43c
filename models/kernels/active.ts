/**
 * Which inputs are active. Event-driven work only touches the weight rows of inputs that are non-zero,
 * so every sparse kernel takes the active entries of an [N, width] matrix as compressed rows (CSR):
 * row r's active column indices are idx[ptr[r] .. ptr[r+1]).
 */
export interface ActiveSet {
  ptr: Int32Array;
  idx: Int32Array;
}

/** The non-zero entries of each row (of values, or of 0/1 flags). */
export function activeSet(values: Float32Array | Uint8Array, rows: number, width: number): ActiveSet {
  const ptr = new Int32Array(rows + 1);
  let count = 0;
  for (let i = 0; i < rows * width; i++) if (values[i] !== 0) count++;
  const idx = new Int32Array(count);
  let k = 0;
  for (let r = 0; r < rows; r++) {
    ptr[r] = k;
    const base = r * width;
    for (let j = 0; j < width; j++) if (values[base + j] !== 0) idx[k++] = j;
  }
  ptr[rows] = k;
  return { ptr, idx };
}

/** The entries whose flag is set. */
export const activeFromFlags: (flags: Uint8Array, rows: number, width: number) => ActiveSet = activeSet;

/** Every entry (dense inputs, or gradients needed everywhere). */
export function fullSet(rows: number, width: number): ActiveSet {
  const ptr = new Int32Array(rows + 1);
  const idx = new Int32Array(rows * width);
  for (let r = 0; r < rows; r++) {
    ptr[r] = r * width;
    for (let j = 0; j < width; j++) idx[r * width + j] = j;
  }
  ptr[rows] = rows * width;
  return { ptr, idx };
}

/** Number of active entries. */
export function activeCount(set: ActiveSet): number {
  return set.ptr[set.ptr.length - 1];
}

/**
 * The same entries grouped by column instead of by row (CSC): for column j, the rows where it is active.
 * Weight gradients are accumulated column by column so that one weight row stays in cache while every
 * sample that touches it is added.
 */
export interface ColumnSet {
  ptr: Int32Array;
  rows: Int32Array;
}

export function byColumn(set: ActiveSet, width: number): ColumnSet {
  const n = activeCount(set);
  const ptr = new Int32Array(width + 1);
  for (let k = 0; k < n; k++) ptr[set.idx[k] + 1]++;
  for (let j = 0; j < width; j++) ptr[j + 1] += ptr[j];
  const fill = ptr.slice(0, width);
  const rows = new Int32Array(n);
  const R = set.ptr.length - 1;
  for (let r = 0; r < R; r++) {
    for (let k = set.ptr[r]; k < set.ptr[r + 1]; k++) rows[fill[set.idx[k]]++] = r;
  }
  return { ptr, rows };
}

/** Rows r0 … r1−1 of a set, without copying (the row pointers stay absolute into the shared idx). */
export function sliceRows(set: ActiveSet, r0: number, r1: number): ActiveSet {
  return { ptr: set.ptr.subarray(r0, r1 + 1), idx: set.idx };
}

/** Rows of `a` followed by rows of `b`. */
export function concatRows(a: ActiveSet, b: ActiveSet): ActiveSet {
  const ra = a.ptr.length - 1, rb = b.ptr.length - 1;
  const na = a.ptr[ra] - a.ptr[0], nb = b.ptr[rb] - b.ptr[0];
  const ptr = new Int32Array(ra + rb + 1);
  const idx = new Int32Array(na + nb);
  let k = 0;
  for (let r = 0; r < ra; r++) {
    ptr[r] = k;
    for (let q = a.ptr[r]; q < a.ptr[r + 1]; q++) idx[k++] = a.idx[q];
  }
  for (let r = 0; r < rb; r++) {
    ptr[ra + r] = k;
    for (let q = b.ptr[r]; q < b.ptr[r + 1]; q++) idx[k++] = b.idx[q];
  }
  ptr[ra + rb] = k;
  return { ptr, idx };
}

/** Builds a CSR set row by row when rows are produced in order (one time step after another). */
export class ActiveSetBuilder {
  private readonly ptr: Int32Array;
  private idx: Int32Array;
  private row = 0;
  private count = 0;

  constructor(rows: number, capacity: number) {
    this.ptr = new Int32Array(rows + 1);
    this.idx = new Int32Array(Math.max(16, capacity));
  }

  push(j: number): void {
    if (this.count === this.idx.length) {
      const grown = new Int32Array(this.idx.length * 2);
      grown.set(this.idx);
      this.idx = grown;
    }
    this.idx[this.count++] = j;
  }

  endRow(): void {
    this.ptr[++this.row] = this.count;
  }

  /** The set so far (rows completed up to now); valid until the next push. */
  view(): ActiveSet {
    return { ptr: this.ptr.subarray(0, this.row + 1), idx: this.idx };
  }

  finish(): ActiveSet {
    return { ptr: this.ptr, idx: this.idx.subarray(0, this.count) };
  }
}

/** The entries of `set` where `values` is non-zero (e.g. gradients needed only where dropout kept a unit). */
export function keepWhereNonZero(set: ActiveSet, values: Float32Array, width: number): ActiveSet {
  const rows = set.ptr.length - 1;
  const ptr = new Int32Array(rows + 1);
  const idx = new Int32Array(set.ptr[rows] - set.ptr[0]);
  let k = 0;
  for (let r = 0; r < rows; r++) {
    ptr[r] = k;
    const base = r * width;
    for (let q = set.ptr[r]; q < set.ptr[r + 1]; q++) if (values[base + set.idx[q]] !== 0) idx[k++] = set.idx[q];
  }
  ptr[rows] = k;
  return { ptr, idx: idx.subarray(0, k) };
}
