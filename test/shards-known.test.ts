/**
 * The seed of a shard's dropout generator (models/parallel/shards.ts shardSeed), worked out in hex: every training
 * run's dropout masks flow from it, so a change to the mixing changes the bytes a seed gives.
 * shardSeed(seed, step, shard): A = (step + 1) · 0x9e3779b1, B = (shard + 1) · 0x85ebca77 (mod 2^32), x = seed ^ A ^ B,
 * then x ^= x >>> 16, x ·= 0x7feb352d, x ^= x >>> 15, x ·= 0x846ca68b, x ^= x >>> 16 (products mod 2^32).
 *
 * Equivalent mutants of shards.ts (Stryker scout of 2026-12-05; its other mutants are killed here and by
 * train-threads, pool-known and worker-known):
 *   :95 `if (shards.length === 1) return` → `if (false) …`: one shard holds the whole batch, so its weight is
 *     count/batch = 1 exactly and each gradient is multiplied by 1 (exact in floating point, −0 and NaN included).
 *   :100 and :103 `i < out.length` → `i <= out.length`: one step past a typed array's end, a write there is ignored.
 */
import { shardSeed } from '../models/parallel/shards';

describe('shardSeed', () => {
  it('(0, 0, 0): 0x331971d0', () => {
    // A = 0x9e3779b1, B = 0x85ebca77, x = 0x1bdcb3c6; ^ >>>16: 0x1bdca81a, · 0x7feb352d: 0xca74ee92;
    // ^ >>>15: 0xca757a7b, · 0x846ca68b: 0x331942c9; ^ >>>16: 0x331971d0.
    expect(shardSeed(0, 0, 0)).toBe(0x331971d0);
  });

  it('(7, 2, 1): 0x1fb214d6', () => {
    // A = 3 · 0x9e3779b1 = 0xdaa66d13, B = 2 · 0x85ebca77 = 0x0bd794ee, x = 7 ^ A ^ B = 0xd171f9fa; ^ >>>16:
    // 0xd171288b, · 0x7feb352d: 0x6ae1e76f; ^ >>>15: 0x6ae132ac, · 0x846ca68b: 0x1fb20b64; ^ >>>16: 0x1fb214d6.
    expect(shardSeed(7, 2, 1)).toBe(0x1fb214d6);
  });
});
