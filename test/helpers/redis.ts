/**
 * A real redis-server for tests: on a free loopback port, in its own temporary folder, with append-only
 * persistence (so it can be restarted mid-test without losing jobs) and a password. Never a mock.
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';
import Redis from 'ioredis';

export interface TestRedis {
  port: number;
  password: string;
  /** redis://:PASSWORD@127.0.0.1:PORT (rediss:// with TLS) */
  url: string;
  /** With TLS: the certificate file, which is its own certificate authority. */
  ca?: string;
  /** Stops the server (SIGTERM: it flushes its append-only file) and waits until it is gone. */
  stop(): Promise<void>;
  /** Starts it again on the same port and folder. */
  start(): Promise<void>;
  /** stop() and removes its folder. */
  dispose(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RedisOptions {
  /** 'always' (tests: a restart loses no write) or 'everysec' (Redis's default with append-only on). */
  appendfsync?: 'always' | 'everysec';
  /** Serve TLS only, with a self-signed certificate for 127.0.0.1 (made with the openssl command). */
  tls?: boolean;
}

export async function startRedis(o: RedisOptions = {}): Promise<TestRedis> {
  const found = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (found.error) throw new Error('redis-server not found: install it (Debian: apt-get install -y redis-server; .ci/run does)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'neuromap-redis-'));
  const port = await freePort();
  const password = `pw-${Math.random().toString(36).slice(2)}-secret`;
  const pidFile = path.join(dir, 'redis.pid');
  const ca = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  if (o.tls) {
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', ca, '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`openssl could not make a test certificate (Debian: apt-get install -y openssl): ${made.error ?? made.stderr}`);
  }
  const listen = o.tls
    ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', ca, '--tls-key-file', key, '--tls-ca-cert-file', ca, '--tls-auth-clients', 'no']
    : ['--port', String(port)];
  const args = [
    ...listen, '--bind', '127.0.0.1', '--dir', dir, '--daemonize', 'yes', '--pidfile', pidFile,
    '--appendonly', 'yes', '--appendfsync', o.appendfsync ?? 'always', '--save', '', '--requirepass', password, '--logfile', path.join(dir, 'redis.log'),
  ];
  const pid = () => Number(fs.readFileSync(pidFile, 'utf8').trim());
  const alive = (p: number) => {
    try {
      process.kill(p, 0);
      return true;
    } catch {
      return false;
    }
  };
  const r: TestRedis = {
    port, password, url: `${o.tls ? 'rediss' : 'redis'}://:${password}@127.0.0.1:${port}`, ca: o.tls ? ca : undefined,
    async start() {
      const s = spawnSync('redis-server', args, { encoding: 'utf8' });
      if (s.status !== 0) throw new Error(`redis-server did not start: ${s.stderr || s.stdout}`);
      // Daemonized, it may not listen yet: the ping waits (retrying every 50 ms) until it does.
      const client = new Redis({ host: '127.0.0.1', port, password, retryStrategy: (n) => (n > 100 ? null : 50), maxRetriesPerRequest: null, ...(o.tls ? { tls: { ca: fs.readFileSync(ca) } } : {}) });
      client.on('error', () => {});
      try {
        await client.ping();
      } finally {
        client.disconnect();
      }
    },
    async stop() {
      if (!fs.existsSync(pidFile)) return;
      const p = pid();
      process.kill(p, 'SIGTERM');
      for (let i = 0; i < 200 && alive(p); i++) await new Promise((res) => setTimeout(res, 25));
    },
    async dispose() {
      await r.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await r.start();
  } catch (err) {
    // Daemonized, a server that never answered would outlive the test: stop it and remove its folder.
    await r.dispose();
    throw err;
  }
  return r;
}
