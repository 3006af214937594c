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
  const held = new Map<string, number>();
  return {
    async withLock(key, ttlMs, fn) {
      const until = held.get(key);
      if (until !== undefined && until > now()) {
        throw new OpsError('APPROVAL.IN_PROGRESS', 'another decision on this review is in progress', {});
      }
      held.set(key, now() + ttlMs);
      try {
        return await fn();
      } finally {
        held.delete(key);
      }
    },
  };
}
