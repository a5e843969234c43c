/**
 * The system as one grid of routers: every chip is a mesh_width × mesh_height mesh of groups (tiles,
 * quad-PEs), chips sit on boards side by side (targets/derive.ts chipXY), so a router has global grid
 * coordinates (GX, GY) = (chip x · width + x, chip y · height + y). A step between neighbouring routers is a
 * mesh hop, or a chip-to-chip hop where it crosses a chip edge. The system holds whole boards: routes may
 * cross chips of the used boards that hold no slice. Positions of a mesh with holes (groups_per_chip <
 * width × height) are routers without cores. The host attaches at chip 0's router (0, 0).
 */
import { chipXY, groupXY } from '../targets/derive';
import { LINK, type Context } from './ir';

export interface Geometry {
  chips: number;
  cores: number;
  /** Routers of the whole boards the chips sit on (ids 0 … routers−1). */
  routers: number;
  width: number;
  height: number;
  coresPerGroup: number;
  /** Grid coordinates and router id of every core (global core id = chip · cores per chip + local id). */
  gx: Int32Array;
  gy: Int32Array;
  router: Int32Array;
  chipOf: Int32Array;
  /** Router id at grid coordinates; ids are chip · width · height + y · width + x. */
  routerAt(x: number, y: number): number;
  chipAt(x: number, y: number): number;
  /** Energy (J) of one packet between two routers along dimension-order hops (spike_within_group when equal). */
  hopEnergy(ax: number, ay: number, bx: number, by: number): number;
  host: { gx: number; gy: number; router: number };
}

export function geometry(ctx: Context, chips: number): Geometry {
  const t = ctx.target;
  const { topology: topo, costs } = ctx.resolved;
  const width = topo.meshWidth, height = topo.meshHeight, perGroup = topo.coresPerGroup, perChip = topo.coresPerChip;
  const perBoard = topo.chipsPerBoard, boardWidth = topo.boardGridWidth;
  const cores = chips * perChip;
  const gx = new Int32Array(cores), gy = new Int32Array(cores), router = new Int32Array(cores), chipOf = new Int32Array(cores);
  const chipAt = (x: number, y: number) => {
    const cx = Math.floor(x / width), cy = Math.floor(y / height);
    return Math.floor(cx / boardWidth) * perBoard + cy * boardWidth + (cx % boardWidth);
  };
  const routerAt = (x: number, y: number) => chipAt(x, y) * width * height + (y % height) * width + (x % width);
  for (let c = 0; c < cores; c++) {
    const chip = Math.floor(c / perChip);
    const g = groupXY(t, Math.floor((c % perChip) / perGroup));
    const at = chipXY(t, chip);
    gx[c] = at.x * width + g.x;
    gy[c] = at.y * height + g.y;
    router[c] = routerAt(gx[c], gy[c]);
    chipOf[c] = chip;
  }
  const ew = costs.hop_east_west.energy, ns = costs.hop_north_south.energy;
  const chipHop = costs.chip_hop.energy, within = costs.spike_within_group.energy;
  const hopEnergy = (ax: number, ay: number, bx: number, by: number) => {
    if (ax === bx && ay === by) return within;
    const cxs = Math.abs(Math.floor(ax / width) - Math.floor(bx / width));
    const cys = Math.abs(Math.floor(ay / height) - Math.floor(by / height));
    return (Math.abs(ax - bx) - cxs) * ew + (Math.abs(ay - by) - cys) * ns + (cxs + cys) * chipHop;
  };
  const routers = Math.ceil(chips / perBoard) * perBoard * width * height;
  return { chips, cores, routers, width, height, coresPerGroup: perGroup, gx, gy, router, chipOf, routerAt, chipAt, hopEnergy, host: { gx: 0, gy: 0, router: 0 } };
}

/** The link a hop between neighbouring grid positions leaves by (LINK flags of ir.ts). */
export function hopLink(fx: number, fy: number, tx: number, ty: number): number {
  return tx > fx ? LINK.east : tx < fx ? LINK.west : ty > fy ? LINK.south : LINK.north;
}

/**
 * The routers a packet visits from (ax, ay) to (bx, by), dimension order (x first, then y), as the steps
 * taken: calls step(fromX, fromY, toX, toY) for each hop.
 */
export function walk(ax: number, ay: number, bx: number, by: number, step: (fx: number, fy: number, tx: number, ty: number) => void): void {
  let x = ax, y = ay;
  const sx = Math.sign(bx - ax), sy = Math.sign(by - ay);
  while (x !== bx) step(x, y, x + sx, y), (x += sx);
  while (y !== by) step(x, y, x, y + sy), (y += sy);
}
