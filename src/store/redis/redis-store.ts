import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { AuditRecord, Clock, Logger } from '../../core/ports.js';
import { silentLogger } from '../../core/ports.js';
import type { Approval, Store } from '../../core/store-ports.js';
import { nextVersion, reviewKeyOf, runLocked, storeError } from '../store-common.js';
import { defineScripts } from './redis-scripts.js';

export interface RedisStoreOptions {
  /** redis://[user:password@]host:port[/db] or rediss://… (TLS). Never logged. */
  url: string;
  /** Prefix of every key (default 'opsgate:'), so several deployments can share one Redis. */
  keyPrefix?: string;
  /** Accepted for a uniform factory signature; TTLs run on the Redis server's clock. */
  now?: Clock;
  logger?: Logger;
  /** Approximate cap of the audit stream (XADD MAXLEN ~, default 1,000,000). */
  auditMaxLen?: number;
  /** Lock owner tokens (default: random UUIDs). */
  token?: () => string;
}

const K = {
  approval: (id: string) => `approval:${id}`,
  open: 'approvals:open',
  byReview: 'approvals:by-review',
  dedupe: (key: string) => `dedupe:${key}`,
  lock: (key: string) => `lock:${key}`,
  lease: (key: string) => `lease:${key}`,
  audit: 'audit',
  pending: 'audit:pending',
};
const PAGE = 500;

/**
 * Store for several replicas on one Redis: approvals in hashes with Lua CAS, an open index (sorted set by createdAt)
 * and a review-key map, `SET NX PX` dedupe claims and owner-token locks, and the audit log in a stream.
 * Redis restarts are ridden out by reconnecting; a command that cannot be served in time fails with STORE.ERROR.
 * @example
 * const store = createRedisStore({ url: 'redis://127.0.0.1:6379' });
 * await store.locks.withLock('decide:…', 30_000, () => decide());
 */
