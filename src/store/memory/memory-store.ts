import { randomUUID } from 'node:crypto';
import { createMemoryLocks } from '../../core/locks.js';
import type { AuditRecord, Clock } from '../../core/ports.js';
import type { Approval, Store } from '../../core/store-ports.js';
import { runKey } from '../../core/targets.js';

/**
 * In-process store: tests and one-off CLI runs. Same contract as sqlite and redis (see the contract suite).
 * @example
 * const store = createMemoryStore(); await store.approvals.create(approval);
 */
export function createMemoryStore(now: Clock = Date.now): Store {
  const approvals = new Map<string, Approval>();
  const claims = new Map<string, number>();
  const audit: AuditRecord[] = [];
  const leases = new Map<string, { token: string; until: number }>();
  const clone = (a: Approval): Approval => structuredClone(a);
  return {
    kind: 'memory',
    approvals: {
      async create(a) {
        if (approvals.has(a.id)) return false;
        approvals.set(a.id, clone(a));
        return true;
      },
      async get(id) {
        const a = approvals.get(id);
        return a ? clone(a) : undefined;
      },
      async update(next, expectedVersion) {
        const current = approvals.get(next.id);
        if (!current || current.version !== expectedVersion) return false;
        approvals.set(next.id, clone({ ...next, version: expectedVersion + 1 }));
        return true;
      },
      async listOpen(limit = 1000) {
        return [...approvals.values()]
          .filter((a) => a.status === 'open')
          .sort((x, y) => x.createdAt - y.createdAt)
          .slice(0, limit)
          .map(clone);
      },
      async findOpenByReview(key) {
        for (const a of approvals.values()) {
          if (a.status === 'open' && `${runKey(a.ref)}/${a.review.id}` === key) return clone(a);
        }
        return undefined;
      },
    },
    dedupe: {
      async claim(key, ttlMs) {
        const until = claims.get(key);
        if (until !== undefined && until > now()) return false;
        claims.set(key, now() + ttlMs);
        if (claims.size > 100_000) for (const [k, u] of claims) if (u <= now()) claims.delete(k);
        return true;
      },
    },
    locks: createMemoryLocks(now),
    leases: {
      async acquire(key, ttlMs) {
        const held = leases.get(key);
        if (held && held.until > now()) return undefined;
        const token = randomUUID();
        leases.set(key, { token, until: now() + ttlMs });
        return token;
      },
      async renew(key, token, ttlMs) {
        const held = leases.get(key);
        if (!held || held.token !== token || held.until <= now()) return false;
        held.until = now() + ttlMs;
        return true;
      },
      async release(key, token) {
        if (leases.get(key)?.token === token) leases.delete(key);
      },
    },
    audit: {
      async write(record) {
        audit.push({ ...record });
      },
      async list(options = {}) {
        return audit.filter((r) => r.at >= (options.since ?? 0)).slice(0, options.limit ?? Number.MAX_SAFE_INTEGER);
      },
      async unsettled() {
        const done = new Set(audit.filter((r) => r.phase === 'outcome').map((r) => r.id));
        return audit.filter((r) => r.phase === 'intent' && !done.has(r.id));
      },
    },
    async ping() {},
    async close() {},
  };
}
