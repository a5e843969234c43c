/**
 * A time-ordered event queue: a binary min-heap keyed by (time, sequence) on typed arrays, so events at
 * the same time pop in the order they were pushed (deterministic ties). Payloads live in side arrays
 * indexed by the slot a push returns: kind, two integers and one float, enough for every engine event.
 * Slots are recycled through a free list; arrays double when full. No allocation per event.
 */
export class EventQueue {
  private heap: Int32Array;
  private time: Float64Array;
  private seq: Float64Array;
  kind: Uint8Array;
  a: Int32Array;
  b: Int32Array;
  value: Float32Array;
  private free: Int32Array;
  private freeTop = 0;
  private size = 0;
  private nextSlot = 0;
  private counter = 0;

  constructor(capacity = 1024) {
    this.heap = new Int32Array(capacity);
    this.time = new Float64Array(capacity);
    this.seq = new Float64Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.a = new Int32Array(capacity);
    this.b = new Int32Array(capacity);
    this.value = new Float32Array(capacity);
    this.free = new Int32Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  /** Adds an event; returns nothing (payload is passed here so callers cannot forget a field). */
  push(time: number, kind: number, a: number, b: number, value: number): void {
    let slot: number;
    if (this.freeTop > 0) slot = this.free[--this.freeTop];
    else {
      if (this.nextSlot === this.time.length) this.grow();
      slot = this.nextSlot++;
    }
    this.time[slot] = time;
    this.seq[slot] = this.counter++;
    this.kind[slot] = kind;
    this.a[slot] = a;
    this.b[slot] = b;
    this.value[slot] = value;
    let i = this.size++;
    const heap = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent];
      if (!this.less(slot, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = slot;
  }

  /** Time of the earliest event (Infinity when empty). */
  peekTime(): number {
    return this.size > 0 ? this.time[this.heap[0]] : Infinity;
  }

  /**
   * Removes the earliest event and returns its slot; read kind/a/b/value/timeOf(slot) before the next push.
   * The slot is recycled on the following pop or push.
   */
  pop(): number {
    if (this.size === 0) return -1;
    const heap = this.heap;
    const top = heap[0];
    const last = heap[--this.size];
    const n = this.size;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this.less(heap[child + 1], heap[child])) child++;
      if (!this.less(heap[child], last)) break;
      heap[i] = heap[child];
      i = child;
    }
    if (n > 0) heap[i] = last;
    this.free[this.freeTop++] = top;
    return top;
  }

  timeOf(slot: number): number {
    return this.time[slot];
  }

  private less(x: number, y: number): boolean {
    const tx = this.time[x], ty = this.time[y];
    return tx < ty || (tx === ty && this.seq[x] < this.seq[y]);
  }

  private grow(): void {
    const n = this.time.length * 2;
    const widen = <T extends Float64Array | Int32Array | Uint8Array | Float32Array>(old: T, make: (n: number) => T): T => {
      const next = make(n);
      next.set(old);
      return next;
    };
    this.heap = widen(this.heap, (k) => new Int32Array(k));
    this.time = widen(this.time, (k) => new Float64Array(k));
    this.seq = widen(this.seq, (k) => new Float64Array(k));
    this.kind = widen(this.kind, (k) => new Uint8Array(k));
    this.a = widen(this.a, (k) => new Int32Array(k));
    this.b = widen(this.b, (k) => new Int32Array(k));
    this.value = widen(this.value, (k) => new Float32Array(k));
    this.free = widen(this.free, (k) => new Int32Array(k));
  }
}
