import { isAmbiguous, OpsError } from '../errors.js';
import type { Result } from '../outcome.js';
import type { Decision, ManualReview, PipelineProvider } from '../ports.js';
import { type RunRef, runKey } from '../targets.js';
import { audited, type OperationContext, pipelineFor } from './context.js';
import { selectReview } from './select-review.js';

// A postponed delay gate still waits (one hour later).
const DECIDED_AS: Record<Decision, ManualReview['status']> = {
  approve: 'approved',
  reject: 'rejected',
  postpone: 'waiting',
};

/**
 * Approve or reject one manual review. Reads the run first to find the review; holds a lock on the review so that
 * concurrent clicks make one call; never sends a blind second decision: after an ambiguous failure (the request may
 * have arrived) it reads the run again and reports success only if the review shows the decision.
 */
export async function decideReview(
  ctx: OperationContext,
  input: { target: RunRef; step?: string; decision: Decision; note?: string },
): Promise<Extract<Result, { kind: 'decided' }>> {
  const provider = pipelineFor(ctx, input.target.cloud);
  const run = await provider.getRun(input.target);
  const review = selectReview(run, input.step, input.decision);
  if (review.status !== 'waiting') {
    throw new OpsError('APPROVAL.ALREADY_DECIDED', `this manual review is already ${review.status}`, {
      status: review.status,
      review: review.name,
    });
  }
  const key = `decide:${runKey(input.target)}/${review.id}`;
  const operation = `review.${input.decision}` as const;
  return ctx.locks.withLock(key, 60_000, () =>
    audited(
      ctx,
      operation,
      `${runKey(input.target)}/${review.id}`,
      async (): Promise<Extract<Result, { kind: 'decided' }>> => {
        const base = {
          kind: 'decided' as const,
          decision: input.decision,
          ref: input.target,
          review: { ...review, status: DECIDED_AS[input.decision] },
          ...(run.name ? { runName: run.name } : {}),
          ...(input.note ? { note: input.note } : {}),
        };
        try {
          const ack = await provider.decide(input.target, review, input.decision);
          return { ...base, ...(ack.requestId ? { providerRequestId: ack.requestId } : {}) };
        } catch (err) {
          if (!(err instanceof OpsError)) throw err;
          const after = await rereadAfterFailure(provider, input.target, review, err);
          if (after === DECIDED_AS[input.decision] && isAmbiguous(err)) return { ...base, confirmedByReread: true };
          if (after !== undefined && after !== 'waiting' && !isAmbiguous(err)) {
            throw new OpsError('APPROVAL.ALREADY_DECIDED', `this manual review is already ${after}`, {
              status: after,
              review: review.name,
            });
          }
          if (isAmbiguous(err)) {
            throw new OpsError(
              'OUTCOME.UNKNOWN',
              'the cloud did not answer and the run does not show the decision yet; check the run before retrying',
              { review: review.name, status: after ?? 'unknown' },
              { cause: err },
            );
          }
          throw err;
        }
      },
      input.note,
    ),
  );
}

/** After a failed decision: the review's status as the cloud now reports it (undefined when the read fails too). */
async function rereadAfterFailure(
  provider: PipelineProvider,
  ref: RunRef,
  review: ManualReview,
  err: OpsError,
): Promise<ManualReview['status'] | undefined> {
  // Only ambiguous failures and refusals that may mean "already decided" are worth a read.
  if (!isAmbiguous(err) && err.code !== 'PROVIDER.BAD_REQUEST' && err.code !== 'PROVIDER.CONFLICT') return undefined;
  try {
    const run = await provider.getRun(ref);
    return run.reviews.find((r) => r.id === review.id)?.status;
  } catch {
    return undefined;
  }
}
