/**
 * The activity strategies of simulator/activity.ts called directly: a script's steps past its end and its active
 * units read from the accumulators, and the seeded random activity of the benchmarks (bench/simulate.ts, its only
 * caller) against xorshift32 draws worked out by hand.
 */
import { fireBuffer, randomActivity, scripted } from '../simulator/activity';

// xorshift32 from state 1 (seed 0 and seed 1 both start there), each draw s ^= s << 13, s ^= s >>> 17,
// s ^= s << 5 in 32 bits, divided by 2^32:
//   1: 0x00000001 ^ 0x00002000 = 0x00002001; >>> 17 is 0; ^ 0x00040020 = 0x00042021 = 270369    → d1 ≈ 0.0000630
//   2: 0x00042021 ^ 0x84042000 = 0x84000021; ^ 0x00004200 = 0x84004221; ^ 0x80084420 = 0x04080601 → d2 ≈ 0.0157474
//   3: 0x04080601 ^ 0x00C02000 = 0x04C82601; ^ 0x00000264 = 0x04C82465; ^ 0x99048CA0 = 0x9DCCA8C5 → d3 ≈ 0.6164041
//   4: 0x9DCCA8C5 ^ 0x9518A000 = 0x08D408C5; ^ 0x0000046A = 0x08D40CAF; ^ 0x1A8195E0 = 0x1255994F → d4 ≈ 0.0716186
const d1 = 0x00042021 / 2 ** 32;
const d2 = 0x04080601 / 2 ** 32;

describe('scripted activity', () => {
  it('a step past the end of the script sends no host event', () => {
    const b = fireBuffer(4);
    scripted({ host: [[[3, 0.5]]] }).host(1, b);
    expect(b.count).toBe(0);
  });

  it('a unit is active when any of its own accumulator slots is non-zero, and only then', () => {
    // 3 units × 2 slots, unit u's slots at 2u and 2u + 1. All zero: no unit active. Slot 1 of unit 1 (index 3)
    // and slot 0 of unit 2 (index 4) non-zero: units 1 and 2 active, unit 0 not.
    const b = fireBuffer(4);
    const activity = scripted({ host: [] });
    activity.update(0, 0, new Float32Array(6), 3, 2, b);
    expect(b.active).toBe(0);
    activity.update(0, 0, Float32Array.from([0, 0, 0, 7, -1, 0]), 3, 2, b);
    expect(b.active).toBe(2);
  });
});

describe('randomActivity', () => {
  it('a dense embedding: every source sends draw − 0.5, one draw each; seed 0 starts like seed 1', () => {
    // Density 1 draws nothing to decide: source 5 sends d1 − 0.5, source 9 d2 − 0.5.
    const b = fireBuffer(4);
    randomActivity(0, 0.5, [5, 9]).host(0, b);
    expect(b.count).toBe(2);
    expect(Array.from(b.ids.subarray(0, 2))).toEqual([5, 9]);
    expect(b.values[0]).toBeCloseTo(d1 - 0.5, 7);
    expect(b.values[1]).toBeCloseTo(d2 - 0.5, 7);
  });

  it('a sparse embedding: a source sends when its draw is below the density, strictly', () => {
    // Density 0.5: source 5 draws d1 < 0.5 and sends d2 − 0.5; source 9 draws d3 ≈ 0.616 and does not send.
    const b = fireBuffer(4);
    randomActivity(1, 0.5, [5, 9], 0.5).host(0, b);
    expect(b.count).toBe(1);
    expect(b.ids[0]).toBe(5);
    expect(b.values[0]).toBeCloseTo(d2 - 0.5, 7);
    // A density of exactly d1: the first draw is not below it, nothing is sent.
    randomActivity(1, 0.5, [5], d1).host(0, b);
    expect(b.count).toBe(0);
  });

  it('a unit fires when its draw is below p, with the next draw as value; every unit is active', () => {
    // p 0.5, 2 units: unit 0 draws d1 and fires with d2; unit 1 draws d3 ≈ 0.616 and does not fire (a third unit
    // would draw d4 ≈ 0.072 and fire).
    const b = fireBuffer(4);
    randomActivity(1, 0.5, []).update(0, 0, new Float32Array(4), 2, 2, b);
    expect(Array.from(b.ids.subarray(0, b.count))).toEqual([0]);
    expect(b.values[0]).toBeCloseTo(d2, 7);
    expect(b.active).toBe(2);
    // p exactly d1: unit 0's draw d1 is not below it; unit 1 draws d2 ≈ 0.016 > d1: none fires.
    randomActivity(1, d1, []).update(0, 0, new Float32Array(2), 2, 1, b);
    expect(b.count).toBe(0);
    expect(b.active).toBe(2);
  });
});
