/**
 * Pass 5, route: multicast routes and routing tables, checked against the target's table capacity.
 *
 * Every source whose events go somewhere gets a route: a tree of dimension-order paths (x first, then y,
 * across chip edges where needed) from its core's router (the host's for the embedding) to every core that
 * holds a synapse from it, and to the host when its events end there. Sources of one slice with the same
 * destinations share a route (one routing key with a mask, as SpiNNaker does).
 *
 * Tables, at the target's scope:
 * - core (Loihi): the source core's output-axon table holds one entry per (unit, destination, plane);
 * - group: every router a route visits holds an entry; entries of one source slice that leave a router the
 *   same way (same links, same local cores) merge into one (key/mask). Routers with no entry for a packet
 *   are not assumed to pass it on by default: every visited router counts, which over-counts for hardware
 *   with default routing;
 * - chip: the same with one router per chip; links are the chip-to-chip ones.
 */
import { count, doesNotFit } from './fit';
import { withNotes } from './diagnostics';
import { formatCountOf } from '../format/table';
import { LINK, type Placed, type Routed, type Routes, type RoutingTables } from './ir';
import { geometry, hopLink, walk, type Geometry } from './mesh';

export function route(ir: Placed): Routed {
  const geo = geometry(ir.ctx, ir.chips);
  const routes = buildRoutes(ir, geo);
  const tables = buildTables(ir, geo, routes);
  const limits = ir.ctx.resolved.limits;
  let worst = 0;
  for (let t = 0; t < tables.owner.length; t++) {
    if (tables.entries[t] > tables.entries[worst]) worst = t;
  }
  if (tables.owner.length && tables.entries[worst] > limits.tableEntries) {
    throw doesNotFit(ir.ctx, 'routing',
      `the routing table of ${tables.scope} ${tables.owner[worst]} needs ${count(tables.entries[worst])} entries, it holds ${count(limits.tableEntries)}`);
  }
  const next: Routed = { ...ir, stage: 'routed', routes, tables };
  const most = tables.owner.length ? tables.entries[worst] : 0;
  return withNotes(next, [{
    pass: 'route', level: 'info',
    message: `${formatCountOf(routes.count, limits.multicast ? 'multicast route' : 'route')}${limits.multicast ? '' : ' (sent as one message per destination core, each along its dimension-order path)'}, ` +
      `${formatCountOf(routes.edgeFrom.length, 'link')}; ${formatCountOf(tables.owner.length, `${tables.scope} table`)}, at most ${count(most)} of ${count(limits.tableEntries)} entries`,
  }]);
}

function buildRoutes(ir: Placed, geo: Geometry): Routes {
  const { ptr, slice, toHost } = ir.destinations;
  const unitRoute = new Int32Array(ir.sources).fill(-1);
  const byKey = new Map<string, number>();
  const source: number[] = [], origin: number[] = [], host: number[] = [];
  const destPtr: number[] = [0], destCore: number[] = [];
  for (const pop of ir.populations) {
    for (let k = 0; k < pop.size; k++) {
      const i = pop.sourceBase + k;
      if (ptr[i + 1] === ptr[i] && !toHost[i]) continue;
      const node = pop.where === 'chip' ? ir.unitSlice[pop.id][k] : -1 - pop.id;
      const cores = Array.from(slice.subarray(ptr[i], ptr[i + 1]), (s) => ir.sliceCore[s]).sort((a, b) => a - b);
      const key = `${node}:${cores.join(',')}:${toHost[i]}`;
      let r = byKey.get(key);
      if (r === undefined) {
        r = source.length;
        byKey.set(key, r);
        source.push(node);
        origin.push(node >= 0 ? geo.router[ir.sliceCore[node]] : geo.host.router);
        host.push(toHost[i]);
        destCore.push(...cores);
        destPtr.push(destCore.length);
      }
      unitRoute[i] = r;
    }
  }
  // Trees: the union of the dimension-order paths from the origin. Every router has one parent on such
  // paths (x first from the origin's row, then along the column), so a router seen once is never re-added.
  const edgePtr = [0], edgeFrom: number[] = [], edgeTo: number[] = [], edgeLink: number[] = [];
  const stamp = new Int32Array(geo.routers).fill(-1);
  for (let r = 0; r < source.length; r++) {
    const [ox, oy] = source[r] >= 0 ? [geo.gx[ir.sliceCore[source[r]]], geo.gy[ir.sliceCore[source[r]]]] : [geo.host.gx, geo.host.gy];
    stamp[origin[r]] = r;
    const reach = (tx: number, ty: number) =>
      walk(ox, oy, tx, ty, (fx, fy, nx, ny) => {
        const b = geo.routerAt(nx, ny);
        if (stamp[b] === r) return;
        stamp[b] = r;
        edgeFrom.push(geo.routerAt(fx, fy));
        edgeTo.push(b);
        edgeLink.push(hopLink(fx, fy, nx, ny));
      });
    for (let q = destPtr[r]; q < destPtr[r + 1]; q++) reach(geo.gx[destCore[q]], geo.gy[destCore[q]]);
    if (host[r]) reach(geo.host.gx, geo.host.gy);
    edgePtr.push(edgeFrom.length);
  }
  return {
    count: source.length,
    source: Int32Array.from(source), destPtr: Int32Array.from(destPtr), destCore: Int32Array.from(destCore), toHost: Uint8Array.from(host),
    origin: Int32Array.from(origin), edgePtr: Int32Array.from(edgePtr), edgeFrom: Int32Array.from(edgeFrom), edgeTo: Int32Array.from(edgeTo), edgeLink: Uint8Array.from(edgeLink),
    unitRoute,
  };
}

