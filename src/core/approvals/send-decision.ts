import { isAmbiguous, OpsError } from '../errors.js';
import { audited, type OperationContext } from '../operations/context.js';
import type { Decision, ManualReview, PipelineProvider, ReviewStatus } from '../ports.js';
import type { Approval } from '../store-ports.js';
import { runKey } from '../targets.js';

/** What the cloud made of a decision sent for an approval. */
export type SendResult =
  | { kind: 'applied'; providerRequestId?: string; confirmedByReread?: boolean }
  /** The gate no longer waits: someone decided it outside opsgate (the console, the API). */
  | { kind: 'gone'; status: ReviewStatus; error: OpsError }
  /** Nothing was applied (or it is unknown: OUTCOME.UNKNOWN); the approval stays open. */
  | { kind: 'failed'; error: OpsError };

const DECIDED_AS: Record<Decision, ReviewStatus> = { approve: 'approved', reject: 'rejected', postpone: 'waiting' };

export const OPERATION_OF: Record<Decision, string> = {
  approve: 'review.approve',
  reject: 'review.reject',
  postpone: 'review.postpone',
};

/** The gate as the approval knows it from when it was opened: enough to decide without reading the run. */
export function gateOf(approval: Approval): ManualReview {
  return {
    id: approval.review.id,
    jobId: approval.review.jobId,
    kind: approval.review.kind ?? 'review',
    name: approval.review.name,
    status: 'waiting',
    ...(approval.review.stage ? { stage: approval.review.stage } : {}),
  };
}

/**
 * Sends one decision in one cloud round trip, with the ids the approval already holds, between an audit intent and
 * its outcome. The run is read only when the cloud refuses (to tell "already decided in the console" from other
 * failures) or the outcome is ambiguous (never a blind second decision: a re-read decides).
 */
export async function sendDecision(
  ctx: OperationContext,
  provider: PipelineProvider,
  approval: Approval,
  decision: Decision,
  note?: string,
): Promise<SendResult> {
  const gate = gateOf(approval);
  const target = `${runKey(approval.ref)}/${gate.id}`;
  let goneStatus: ReviewStatus | undefined;
  try {
    // The classification happens inside the audited call, so the outcome record says what the person was told.
    const sent = await audited(
      ctx,
      OPERATION_OF[decision],
      target,
      async (): Promise<{ providerRequestId?: string; confirmedByReread?: boolean }> => {
        try {
          const ack = await provider.decide(approval.ref, gate, decision);
          return ack.requestId ? { providerRequestId: ack.requestId } : {};
        } catch (err) {
          if (!(err instanceof OpsError) || err.code.startsWith('INPUT.')) throw err;
          const after = await statusNow(provider, approval, gate.id);
          if (isAmbiguous(err)) {
            if (after !== undefined && after === DECIDED_AS[decision] && decision !== 'postpone') {
              return { confirmedByReread: true };
            }
            throw new OpsError(
              'OUTCOME.UNKNOWN',
              'the cloud did not answer and the run does not show the decision yet; check the run before retrying',
              { review: gate.name, status: after ?? 'unknown' },
              { cause: err },
            );
          }
          if (after !== undefined && after !== 'waiting') {
            goneStatus = after;
            throw new OpsError('APPROVAL.ALREADY_DECIDED', `this gate is already ${after}`, {
              status: after,
              review: gate.name,
            });
          }
          throw err;
        }
      },
      note,
    );
    return { kind: 'applied', ...sent };
  } catch (err) {
    const error = err instanceof OpsError ? err : new OpsError('INTERNAL.ERROR', 'decision failed', {}, { cause: err });
    return goneStatus !== undefined ? { kind: 'gone', status: goneStatus, error } : { kind: 'failed', error };
  }
}

/** The gate's status as the cloud now reports it (`other` when it is gone from the run; undefined if unreadable). */
async function statusNow(
  provider: PipelineProvider,
  approval: Approval,
  id: string,
): Promise<ReviewStatus | undefined> {
  try {
    const run = await provider.getRun(approval.ref);
    return run.reviews.find((r) => r.id === id)?.status ?? 'other';
  } catch {
    return undefined;
  }
}
