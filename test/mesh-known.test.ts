/**
 * Known answers for compiler/mesh.ts: hop energies between grid positions counted by hand, on the tiny target
 * (2 chips of 2×2 routers side by side, so chip 1 holds grid x 2–3) and on a variant with the two chips stacked
 * (board 1 chip wide: chip 1 holds grid y 2–3). tiny's prices: east-west hop 1 pJ, north-south hop 2 pJ,
 * chip-to-chip hop 10 pJ (in place of the mesh hop that crosses the chip edge).
 */
import { lower } from '../compiler/lower';
import { geometry, hopLink } from '../compiler/mesh';
import { DEFAULT_OPTIONS } from '../compiler/pipeline';
import { LINK } from '../compiler/ir';
import { loadTarget } from '../targets/load';
import { variantOf } from './helpers/targets';
import type { Target } from '../targets/schema';
import { randomModel } from './fixtures/model';

const tiny = loadTarget('tiny');

function stacked(): Target {
  return variantOf(tiny, 'tiny-stacked', (data) => (data.topology.board_grid_width = { value: 1, source: 'assumption: test' }));
}

const geometryOf = (target: Target) => geometry(lower(randomModel(), target, DEFAULT_OPTIONS).ctx, 2);
const pJ = (joules: number) => Math.round(joules * 1e12 * 1000) / 1000;

describe('hop energy, counted by hand', () => {
  it('side by side: hops within chip 1, and hops off the grid origin', () => {
    const geo = geometryOf(tiny);
    // (2,0) → (3,0): both on chip 1 (x 2–3): one east-west mesh hop, no chip edge: 1 pJ.
    expect(pJ(geo.hopEnergy(2, 0, 3, 0))).toBe(1);
    // (3,1) → (2,0): one west hop and one north hop within chip 1: 1 + 2 = 3 pJ.
    expect(pJ(geo.hopEnergy(3, 1, 2, 0))).toBe(3);
    // (1,0) → (1,1): one north-south hop on chip 0: 2 pJ.
    expect(pJ(geo.hopEnergy(1, 0, 1, 1))).toBe(2);
    // (0,1) → (1,1): one east-west hop on chip 0: 1 pJ.
    expect(pJ(geo.hopEnergy(0, 1, 1, 1))).toBe(1);
    // (1,1) → (3,0): east to (2,1) crosses into chip 1 (10 pJ), east to (3,1) (1 pJ), north to (3,0) (2 pJ): 13 pJ.
    expect(pJ(geo.hopEnergy(1, 1, 3, 0))).toBe(13);
    // (1,1) → (2,1): one step along y = 1 across the chip edge: a chip hop, 10 pJ, not the 1 pJ of a spike that
    // stays at its router ((2,1) → (2,1)), which only the same x and the same y make.
    expect(pJ(geo.hopEnergy(1, 1, 2, 1))).toBe(10);
    expect(pJ(geo.hopEnergy(2, 1, 2, 1))).toBe(1);
  });

  it('stacked: a step across the chip edge along y is a chip hop, not a north-south hop', () => {
    const geo = geometryOf(stacked());
    expect([geo.gx[8], geo.gy[8]]).toEqual([0, 2]); // core 8: chip 1's first core, its router at grid (0,2)
    // (0,1) → (0,2): from chip 0's bottom row to chip 1's top row: one chip hop, 10 pJ.
    expect(pJ(geo.hopEnergy(0, 1, 0, 2))).toBe(10);
    // (1,0) → (1,3): south to (1,1) 2 pJ, across the edge to (1,2) 10 pJ, south to (1,3) 2 pJ: 14 pJ.
    expect(pJ(geo.hopEnergy(1, 0, 1, 3))).toBe(14);
    // (1,3) → (0,2): within chip 1, one west hop and one north hop: 1 + 2 = 3 pJ.
    expect(pJ(geo.hopEnergy(1, 3, 0, 2))).toBe(3);
  });
});

describe('chips on a board of two rows', () => {
  it('numbers chips row by row: chip 2 is the first of the second row, its routers 8-11', () => {
    // tiny with 4 chips per board in a grid 2 wide: chips 0, 1 on the first row, 2, 3 on the second. A chip's
    // 2 x 2 mesh has routers chip · 4 + y · 2 + x; its 8 cores sit 2 per router (group g at x = g mod 2, y = ⌊g / 2⌋).
    const twoRows = variantOf(tiny, 'tiny-2x2', (data) => (data.topology.chips_per_board = { value: 4, source: 'assumption: test' }));
    const geo = geometry(lower(randomModel(), twoRows, DEFAULT_OPTIONS).ctx, 4);
    // Core 16: chip 2's first core, group 0: grid (0, 2), router 8. Core 31: chip 3's last, group 3: grid (3, 3), router 15.
    expect([geo.gx[16], geo.gy[16], geo.router[16]]).toEqual([0, 2, 8]);
    expect([geo.gx[31], geo.gy[31], geo.router[31]]).toEqual([3, 3, 15]);
    // Core 26: chip 3, group 1 at (1, 0): grid (3, 2), router 13.
    expect([geo.gx[26], geo.gy[26], geo.router[26]]).toEqual([3, 2, 13]);
  });
});

describe('hopLink: the link a hop leaves by', () => {
  it('names each of the four directions (y grows southward)', () => {
    expect(hopLink(0, 0, 1, 0)).toBe(LINK.east);
    expect(hopLink(1, 0, 0, 0)).toBe(LINK.west);
    expect(hopLink(0, 0, 0, 1)).toBe(LINK.south);
    expect(hopLink(0, 1, 0, 0)).toBe(LINK.north);
    // Away from the origin too: (3,2) → (2,2) west, (3,2) → (3,3) south, (3,2) → (3,1) north.
    expect(hopLink(3, 2, 2, 2)).toBe(LINK.west);
    expect(hopLink(3, 2, 3, 3)).toBe(LINK.south);
    expect(hopLink(3, 2, 3, 1)).toBe(LINK.north);
  });
});
