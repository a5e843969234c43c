/**
 * Queued sweeps (`neuromap sweep --queue`, `neuromap worker`) on a real redis-server with real worker processes:
 * the tiny sweep on two workers gives the local mode's lines; a worker killed with -9 mid-point, Redis restarted
 * mid-sweep and the coordinator killed and restarted each lose and duplicate nothing; failures and refusals are
 * recorded with their one-line reason; the password is never printed or written.
 */
import { ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { Writable } from 'stream';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { UserError } from '../models/config';
import { parseSweepConfig } from '../sweep/config';
import { expandGrid } from '../sweep/grid';
import type { ResultLine } from '../sweep/line';
import { readResults } from '../sweep/results';
import { runPoint } from '../sweep/point';
import { runSweep, summaryText } from '../sweep/run';
import { connectRedis, redisTarget } from '../sweep/queue/connection';
import { runQueuedSweep } from '../sweep/queue/coordinator';
import { PREFIX, PointJob, PointProgress, QUEUE, jobIdOf, modelKey, pointJob } from '../sweep/queue/jobs';
import { TestRedis, startRedis } from './helpers/redis';

const ROOT = path.join(__dirname, '..');
const TINY = path.join(ROOT, 'examples', 'sweeps', 'tiny.yaml');
const CORPUS = path.join(ROOT, 'examples', 'sweeps', 'tiny-corpus');

let redis: TestRedis;
let root = '';
let queue: Queue<PointJob>;
let client: Redis;

beforeAll(async () => {
  redis = await startRedis();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'neuromap-queue-'));
  client = new Redis(redis.url, { maxRetriesPerRequest: null });
  client.on('error', () => {});
  queue = new Queue(QUEUE, { connection: client, prefix: PREFIX });
  // While Redis restarts (one test does that), the connection reports errors and then reconnects by itself.
  queue.on('error', () => {});
}, 30000);

