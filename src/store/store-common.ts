import { OpsError } from '../core/errors.js';
import { type Lease, type LeaseOps, runLease } from '../core/locks.js';
import type { Logger } from '../core/ports.js';
import { type Approval, reviewKey } from '../core/store-ports.js';
import { runKey } from '../core/targets.js';

/** The `runKey/reviewId` index key both durable stores keep for open approvals. */
export function reviewKeyOf(approval: Pick<Approval, 'ref' | 'review'>): string {
  return reviewKey(approval, runKey);
}

/** The stored form of an update: `next` with its version bumped past the one it replaces. */
export function nextVersion(next: Approval, expectedVersion: number): Approval {
  return { ...next, version: expectedVersion + 1 };
}

/**
 * Wraps a driver failure in STORE.ERROR without copying the driver's message (it may carry a URL or a query).
 * @example
 * throw storeError('approvals.get', err);
 */
export function storeError(operation: string, cause: unknown): OpsError {
  if (cause instanceof OpsError) return cause;
  const code = (cause as { code?: unknown } | null)?.code;
  return new OpsError(
    'STORE.ERROR',
    `store operation ${operation} failed`,
    { operation, cause: typeof code === 'string' ? code : (cause as Error | null)?.name },
    { cause },
  );
}

/**
 * The lease discipline shared by the durable stores (see core/locks.ts runLease): acquire or throw
 * APPROVAL.IN_PROGRESS, renew while fn runs, release only our own token. A failed release is logged, not thrown: the
 * lock then lapses at its TTL, and fn's own result or error is what the caller needs.
 */
export function runLocked<T>(
  key: string,
  ttlMs: number,
  ops: Pick<LeaseOps, 'acquire' | 'renew' | 'release'>,
  fn: (lease: Lease) => Promise<T>,
  logger: Logger,
): Promise<T> {
  return runLease(
    ttlMs,
    {
      ...ops,
      onReleaseError: (err) =>
        logger.warn(
          { lock: key, code: storeError('locks.release', err).meta.cause },
          'lock release failed; it lapses at TTL',
        ),
    },
    fn,
  );
}
