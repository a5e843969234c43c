/**
 * Routers as positions on one system-wide grid (the numbering of compiler/mesh.ts): chip c's group (x, y)
 * sits at grid (chipX · mesh_width + x, chipY · mesh_height + y); router id = chip · width · height + y · width + x.
 */
import { resolveTarget } from '../targets/resolve';
import { chipXY } from '../targets/derive';
import type { Target } from '../targets/schema';

export interface Grid {
  width: number;
  height: number;
  /** Grid coordinates of a router. */
  gx(router: number): number;
  gy(router: number): number;
  chipOf(router: number): number;
  /** Router at grid coordinates. */
  at(gx: number, gy: number): number;
}

export function grid(t: Target): Grid {
  const { meshWidth: width, meshHeight: height, chipsPerBoard: perBoard, boardGridWidth: boardWidth } = resolveTarget(t).topology;
  const cells = width * height;
  const chipOf = (r: number) => Math.floor(r / cells);
  return {
    width,
    height,
    chipOf,
    gx: (r) => chipXY(t, chipOf(r)).x * width + ((r % cells) % width),
    gy: (r) => chipXY(t, chipOf(r)).y * height + Math.floor((r % cells) / width),
    at: (gx, gy) => {
      const cx = Math.floor(gx / width), cy = Math.floor(gy / height);
      const chip = Math.floor(cx / boardWidth) * perBoard + cy * boardWidth + (cx % boardWidth);
      return chip * cells + (gy % height) * width + (gx % width);
    },
  };
}