afterAll(async () => {
  for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  await queue?.close();
  client?.disconnect();
  await redis?.dispose();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

interface Proc {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}
const procs: Proc[] = [];

function neuromap(args: string[], env: NodeJS.ProcessEnv = {}): Proc {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'neuromap.js'), ...args], {
    cwd: root, env: { ...process.env, NEUROMAP_REDIS_URL: redis.url, ...env },
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const p = { child, output: () => out, exited };
  procs.push(p);
  return p;
}

/** A worker process with its own folder (as on its own machine); locks of 2 s so a dead worker's point is taken over fast. */
const worker = (name: string, idleExit = 60, env: NodeJS.ProcessEnv = {}) =>
  neuromap(['worker', '--concurrency', '1', '--idle-exit', String(idleExit), '--stall-seconds', '2', '--work', path.join(root, name)], env);

/** SIGTERM: the graceful stop (nothing is running by then); resolves with the exit code. */
async function stop(...ws: Proc[]): Promise<(number | null)[]> {
  for (const w of ws) w.child.kill('SIGTERM');
  return Promise.all(ws.map((w) => w.exited));
}

async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 60000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function capture(): Writable & { text: () => string } {
  let text = '';
  const w = new Writable({ write: (c, _e, cb) => ((text += c), cb()) }) as Writable & { text: () => string };
  w.text = () => text;
  return w;
}

/** A small config on the tiny corpus; `seed` keeps each test's jobs apart in the shared queue. */
function writeConfig(name: string, seed: number, extra: object = {}): string {
  const file = path.join(root, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify({
    data: CORPUS, 'vocab-size': 50, seed, model: { emb: 8, layers: [8, 8], 'threshold-init': 0.1 },
    train: { 'max-tokens': 1500, batch: 4, bptt: 10, 'valid-tokens': 100 }, prune: { steps: 1, 'finetune-tokens': 100 },
    eval: { tokens: 100 }, simulate: { tokens: 4, targets: [] }, grid: { cell: ['egru'], sparsity: [0, 0.5] }, ...extra,
  }));
  return file;
}

const pointsOf = (config: string) => expandGrid(parseSweepConfig(fs.readFileSync(config, 'utf8'), config));
const lines = (dir: string): ResultLine[] => readResults(path.join(dir, 'results.jsonl')).lines;
/**
 * Everything but `run` (worker, host, timings) is deterministic. Lines pass through JSON as the results file's do
 * (a reduction over zero effective MACs is Infinity in memory and null in the file).
 */
const stable = (ls: ResultLine[]) =>
  (JSON.parse(JSON.stringify(ls)) as ResultLine[]).map(({ run: _run, ...rest }) => rest).sort((a, b) => (a.key < b.key ? -1 : 1));
const coordinate = (config: string, out: string, extra: { artifacts?: string; stream?: Writable } = {}) =>
  runQueuedSweep({ config, out: path.join(root, out), redis: redisTarget(redis.url), pollMs: 100, stream: extra.stream ?? capture(), artifacts: extra.artifacts });
/** How often each point key was started across these workers' outputs ("<label> (<key>): start"). */
const starts = (ws: Proc[], key: string) => ws.map((w) => w.output().split(`(${key}): start`).length - 1).reduce((a, b) => a + b, 0);

describe('job ids', () => {
  it('a point key of decimal digits only (1 in ~600 keys) still makes a job id BullMQ takes', async () => {
    // A 12-hex-digit key with no letter; as a bare id BullMQ throws "Custom Id cannot be integers".
    const other = new Queue('digits-only', { connection: client, prefix: PREFIX });
    try {
      await expect(other.add('point', {}, { jobId: '204816002477' })).rejects.toThrow(/integer/i);
      const job = await other.add('point', {}, { jobId: jobIdOf('204816002477') });
      expect(job.id).toBe('point-204816002477');
    } finally {
      await other.obliterate({ force: true });
      await other.close();
    }
  });
});

/**
 * Worker processes cost ~2.5 CPU seconds each to start, so these tests hand them on, in order: w1 and w2 serve the
 * first three tests; b, which takes over the killed worker's point, is then stopped with SIGTERM mid-training; c
 * resumes that point; d serves the last test. Each test asks `serve` for the workers it needs, which starts those no
 * earlier test left running and stops any other, so that a test run alone (`jest -t`, or Stryker, which runs only
 * the tests covering a mutant) passes or fails as it does in the block.
 */
describe('neuromap sweep --queue with neuromap worker processes', () => {
  /** The workers running now, by folder name. */
  const running = new Map<string, Proc>();
  /** Exactly the named workers, idle: those running are kept, the others started, every other one stopped. */
  async function serve(...names: string[]): Promise<Proc[]> {
    for (const [name, w] of running) if (w.child.exitCode !== null || w.child.signalCode !== null) running.delete(name);
    const others = [...running].filter(([name]) => !names.includes(name));
    await stop(...others.map(([, w]) => w));
    for (const [name] of others) running.delete(name);
    return names.map((name) => running.get(name) ?? started(name, worker(name)));
  }
  const started = (name: string, w: Proc): Proc => (running.set(name, w), w);

  it('runs the tiny sweep on two workers to the local mode’s lines, each model trained once, the password nowhere', async () => {
    const local = await runSweep({ config: TINY, out: path.join(root, 'local'), workers: 1, stream: capture() });
    expect(local.finished).toBe(6);
    const [w1, w2] = await serve('w1', 'w2');
    const out = capture();
    const s = await coordinate(TINY, 'queued', { stream: out });
    expect(s).toMatchObject({ total: 6, finished: 6, failed: [], stopped: false });
    const ls = lines(path.join(root, 'queued'));
    expect(stable(ls)).toEqual(stable(lines(path.join(root, 'local'))));
    // Three training runs (egru at two weight decays, gru), each trained by exactly one point on one worker and
    // shared with the other through Redis; every line names the worker process that ran it.
    const trainKeys = new Set(ls.map((l) => l.train_key));
    expect(trainKeys.size).toBe(3);
    for (const k of trainKeys) {
      expect(ls.filter((l) => l.train_key === k && l.run.trained_here)).toHaveLength(1);
      expect(await client.exists(modelKey(k))).toBe(1);
    }
    const pids = new Set([w1.child.pid, w2.child.pid].map(String));
    for (const l of ls) expect(pids.has(l.run.host!.split(':')[1])).toBe(true);
    expect(out.text()).toMatch(/6\/6 done, 0 running, 0 failed, 0 waiting/);
    // The password: not in any output, nor in any file the sweep or the workers wrote.
    const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
    for (const text of [out.text(), w1.output(), w2.output(), ...['queued', 'w1', 'w2'].flatMap((d) => files(path.join(root, d))).map((f) => fs.readFileSync(f, 'latin1'))])
      expect(text.includes(redis.password)).toBe(false);
    expect(out.text()).toContain(`redis://:***@127.0.0.1:${redis.port}`);
  });

  it('the coordinator killed and started again queues nothing twice and collects what finished meanwhile (shared --artifacts)', async () => {
    const config = writeConfig('restart', 22, { grid: [{ cell: ['egru'], sparsity: [0, 0.5] }, { cell: ['gru'] }] });
    const points = pointsOf(config);
    const artifacts = path.join(root, 'shared');
    const [w1, w2] = await serve('w1', 'w2');
    const before = Object.values(await queue.getJobCounts()).reduce((x, y) => x + y, 0);
    const first = neuromap(['sweep', config, '--out', path.join(root, 'restart'), '--queue', '--artifacts', artifacts]);
    await until('the first coordinator to queue the points', () => first.output().includes('points queued on'));
    first.child.kill('SIGKILL');
    await first.exited;
    await until('a point to finish while no coordinator runs', async () => (await queue.getJobState(jobIdOf(points[0].key))) === 'completed');
    const s = await coordinate(config, 'restart', { artifacts });
    expect(s).toMatchObject({ total: 3, alreadyDone: 0, finished: 3, failed: [] });
    const ls = lines(path.join(root, 'restart'));
    expect(ls.map((l) => l.key).sort()).toEqual(points.map((p) => p.key).sort());
    // Queued twice, yet 3 jobs in all, each run once.
    expect(Object.values(await queue.getJobCounts()).reduce((x, y) => x + y, 0) - before).toBe(3);
    for (const p of points) expect(starts([w1, w2], p.key)).toBe(1);
    // The artifacts went to the shared folder, the trained models with them (not through Redis).
    for (const l of ls) {
      expect(fs.existsSync(path.join(artifacts, l.model.file))).toBe(true);
      expect(await client.exists(modelKey(l.train_key))).toBe(0);
    }
  });

  it('Redis restarted in the middle of a sweep (append-only file): the sweep completes, every point once', async () => {
    const [w1, w2] = await serve('w1', 'w2');
    const config = writeConfig('redis-restart', 23);
    const points = pointsOf(config);
    const sweep = coordinate(config, 'redis-restart');
    await until('a point to finish', async () => (await queue.getJobState(jobIdOf(points[0].key))) === 'completed');
    await redis.stop();
    await new Promise((r) => setTimeout(r, 500));
    await redis.start();
    const s = await sweep;
    expect(s).toMatchObject({ total: 2, finished: 2, failed: [] });
    expect(lines(path.join(root, 'redis-restart')).map((l) => l.key).sort()).toEqual(points.map((p) => p.key).sort());
    // SIGTERM with nothing running: both leave at once, cleanly.
    expect(await stop(w1, w2)).toEqual([0, 0]);
  });

  it('a worker killed with -9 in the middle of a point: another takes the point over; every point once', async () => {
    // Training 8k tokens takes a second or more here: long enough to be killed in the middle of it.
    const config = writeConfig('killed', 21, { train: { 'max-tokens': 8000, batch: 4, bptt: 10, 'valid-tokens': 100 } });
    const [trainer, other] = pointsOf(config);
    await serve();
    const a = worker('killed-a');
    const sweep = coordinate(config, 'killed');
    await until('worker a to start the training point', () => a.output().includes(`(${trainer.key}): start`));
    await new Promise((r) => setTimeout(r, 300));
    expect(await queue.getJobState(jobIdOf(trainer.key))).toBe('active');
    a.child.kill('SIGKILL');
    await a.exited;
    const b = started('killed-b', worker('killed-b'));
    const s = await sweep;
    expect(s).toMatchObject({ total: 2, finished: 2, failed: [] });
    const ls = lines(path.join(root, 'killed'));
    expect(ls.map((l) => l.key).sort()).toEqual([trainer.key, other.key].sort());
    // Worker b ran both, the killed point from the start (no shared folder, so no checkpoint to resume from).
    for (const l of ls) expect(l.run.host).toBe(`${os.hostname()}:${b.child.pid}`);
    expect(ls.find((l) => l.key === trainer.key)!.run.trained_here).toBe(true);
    expect(starts([b], trainer.key)).toBe(1);
    expect(a.output()).not.toContain('done in');
  });

  it('a worker stopped with SIGTERM mid-training checkpoints to the shared --artifacts; another worker resumes to the same line', async () => {
    // 40k tokens are 1,000 training steps, a few seconds here: SIGTERM comes in the middle.
    const config = writeConfig('sigterm', 26, { train: { 'max-tokens': 40000, batch: 4, bptt: 10, 'valid-tokens': 100 }, grid: { cell: ['egru'] } });
    const [point] = pointsOf(config);
    const [b] = await serve('killed-b');
    const straight = runPoint(point, path.join(root, 'sigterm-straight'), { worker: 1, phase: () => {}, progress: () => {}, trained: () => {}, shouldStop: () => false });
    const artifacts = path.join(root, 'sigterm-shared');
    const sweep = coordinate(config, 'sigterm', { artifacts });
    // Worker b (the only one running) takes the point; it reports progress in the job 4 times a second.
    // SIGTERM as soon as the training phase begins: on an idle machine these 1,000 steps take well under a second.
    await until('worker b to be training', async () => ((await queue.getJob(jobIdOf(point.key)))?.progress as PointProgress | undefined)?.phase === 'train');
    expect(await stop(b)).toEqual([0]);
    expect(b.output()).toContain('stopped at a checkpoint; back in the queue');
    expect(fs.existsSync(path.join(artifacts, 'models', `${point.trainKey}.egru.ckpt`))).toBe(true);
    const c = started('sigterm-c', worker('sigterm-c', 3));
    expect(await sweep).toMatchObject({ total: 1, finished: 1, failed: [] });
    const [line] = lines(path.join(root, 'sigterm'));
    expect(line.run.host).toBe(`${os.hostname()}:${c.child.pid}`);
    // Resumed, not restarted (its thread says where, in the worker's log) ...
    const resumed = /resuming from its checkpoint at step (\d+)/.exec(fs.readFileSync(path.join(root, 'sigterm-c', 'sweep.log'), 'utf8'));
    expect(Number(resumed?.[1])).toBeGreaterThanOrEqual(0);
    expect(fs.existsSync(path.join(artifacts, 'models', `${point.trainKey}.egru.ckpt`))).toBe(false);
    // ... and exactly: the same line as the point run straight through in this process.
    expect(stable([line])).toEqual(stable([straight]));
    // Worker c leaves by itself once idle for 3 s, having run that one point.
    expect(await c.exited).toBe(0);
    expect(c.output()).toMatch(/idle for 3 s: 1 done, 0 failed, 0 handed back/);
  });

  it('records failed points with their one-line reason, refuses jobs of another version, and retries failures when run again', async () => {
    // A corpus the workers cannot read: the trainer fails, the point waiting for its model fails with it.
    const broken = writeConfig('broken', 24, { data: path.join(root, 'no-such-corpus') });
    const [trainer, waiting] = pointsOf(broken);
    await serve();
    const d = started('failures', worker('failures', 3));
    const s = await coordinate(broken, 'broken');
    expect(s.finished).toBe(0);
    const reasons = new Map(s.failed.map((f) => [f.key, f.message]));
    expect(reasons.get(trainer.key)).toMatch(/no-such-corpus/);
    expect(reasons.get(waiting.key)).toBe(`its model's training failed (see point ${trainer.key})`);
    for (const m of reasons.values()) expect(m).not.toContain('\n');
    expect(() => summaryText(s)).toThrow(UserError);
    expect(() => summaryText(s)).toThrow(/2 of 2 sweep points failed/);

    // A job queued by another neuromap version: the worker refuses it, and its failure reason says why.
    const other = writeConfig('other-version', 25, { grid: { cell: ['gru'] } });
    const [point] = pointsOf(other);
    await queue.add('point', { ...pointJob(point, point.key, null), neuromap: '0.0.0-other' }, { jobId: jobIdOf(point.key) });
    await until('the worker to refuse the job', async () => (await queue.getJobState(jobIdOf(point.key))) === 'failed');
    expect((await queue.getJob(jobIdOf(point.key)))!.failedReason).toMatch(
      /^refused by a worker of neuromap \S+ \(schema \w+\): the job was queued by neuromap 0\.0\.0-other \(schema \w+\); run workers and the sweep from the same neuromap version$/);
    // The sweep queues the failed job again with this version's data, and it runs.
    expect(await coordinate(other, 'other-version')).toMatchObject({ finished: 1, failed: [] });
    // Worker d leaves by itself once idle for 3 s: the broken point and the one waiting for it failed, the job of
    // another version was refused, and then ran.
    expect(await d.exited).toBe(0);
    expect(d.output()).toMatch(/idle for 3 s: 1 done, 3 failed, 0 handed back/);
  });
});

describe('the Redis URL', () => {
  it('masks the password, takes NEUROMAP_REDIS_URL, and turns rediss:// into TLS', () => {
    const t = redisTarget('redis://:s3cret@db.example:6380/2');
    expect(t.shown).toBe('redis://:***@db.example:6380/2');
    expect(t.options).toMatchObject({ host: 'db.example', port: 6380, db: 2, password: 's3cret' });
    expect(t.options.tls).toBeUndefined();
    const tls = redisTarget(undefined, '--queue', { NEUROMAP_REDIS_URL: 'rediss://user:pw@cache.example' });
    expect(tls.shown).toBe('rediss://user:***@cache.example');
    expect(tls.options).toMatchObject({ host: 'cache.example', port: 6379, username: 'user', password: 'pw', tls: { servername: 'cache.example' } });
    for (const [url, message] of [['http://:s3cret@h:1', /not a Redis URL/], ['redis://:s3cret@h:1/x', /database after \/ must be a number/], [':s3cret@@', /not a URL/]] as const) {
      expect(() => redisTarget(url)).toThrow(message);
      expect(() => redisTarget(url)).not.toThrow(/s3cret/);
    }
    expect(() => redisTarget(undefined, '--queue', {})).toThrow(/give the Redis URL.*or set NEUROMAP_REDIS_URL/);
  });

  it('fails with one clear line on a wrong password or a closed port, never showing the password', async () => {
    const wrong = redisTarget(`redis://:not-the-password@127.0.0.1:${redis.port}`);
    await expect(connectRedis(wrong)).rejects.toThrow(`cannot use Redis at redis://:***@127.0.0.1:${redis.port}: the password (or user) was not accepted`);
    const closed = redisTarget('redis://:pw@127.0.0.1:1');
    await expect(connectRedis(closed)).rejects.toThrow(/connection refused \(is redis-server running/);
  });
});

describe('rediss:// (TLS)', () => {
  it('a sweep runs over TLS (the worker trusts the server through NODE_EXTRA_CA_CERTS); an untrusted or plain client gets one line', async () => {
    const tls = await startRedis({ tls: true });
    try {
      const target = redisTarget(tls.url);
      await expect(connectRedis(target)).rejects.toThrow(/^cannot use Redis at rediss:\/\/:\*\*\*@127\.0\.0\.1:\d+: the server's TLS certificate is not trusted \(self-signed certificate; /);
      await expect(connectRedis(redisTarget(tls.url.replace('rediss:', 'redis:')))).rejects.toThrow(/the connection was closed \(TLS on one side only/);
      // The coordinator here trusts the test's certificate authority the way ioredis takes it; the worker the Node way.
      const trusted = { ...target, options: { ...target.options, tls: { ...target.options.tls, ca: fs.readFileSync(tls.ca!) } } };
      const w = worker('tls-worker', 2, { NEUROMAP_REDIS_URL: tls.url, NODE_EXTRA_CA_CERTS: tls.ca });
      const config = writeConfig('tls', 27, { grid: { cell: ['gru'] } });
      const s = await runQueuedSweep({ config, out: path.join(root, 'tls'), redis: trusted, pollMs: 100, stream: capture() });
      expect(s).toMatchObject({ total: 1, finished: 1, failed: [] });
      expect(await w.exited).toBe(0);
      expect(w.output()).toContain(`serving rediss://:***@127.0.0.1:${tls.port}`);
    } finally {
      await tls.dispose();
    }
  });
});
