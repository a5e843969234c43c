/**
 * A time-ordered event queue: a binary min-heap keyed by (time, sequence) on typed arrays, so events at
 * the same time pop in the order they were pushed (deterministic ties). The keys live in the heap's own
 * order (hTime, hSeq next to hSlot), so sifting compares neighbouring memory instead of chasing slots;
 * payloads live in side arrays indexed by the slot: kind, two integers and one float, enough for every
 * engine event. Slots are recycled through a free list; arrays double when full. No allocation per event.
 */
export class EventQueue {
  private hTime: Float64Array;
  private hSeq: Float64Array;
  private hSlot: Int32Array;
  private time: Float64Array;
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
    this.hTime = new Float64Array(capacity);
    this.hSeq = new Float64Array(capacity);
    this.hSlot = new Int32Array(capacity);
    this.time = new Float64Array(capacity);
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
    this.kind[slot] = kind;
    this.a[slot] = a;
    this.b[slot] = b;
    this.value[slot] = value;
    const seq = this.counter++;
    const hTime = this.hTime, hSeq = this.hSeq, hSlot = this.hSlot;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = hTime[parent];
      if (pt < time || (pt === time && hSeq[parent] < seq)) break;
      hTime[i] = pt;
      hSeq[i] = hSeq[parent];
      hSlot[i] = hSlot[parent];
      i = parent;
    }
    hTime[i] = time;
    hSeq[i] = seq;
    hSlot[i] = slot;
  }

  /** Time of the earliest event (Infinity when empty). */
  peekTime(): number {
    return this.size > 0 ? this.hTime[0] : Infinity;
  }

  /**
   * Removes the earliest event and returns its slot; read kind/a/b/value/timeOf(slot) before the next push.
   * The slot is recycled on the following pop or push.
   */
  pop(): number {
    if (this.size === 0) return -1;
    const hTime = this.hTime, hSeq = this.hSeq, hSlot = this.hSlot;
    const top = hSlot[0];
    const n = --this.size;
    const lt = hTime[n], ls = hSeq[n], lslot = hSlot[n];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      let ct = hTime[child], cs = hSeq[child];
      if (child + 1 < n) {
        const rt = hTime[child + 1], rs = hSeq[child + 1];
        if (rt < ct || (rt === ct && rs < cs)) (child++, (ct = rt), (cs = rs));
      }
      if (lt < ct || (lt === ct && ls < cs)) break;
      hTime[i] = ct;
      hSeq[i] = cs;
      hSlot[i] = hSlot[child];
      i = child;
    }
    if (n > 0) {
      hTime[i] = lt;
      hSeq[i] = ls;
      hSlot[i] = lslot;
    }
    this.free[this.freeTop++] = top;
    return top;
  }

  timeOf(slot: number): number {
    return this.time[slot];
  }

  private grow(): void {
    const n = this.time.length * 2;
    const widen = <T extends Float64Array | Int32Array | Uint8Array | Float32Array>(old: T, make: (n: number) => T): T => {
      const next = make(n);
      next.set(old);
      return next;
    };
    this.hTime = widen(this.hTime, (k) => new Float64Array(k));
    this.hSeq = widen(this.hSeq, (k) => new Float64Array(k));
    this.hSlot = widen(this.hSlot, (k) => new Int32Array(k));
    this.time = widen(this.time, (k) => new Float64Array(k));
    this.kind = widen(this.kind, (k) => new Uint8Array(k));
    this.a = widen(this.a, (k) => new Int32Array(k));
    this.b = widen(this.b, (k) => new Int32Array(k));
    this.value = widen(this.value, (k) => new Float32Array(k));
    this.free = widen(this.free, (k) => new Int32Array(k));
  }
}
