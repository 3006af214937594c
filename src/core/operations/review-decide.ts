import { OpsError } from '../errors.js';
import { withLockWaiting } from '../locks.js';
import type { Result } from '../outcome.js';
import type { Decision } from '../ports.js';
import { type RunRef, runKey } from '../targets.js';
import { type OperationContext, pipelineFor } from './context.js';
import { selectReview } from './select-review.js';

/**
 * A typed decision (chat or CLI): it is a decision on the gate's approval, through the one gate of the core
 * (approvals/gate.ts), so every rule holds as on a click. When the target pins a gate that already has an open
 * approval, the decision goes out without reading the run (one round trip); otherwise the run is read to find the gate,
 * and its approval is opened (unposted) so the rules (two approvers, self-approval) have a record to hold.
 */
export async function decideReview(
  ctx: OperationContext,
  input: { target: RunRef; step?: string; decision: Decision; note?: string },
): Promise<Result> {
  const approvals = ctx.approvals;
  if (!approvals) throw new OpsError('INTERNAL.ERROR', 'decisions need the approval service', {});
  const pinned = input.target.cloud === 'huawei' ? input.target.stepRunId : input.target.jobId;
  let approval = pinned ? await ctx.store?.approvals.findOpenByReview(`${runKey(input.target)}/${pinned}`) : undefined;
  // Reading the run and finding (or opening) the gate's approval happen under the run's lock, so a typed decision that
  // arrives just after another one finished reads the run after it and sees the gate decided.
  approval ??= await withLockWaiting(ctx.locks, `run:${runKey(input.target)}`, 30_000, async () => {
    const run = await pipelineFor(ctx, input.target.cloud).getRun(input.target);
    const review = selectReview(run, input.step, input.decision);
    if (review.status !== 'waiting') {
      throw new OpsError('APPROVAL.ALREADY_DECIDED', `this gate is already ${review.status}`, {
        status: review.status,
        review: review.name,
      });
    }
    return approvals.approvalFor(run, review);
  });
  const { outcome } = await approvals.decide({
    approvalId: approval.id,
    actor: {
      subject: ctx.subject,
      context: ctx.context,
      path: ctx.path ?? 'typed',
      ...(ctx.operator ? { operator: ctx.operator } : {}),
    },
    decision: input.decision,
    ...(input.note ? { reason: input.note } : {}),
    requestId: ctx.requestId,
  });
  if (!outcome.ok) throw outcome.error;
  return outcome.result;
}
