import { OpsError } from './errors.js';
import type { Clock } from './ports.js';

/**
 * A held lock. It is a lease: renewed in the background while its holder works (so a decision that waits out a
 * throttling cloud keeps it), fenced by the holder's token (a holder whose lease lapsed cannot renew or release the
 * lock of the one who took it over). `confirm()` renews at once and throws when the lease is lost: call it right before
 * an action that must happen once (sending a decision), so a holder that lost its lease does not send.
 */
export interface Lease {
  /** Aborted when a renewal finds the lease lost. */
  readonly signal: AbortSignal;
  confirm(): Promise<void>;
}

/**
 * Mutual exclusion around a decision, so that concurrent clicks or retries make one cloud call. The in-memory
 * version serves one process; the durable stores provide the same port for several replicas.
 * @example
 * await locks.withLock('approval:…', 30_000, async (lease) => { await lease.confirm(); await provider.decide(…); });
 */
export interface Locks {
  /** Runs fn while holding key (renewed every ttlMs/3); throws APPROVAL.IN_PROGRESS when someone else holds it. */
  withLock<T>(key: string, ttlMs: number, fn: (lease: Lease) => Promise<T>): Promise<T>;
}

export function lockBusy(): OpsError {
  return new OpsError('APPROVAL.IN_PROGRESS', 'another decision on this review is in progress', {});
}

/** The store operations a lease needs; each takes the holder's token. */
export interface LeaseOps {
  acquire(): Promise<boolean>;
  /** Extends the lease if the token still holds it; false when it was lost. */
  renew(): Promise<boolean>;
  release(): Promise<void>;
  /** Told when a release fails (the lock then lapses at its TTL). */
  onReleaseError?(err: unknown): void;
}

/**
 * The lease discipline every store shares: acquire or throw APPROVAL.IN_PROGRESS, renew every ttl/3 while fn runs,
 * release only our own token.
 */
export async function runLease<T>(ttlMs: number, ops: LeaseOps, fn: (lease: Lease) => Promise<T>): Promise<T> {
  if (!(await ops.acquire())) throw lockBusy();
  const controller = new AbortController();
  const renew = async (): Promise<boolean> => {
    if (controller.signal.aborted) return false;
    let ok = false;
    try {
      ok = await ops.renew();
    } catch {
      ok = false;
    }
    if (!ok) controller.abort(lockLost());
    return ok;
  };
  const timer = setInterval(() => void renew(), Math.max(10, Math.floor(ttlMs / 3)));
  timer.unref?.();
  const lease: Lease = {
    signal: controller.signal,
    async confirm() {
      if (!(await renew())) throw lockLost();
    },
  };
  try {
    return await fn(lease);
  } finally {
    clearInterval(timer);
    try {
      await ops.release();
    } catch (err) {
      ops.onReleaseError?.(err);
    }
  }
}

function lockLost(): OpsError {
  return new OpsError('APPROVAL.IN_PROGRESS', 'the decision lock was lost before sending; nothing was sent', {});
}

export function createMemoryLocks(now: Clock = Date.now): Locks {
  const held = new Map<string, { until: number; owner: symbol }>();
  return {
    withLock(key, ttlMs, fn) {
      const owner = Symbol(key);
      const mine = () => held.get(key)?.owner === owner;
      return runLease(
        ttlMs,
        {
          async acquire() {
            const current = held.get(key);
            if (current !== undefined && current.until > now()) return false;
            held.set(key, { until: now() + ttlMs, owner });
            return true;
          },
          async renew() {
            if (!mine() || held.get(key)!.until <= now()) return false;
            held.set(key, { until: now() + ttlMs, owner });
            return true;
          },
          async release() {
            if (mine()) held.delete(key);
          },
        },
        fn,
      );
    },
  };
}

/**
 * For short critical sections (opening an approval): waits for the lock instead of failing, a bounded number of
 * times (about 2 s in all), then gives up with APPROVAL.IN_PROGRESS.
 */
export async function withLockWaiting<T>(locks: Locks, key: string, ttlMs: number, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await locks.withLock(key, ttlMs, fn);
    } catch (err) {
      if (!(err instanceof OpsError) || err.code !== 'APPROVAL.IN_PROGRESS' || attempt >= 100) throw err;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 25));
    }
  }
}
