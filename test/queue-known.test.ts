/**
 * Known answers for simulator/queue.ts, the engine's event queue, from hand-written sequences: events pop by
 * time, ties in the order they were pushed, each with its own payload; the queue grows past its initial
 * capacity keeping every event; a popped slot is reused by the next push; an empty queue says so.
 */
import { EventQueue } from '../simulator/queue';

/** Pops everything: per event "time kind a b value" (slot payloads read right after their pop). */
function drain(q: EventQueue): string[] {
  const out: string[] = [];
  for (let slot = q.pop(); slot >= 0; slot = q.pop()) out.push(`${q.timeOf(slot)} ${q.kind[slot]} ${q.a[slot]} ${q.b[slot]} ${q.value[slot]}`);
  return out;
}

describe('the event queue, by hand', () => {
  it('pops by time, ties in push order, past its initial capacity of 2 (grown twice), then reports empty', () => {
    const q = new EventQueue(2);
    expect(q.peekTime()).toBe(Infinity);
    // Pushes 0 … 4 at times 5, 3, 5, 1, 3; the third push finds 2 slots used (grows to 4), the fifth 4 (to 8).
    q.push(5, 1, 10, 20, 0.5);
    q.push(3, 2, 11, 21, 1.5);
    q.push(5, 3, 12, 22, 2.5);
    q.push(1, 4, 13, 23, 3.5);
    q.push(3, 5, 14, 24, 4.5);
    expect(q.length).toBe(5);
    expect(q.peekTime()).toBe(1);
    // Time 1 (push 3); time 3: push 1, then push 4; time 5: push 0, then push 2.
    expect(drain(q)).toEqual(['1 4 13 23 3.5', '3 2 11 21 1.5', '3 5 14 24 4.5', '5 1 10 20 0.5', '5 3 12 22 2.5']);
    expect(q.length).toBe(0);
    // Empty again after its last event (time 5) left: no time, no slot.
    expect(q.peekTime()).toBe(Infinity);
    expect(q.pop()).toBe(-1);
  });

  it('eight events with three-way ties, pops interleaved with pushes', () => {
    const q = new EventQueue(4);
    // a = push number. Pushes 0 … 5 at times 4, 2, 4, 1, 2, 4.
    [4, 2, 4, 1, 2, 4].forEach((t, k) => q.push(t, 0, k, 0, 0));
    // Earliest: push 3 (time 1), then push 1 (time 2, before push 4).
    expect(q.a[q.pop()]).toBe(3);
    expect(q.a[q.pop()]).toBe(1);
    // Pushes 6, 7 at times 1 and 3: time 1 is now the earliest; push 4 (time 2) before push 7 (time 3).
    q.push(1, 0, 6, 0, 0);
    q.push(3, 0, 7, 0, 0);
    expect(q.peekTime()).toBe(1);
    // Then time 4: pushes 0, 2, 5 in push order.
    expect(drain(q).map((e) => +e.split(' ')[2])).toEqual([6, 4, 7, 0, 2, 5]);
  });

  it('a popped slot is reused by the next push instead of a new one', () => {
    const q = new EventQueue(2);
    q.push(1, 1, 0, 0, 0);
    q.push(2, 2, 0, 0, 0);
    // Slots 0 and 1 in push order; time 1's event leaves from slot 0, and the push at time 3 takes slot 0 again
    // (a new slot would be 2, past the capacity).
    expect(q.pop()).toBe(0);
    q.push(3, 3, 0, 0, 0);
    expect(q.pop()).toBe(1);
    const last = q.pop();
    expect(last).toBe(0);
    expect([q.timeOf(last), q.kind[last]]).toEqual([3, 3]);
  });
});