function buildTables(ir: Placed, geo: Geometry, routes: Routes): RoutingTables {
  const scope = ir.ctx.target.routing.table_scope;
  const capacity = ir.ctx.resolved.limits.tableEntries;
  if (scope === 'core') {
    // Output-axon tables: the fan-out partition counted (destinations × planes per unit).
    const owner = Int32Array.from(ir.slices, (s) => ir.sliceCore[s.id]);
    const entries = Int32Array.from(ir.slices, (s) => s.usage.fanOut);
    const none = new Int32Array(ir.slices.length + 1);
    return { scope, capacity, owner, entries, entryPtr: none, entrySource: new Int32Array(0), entryLinks: new Uint8Array(0), deliveryPtr: new Int32Array(1), deliveryCore: new Int32Array(0) };
  }
  const perChip = geo.width * geo.height;
  const tableOf = (router: number) => (scope === 'chip' ? Math.floor(router / perChip) : router);
  // Per table: entry key → (source, links, deliveries); built route by route.
  const tables = new Map<number, Map<string, { source: number; links: number; cores: number[] }>>();
  // Planes of a bit-plane source share its route and entries: one key/mask covers them.
  for (let r = 0; r < routes.count; r++) {
    const at = new Map<number, { links: number; cores: number[] }>();
    const entry = (t: number) => {
      let e = at.get(t);
      if (!e) at.set(t, (e = { links: 0, cores: [] }));
      return e;
    };
    entry(tableOf(routes.origin[r]));
    for (let q = routes.edgePtr[r]; q < routes.edgePtr[r + 1]; q++) {
      const a = routes.edgeFrom[q], b = routes.edgeTo[q];
      const ta = tableOf(a), tb = tableOf(b);
      entry(tb);
      if (ta !== tb) entry(ta).links |= routes.edgeLink[q];
    }
    for (let q = routes.destPtr[r]; q < routes.destPtr[r + 1]; q++) entry(tableOf(geo.router[routes.destCore[q]])).cores.push(routes.destCore[q]);
    if (routes.toHost[r]) entry(tableOf(geo.host.router)).links |= LINK.host;
    for (const [t, e] of at) {
      let table = tables.get(t);
      if (!table) tables.set(t, (table = new Map()));
      const key = `${routes.source[r]}|${e.links}|${e.cores.join(',')}`;
      if (!table.has(key)) table.set(key, { source: routes.source[r], ...e });
    }
  }
  const owners = [...tables.keys()].sort((a, b) => a - b);
  const entryPtr = [0], entrySource: number[] = [], entryLinks: number[] = [], deliveryPtr = [0], deliveryCore: number[] = [];
  for (const t of owners) {
    for (const e of tables.get(t)!.values()) {
      entrySource.push(e.source);
      entryLinks.push(e.links);
      deliveryCore.push(...e.cores);
      deliveryPtr.push(deliveryCore.length);
    }
    entryPtr.push(entrySource.length);
  }
  const ptr = Int32Array.from(entryPtr);
  return {
    scope, capacity, owner: Int32Array.from(owners), entries: Int32Array.from(owners, (_, i) => ptr[i + 1] - ptr[i]),
    entryPtr: ptr, entrySource: Int32Array.from(entrySource), entryLinks: Uint8Array.from(entryLinks),
    deliveryPtr: Int32Array.from(deliveryPtr), deliveryCore: Int32Array.from(deliveryCore),
  };
}
