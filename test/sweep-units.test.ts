/** The sweep's pure parts: the scheduler (training keys shared by pruning levels), keys and seeds, the progress board. */
import { Writable } from 'stream';
import { Board } from '../sweep/board';
import type { SweepPoint } from '../sweep/grid';
import { canonicalJson, deriveSeed, keyOf } from '../sweep/hash';
import { parseSweepConfig } from '../sweep/config';
import { expandGrid } from '../sweep/grid';
import { Scheduler } from '../sweep/scheduler';

const pt = (key: string, trainKey: string) => ({ key, trainKey }) as SweepPoint;

describe('Scheduler', () => {
  it('lets one point train a key while the others of that key wait, in grid order otherwise', () => {
    const s = new Scheduler([pt('a0', 'A'), pt('a5', 'A'), pt('b0', 'B'), pt('a9', 'A')], () => false);
    expect(s.next()?.key).toBe('a0'); // trains A
    expect(s.next()?.key).toBe('b0'); // trains B; a5 and a9 wait
    expect(s.next()).toBeNull();
    s.trained('A');
    expect(s.next()?.key).toBe('a5');
    expect(s.next()?.key).toBe('a9');
    expect(s.remaining).toBe(0);
  });

  it('starts points of cached keys at once, and gives up the waiting points of a key whose training failed', () => {
    const s = new Scheduler([pt('a0', 'A'), pt('a5', 'A'), pt('c0', 'C')], (k) => k === 'C');
    const a0 = s.next()!;
    expect(s.next()?.key).toBe('c0');
    s.ended(a0, 'diverged');
    expect(s.skipped.map((x) => x.point.key)).toEqual(['a5']);
    expect(s.remaining).toBe(0);
  });

  it('hands a stopped training back (its checkpoint resumes next time)', () => {
    const s = new Scheduler([pt('a0', 'A'), pt('a5', 'A')], () => false);
    const a0 = s.next()!;
    s.ended(a0, null);
    expect(s.next()?.key).toBe('a5');
  });
});

describe('keys and seeds', () => {
  it('do not depend on the order of object keys, and differ between points', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] })).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
    expect(keyOf({ x: 1, y: 2 })).toBe(keyOf({ y: 2, x: 1 }));
    expect(keyOf({ x: 1 })).not.toBe(keyOf({ x: 2 }));
    expect(deriveSeed(1, 'abc')).toBe(deriveSeed(1, 'abc'));
    expect(deriveSeed(1, 'abc')).not.toBe(deriveSeed(2, 'abc'));
    expect(deriveSeed(1, 'abc')).toBeLessThan(2 ** 31);
  });
});

describe('the sweep file’s decoder', () => {
  const point = (simulate: object) =>
    expandGrid(parseSweepConfig(JSON.stringify({ simulate: { tokens: 4, targets: ['tiny'], ...simulate } }), 'sweep.json'))[0];
  it('is on the host unless the file says chip, and a chip point keeps the key it had before the choice existed', () => {
    expect(point({}).decoder).toBe('host');
    expect(point({ decoder: 'chip' }).decoder).toBe('chip');
    expect(point({}).key).toBe(point({ decoder: 'host' }).key);
    expect(point({}).key).not.toBe(point({ decoder: 'chip' }).key);
    // Before `decoder` existed the key hashed these fields only (sweep/grid.ts makePoint).
    const chip = point({ decoder: 'chip' });
    const { scope: _scope, ...keyed } = chip.prune;
    expect(chip.key).toBe(keyOf({ trainKey: chip.trainKey, prune: chip.prune.sparsity > 0 ? keyed : { sparsity: 0 }, evalTokens: chip.evalTokens, targets: ['tiny'], simTokens: 4 }));
  });
});

describe('Board', () => {
  const sink = (tty: boolean) => {
    let text = '';
    const stream = Object.assign(new Writable({ write: (c, _e, cb) => ((text += String(c)), cb()) }), { isTTY: tty, columns: 80 });
    return { stream, text: () => text };
  };

  it('prints plain lines for milestones only, once each, and a total per finished point', () => {
    const out = sink(false);
    const b = new Board(out.stream, 2, 3, 1, 4);
    b.worker(1, 'p1: train', true);
    b.worker(1, 'p1: train', true);
    b.worker(1, 'p1: train 50%', false);
    b.pointEnded(true);
    expect(out.text().split('\n').filter(Boolean)).toEqual(['worker 1: p1: train', expect.stringMatching(/^sweep: 2\/4 points done \(1\/3 this run\)/)]);
  });

  it('redraws a block of one line per worker plus the total on a terminal', () => {
    const out = sink(true);
    const b = new Board(out.stream, 2, 2, 0, 2);
    b.pointEnded(true);
    b.pointEnded(true);
    b.done();
    expect(out.text()).toContain('\x1b[3A'); // moved up over the 3-line block to redraw it
    expect(out.text()).toMatch(/worker 2: idle/);
    expect(out.text()).toMatch(/sweep: 2\/2 points done/);
  });
});
