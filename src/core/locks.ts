import { OpsError } from './errors.js';
import type { Clock } from './ports.js';

/**
 * Mutual exclusion around a decision, so that concurrent clicks or retries make one cloud call. The in-memory
 * version serves one process; the Redis store provides the same port for several replicas.
 * @example
 * await locks.withLock('decide:huawei/…', 30_000, () => provider.decide(…));
 */
export interface Locks {
  /** Runs fn while holding key; throws APPROVAL.IN_PROGRESS when someone else holds it. */
  withLock<T>(key: string, ttlMs: number, fn: () => Promise<T>): Promise<T>;
}

export function createMemoryLocks(now: Clock = Date.now): Locks {
  const held = new Map<string, { until: number; owner: symbol }>();
  return {
    async withLock(key, ttlMs, fn) {
      const current = held.get(key);
      if (current !== undefined && current.until > now()) {
        throw new OpsError('APPROVAL.IN_PROGRESS', 'another decision on this review is in progress', {});
      }
      // An owner token, so a holder whose lock expired cannot free the lock of the one who took it over.
      const owner = Symbol(key);
      held.set(key, { until: now() + ttlMs, owner });
      try {
        return await fn();
      } finally {
        if (held.get(key)?.owner === owner) held.delete(key);
      }
    },
  };
}
