/**
 * Known answers for simulator/grid.ts on a target where every dimension differs, so that no term of the
 * numbering can stand in for another: a 3 × 2 mesh per chip (width 3, height 2: 6 routers a chip), boards of
 * 4 chips laid out 2 wide (2 × 2 chips), 2 boards side by side (8 chips; the grid is 12 routers wide, 4 high).
 *
 * Chip 7 is board 1's chip 3 (local 3): chip column 1 · 2 + 3 mod 2 = 3, chip row ⌊3 / 2⌋ = 1, so it holds grid
 * x 9–11 and y 2–3. Its router at mesh (x 2, y 1) is router 7 · 6 + 1 · 3 + 2 = 47, at grid (3 · 3 + 2,
 * 1 · 2 + 1) = (11, 3).
 */
import { grid } from '../simulator/grid';
import { loadTarget } from '../targets/load';
import { variantOf } from './helpers/targets';

const tiny = loadTarget('tiny');

function wideBoards() {
  return variantOf(tiny, 'tiny-3x2-boards', (data) => {
    const topology = data.topology;
    topology.mesh_width.value = 3;
    topology.mesh_height.value = 2;
    topology.groups_per_chip.value = 6;
    topology.chips_per_board.value = 4;
    topology.board_grid_width.value = 2;
    topology.boards.value = 2;
  });
}

describe('routers on the system grid, by hand', () => {
  it('router 47 (chip 7, mesh x 2, y 1) sits at grid (11, 3), and grid (11, 3) is router 47', () => {
    const g = grid(wideBoards());
    expect([g.width, g.height]).toEqual([3, 2]);
    expect(g.chipOf(47)).toBe(7);
    expect(g.gx(47)).toBe(11);
    expect(g.gy(47)).toBe(3);
    // at(11, 3): chip column ⌊11 / 3⌋ = 3, chip row ⌊3 / 2⌋ = 1; chip = board ⌊3 / 2⌋ = 1 → 1 · 4, plus row 1 · 2,
    // plus column 3 mod 2 = 1: chip 7; router 7 · 6 + (3 mod 2) · 3 + 11 mod 3 = 42 + 3 + 2 = 47.
    expect(g.at(11, 3)).toBe(47);
  });

  it('the first router of board 1 and the last of board 0', () => {
    const g = grid(wideBoards());
    // Grid (6, 0): chip column 2 (board 1, column 0), chip row 0: chip 4, its mesh (0, 0): router 24.
    expect(g.at(6, 0)).toBe(24);
    expect([g.gx(24), g.gy(24)]).toEqual([6, 0]);
    // Grid (5, 2): chip column 1, chip row 1, board 0: chip 0 · 4 + 1 · 2 + 1 = 3, mesh (2, 0): 3 · 6 + 0 + 2 = 20.
    expect(g.at(5, 2)).toBe(20);
    expect([g.gx(20), g.gy(20)]).toEqual([5, 2]);
  });
});