export function createRedisStore(options: RedisStoreOptions): Store {
  const logger = (options.logger ?? silentLogger).child({ store: 'redis' });
  const token = options.token ?? randomUUID;
  const maxLen = options.auditMaxLen ?? 1_000_000;
  const redis = defineScripts(
    new Redis(options.url, {
      keyPrefix: options.keyPrefix ?? 'opsgate:',
      maxRetriesPerRequest: 2,
      enableOfflineQueue: true,
      connectTimeout: 5000,
    }),
  );
  let down = false;
  redis.on('error', (err: Error & { code?: string }) => {
    if (down) return;
    down = true;
    logger.warn({ code: err.code ?? err.name }, 'redis connection error; reconnecting');
  });
  redis.on('ready', () => {
    if (down) logger.info({}, 'redis connection restored');
    down = false;
  });
  const guard = async <T>(operation: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw storeError(operation, err);
    }
  };
  const approvalArgs = (a: Approval) => [JSON.stringify(a), a.version, a.status, a.createdAt, a.id, reviewKeyOf(a)];
  const readApproval = async (id: string): Promise<Approval | undefined> => {
    const json = await redis.hget(K.approval(id), 'json');
    return json === null ? undefined : (JSON.parse(json) as Approval);
  };

  return {
    kind: 'redis',
    approvals: {
      create: (a) =>
        guard('approvals.create', async () => {
          return (await redis.opsgateCreate(K.approval(a.id), K.open, K.byReview, ...approvalArgs(a))) === 1;
        }),
      get: (id) => guard('approvals.get', () => readApproval(id)),
      update: (next, expectedVersion) =>
        guard('approvals.update', async () => {
          const s = nextVersion(next, expectedVersion);
          const args = [expectedVersion, JSON.stringify(s), s.version, s.status, s.createdAt, s.id, reviewKeyOf(s)];
          return (await redis.opsgateUpdate(K.approval(s.id), K.open, K.byReview, ...args)) === 1;
        }),
      listOpen: (limit = 1000) =>
        guard('approvals.listOpen', async () => {
          if (limit <= 0) return [];
          const ids = await redis.zrange(K.open, 0, limit - 1);
          const found = await Promise.all(ids.map(readApproval));
          return found.filter((a): a is Approval => a?.status === 'open');
        }),
      findOpenByReview: (key) =>
        guard('approvals.findOpenByReview', async () => {
          const id = await redis.hget(K.byReview, key);
          const a = id === null ? undefined : await readApproval(id);
          return a?.status === 'open' ? a : undefined;
        }),
    },
    dedupe: {
      claim: (key, ttlMs) =>
        guard('dedupe.claim', async () => {
          return (await redis.set(K.dedupe(key), '1', 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX')) === 'OK';
        }),
    },
    locks: {
      withLock(key, ttlMs, fn) {
        const owner = token();
        const ttl = Math.max(1, Math.ceil(ttlMs));
        return runLocked(
          key,
          ttl,
          {
            acquire: () =>
              guard('locks.acquire', async () => (await redis.set(K.lock(key), owner, 'PX', ttl, 'NX')) === 'OK'),
            renew: () => guard('locks.renew', async () => (await redis.opsgateRenew(K.lock(key), owner, ttl)) === 1),
            release: () => guard('locks.release', async () => void (await redis.opsgateRelease(K.lock(key), owner))),
          },
          fn,
          logger,
        );
      },
    },
    // SET NX PX to take, Lua compare-and-PEXPIRE / compare-and-DEL to renew and release (redis-scripts.ts).
    leases: {
      acquire: (key, ttlMs) =>
        guard('leases.acquire', async () => {
          const owner = token();
          const ok = await redis.set(K.lease(key), owner, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX');
          return ok === 'OK' ? owner : undefined;
        }),
      renew: (key, owner, ttlMs) =>
        guard(
          'leases.renew',
          async () => (await redis.opsgateRenew(K.lease(key), owner, Math.max(1, Math.ceil(ttlMs)))) === 1,
        ),
      release: (key, owner) =>
        guard('leases.release', async () => void (await redis.opsgateRelease(K.lease(key), owner))),
    },
    audit: {
      write: (r) =>
        guard('audit.write', async () => {
          await redis.opsgateAudit(K.audit, K.pending, JSON.stringify(r), r.phase, r.id, maxLen);
        }),
      list: (o = {}) => guard('audit.list', () => listAudit(redis, o.since ?? 0, o.limit ?? Number.MAX_SAFE_INTEGER)),
      unsettled: () =>
        guard('audit.unsettled', async () => {
          const records = (await redis.hvals(K.pending)).map((j) => JSON.parse(j) as AuditRecord);
          return records.sort((x, y) => x.at - y.at);
        }),
    },
    ping: () => guard('ping', async () => void (await redis.ping())),
    async close() {
      if (redis.status === 'end') return;
      if (redis.status === 'ready') {
        try {
          await redis.quit();
          return;
        } catch {
          // fall through: drop the connection
        }
      }
      redis.disconnect();
    },
  };
}

/** Pages through the stream oldest first; `at` is the record's own time (the entry id is the server's). */
async function listAudit(redis: Redis, since: number, limit: number): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  let start = '-';
  while (out.length < limit) {
    const page = await redis.xrange(K.audit, start, '+', 'COUNT', PAGE);
    for (const [, fields] of page) {
      const at = fields.indexOf('r');
      const json = at >= 0 && at % 2 === 0 ? fields[at + 1] : undefined;
      if (json === undefined) continue;
      const record = JSON.parse(json) as AuditRecord;
      if (record.at >= since) out.push(record);
      if (out.length >= limit) break;
    }
    if (page.length < PAGE) break;
    start = afterId(page[page.length - 1]![0]);
  }
  return out;
}

/** The smallest stream id after `id` (works on Redis < 6.2, which lacks exclusive `(` ranges). */
function afterId(id: string): string {
  const [ms, seq] = id.split('-');
  return `${ms}-${BigInt(seq ?? '0') + 1n}`;
}
