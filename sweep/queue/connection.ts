/**
 * The Redis a queued sweep runs on: its URL (from --queue or NEUROMAP_REDIS_URL), checked and shown only with
 * the password masked, turned into ioredis options (rediss:// means TLS), and a first connection that fails
 * with one clear line instead of ioredis retrying forever.
 */
import net from 'net';
import Redis, { RedisOptions } from 'ioredis';
import { UserError } from '../../models/config';

export const REDIS_URL_ENV = 'NEUROMAP_REDIS_URL';
/** BullMQ's Lua scripts need Redis 6.2 or later. */
const MIN_REDIS = [6, 2];

export interface RedisTarget {
  /** Connection options for ioredis (hold the password: never print them). */
  options: RedisOptions;
  /** The URL with its password masked, the only form that may appear in messages and files. */
  shown: string;
}

/** The URL given to --queue, or NEUROMAP_REDIS_URL when the flag has no value; `flag` names the option in errors. */
export function redisTarget(url: string | undefined, flag = '--queue', env: NodeJS.ProcessEnv = process.env): RedisTarget {
  const raw = url?.trim() || env[REDIS_URL_ENV]?.trim();
  const form = 'redis://[:PASSWORD@]HOST:PORT[/DB] (or rediss:// for TLS)';
  if (!raw) throw new UserError(`${flag}: give the Redis URL, ${form}, or set ${REDIS_URL_ENV}`);
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    // Never echo the text: it may hold the password.
    throw new UserError(`${flag}: not a URL; expected ${form}`);
  }
  const shown = maskPassword(u);
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new UserError(`${flag}: ${shown} is not a Redis URL; expected ${form}`);
  if (!u.hostname) throw new UserError(`${flag}: ${shown} names no host; expected ${form}`);
  const dbText = u.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d+$/.test(dbText)) throw new UserError(`${flag}: ${shown}: the database after / must be a number (0-15 by default)`);
  const options: RedisOptions = {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: u.port ? Number(u.port) : 6379,
    db: dbText ? Number(dbText) : 0,
    // BullMQ's blocking commands require ioredis to retry a command for as long as the connection is down.
    maxRetriesPerRequest: null,
  };
  if (u.username) options.username = decodeURIComponent(u.username);
  if (u.password) options.password = decodeURIComponent(u.password);
  // TLS checks the certificate against the host; SNI carries a host name only (never an IP address, RFC 6066).
  if (u.protocol === 'rediss:') options.tls = net.isIP(options.host!) ? {} : { servername: options.host };
  return { options, shown };
}

export function maskPassword(u: URL): string {
  const user = u.username ? decodeURIComponent(u.username) : '';
  const auth = u.password ? `${user}:***@` : user ? `${user}@` : '';
  return `${u.protocol}//${auth}${u.host}${u.pathname === '/' ? '' : u.pathname}`;
}

/**
 * Opens a connection and checks it: reachable, password accepted, Redis new enough. Fails with a UserError
 * naming the masked URL. The returned connection reconnects on its own later (a Redis restart mid-sweep).
 */
export async function connectRedis(target: RedisTarget): Promise<Redis> {
  const probe = new Redis({ ...target.options, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 5000 });
  // ioredis reports the cause (a refused password) as an 'error' event and rejects connect() with a generic one.
  let cause: unknown;
  probe.on('error', (err) => (cause ??= err));
  try {
    await probe.connect();
    const info = await probe.info('server');
    const version = /redis_version:(\S+)/.exec(info)?.[1] ?? '0';
    const [major, minor] = version.split('.').map(Number);
    if (major < MIN_REDIS[0] || (major === MIN_REDIS[0] && minor < MIN_REDIS[1]))
      throw new UserError(`Redis at ${target.shown} is version ${version}; BullMQ needs ${MIN_REDIS.join('.')} or later`);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`cannot use Redis at ${target.shown}: ${describeRedisError(cause ?? err)}`);
  } finally {
    probe.disconnect();
  }
  const redis = new Redis(target.options);
  // Errors while the connection is down are retried by ioredis; without a listener they would crash the process.
  redis.on('error', () => {});
  return redis;
}

function describeRedisError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const text = String(e?.message ?? err);
  if (e?.code === 'ECONNREFUSED') return 'connection refused (is redis-server running on that host and port?)';
  if (e?.code === 'ENOTFOUND' || e?.code === 'EAI_AGAIN') return 'unknown host';
  if (e?.code === 'ETIMEDOUT' || /timeout/i.test(text)) return 'no answer within 5 s (host, port, firewall, or TLS on one side only?)';
  if (/NOAUTH|WRONGPASS|invalid password|invalid username/i.test(text)) return 'the password (or user) was not accepted';
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(String(e?.code)))
    return `the server's TLS certificate is not trusted (${text}; a private CA is trusted with NODE_EXTRA_CA_CERTS=CA.pem)`;
  if (e?.code === 'ECONNRESET' || /Connection is closed/i.test(text)) return 'the connection was closed (TLS on one side only, or not a Redis server?)';
  return text.split('\n')[0];
}

/**
 * Reports a lost connection once per outage, not at every reconnection attempt; `ok()` marks it over. ioredis
 * reconnects by itself and BullMQ carries on, so an outage (Redis restarted) is news, not a failure.
 */
export function outageReporter(say: (message: string) => void): { error(err: Error): void; ok(): void } {
  let down = false;
  return {
    error(err) {
      if (!down) say(`lost Redis (${describeRedisError(err)}); retrying`);
      down = true;
    },
    ok() {
      if (down) say('Redis is back');
      down = false;
    },
  };
}
