import { randomUUID } from 'node:crypto';
import { OpsError, toOpsError } from '../core/errors.js';
import type { Store } from '../core/store-ports.js';
import type { ReadinessCheck } from '../adapters/http/server.js';

/** A probe that has not answered by then counts as a store that cannot write. */
const PROBE_TIMEOUT_MS = 2_000;

/**
 * Readiness of the store is whether it can write, not whether it answers: a deleted SQLite file, a read-only or full
 * disk, a Redis that refuses writes all still answer reads. Each probe claims a fresh dedupe key that lapses after a
 * second (the store prunes it), bounded by a timeout.
 * @example
 * readiness.store = storeReadiness(store);
 */
export function storeReadiness(store: Store, timeoutMs = PROBE_TIMEOUT_MS): ReadinessCheck {
  const replica = randomUUID().slice(0, 8);
  let probes = 0;
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new OpsError('STORE.UNAVAILABLE', 'store write probe timed out', { reason: 'timeout' })),
        timeoutMs,
      );
    });
    try {
      await Promise.race([
        (async () => {
          await store.ping();
          await store.dedupe.claim(`health:${replica}:${++probes}`, 1_000);
        })(),
        timeout,
      ]);
      return { ready: true, detail: store.kind };
    } catch (err) {
      const error = toOpsError(err);
      const reason = typeof error.meta.reason === 'string' ? `: ${error.meta.reason}` : '';
      return { ready: false, detail: `${error.code}${reason}` };
    } finally {
      clearTimeout(timer);
    }
  };
}
