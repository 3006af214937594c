import type { Command } from '../grammar/commands.js';
import { OpsError } from '../errors.js';
import type { Outcome } from '../outcome.js';
import type { Approval } from '../store-ports.js';
import type { ApprovalServiceDeps, DecideInput } from './service.js';

interface DecideDeps extends ApprovalServiceDeps {
  publish(approval: Approval, details?: Outcome): Promise<void>;
  mutate(id: string, change: (a: Approval) => Approval | undefined): Promise<Approval | undefined>;
}

/** Codes that mean the review is no longer waiting in the cloud: someone decided it in the console. */
const GONE = new Set(['APPROVAL.ALREADY_DECIDED', 'REVIEW.NONE_WAITING', 'REVIEW.STEP_NOT_FOUND']);

/**
 * One decision per approval, whatever the number of clicks, replicas or retries: the approval's lock (shared
 * through the store across replicas) serialises deciders, and the status is re-read under the lock, so the loser of a
 * race gets APPROVAL.ALREADY_DECIDED and makes no cloud call.
 */
export async function decideApproval(
  deps: DecideDeps,
  input: DecideInput,
): Promise<{ outcome: Outcome; approval?: Approval }> {
  const requestId = input.requestId ?? deps.newId();
  const fail = (error: OpsError, approval?: Approval) => ({
    outcome: { ok: false as const, requestId, error },
    ...(approval ? { approval } : {}),
  });
  if (input.decision === 'postpone') {
    return fail(
      new OpsError('INPUT.BAD_ARGUMENT', 'postpone is not available on approvals yet', { field: 'decision' }),
    );
  }
  const first = await deps.store.approvals.get(input.approvalId);
  if (!first) return fail(new OpsError('APPROVAL.NOT_FOUND', 'no such approval', {}));
  const closed = closedError(first, deps.now());
  if (closed) return fail(closed, first);
  try {
    return await deps.store.locks.withLock(`approval:${first.id}`, 60_000, async () => {
      const approval = await deps.store.approvals.get(first.id);
      if (!approval) return fail(new OpsError('APPROVAL.NOT_FOUND', 'no such approval', {}));
      const stillClosed = closedError(approval, deps.now());
      if (stillClosed) {
        if (stillClosed.code === 'APPROVAL.EXPIRED' && approval.status === 'open') {
          const expired = await deps.mutate(approval.id, (a) =>
            a.status === 'open' ? { ...a, status: 'expired' } : undefined,
          );
          if (expired) await deps.publish(expired);
        }
        return fail(stillClosed, approval);
      }
      const principals = [input.subject, ...(input.context ?? [])];
      const command: Command =
        input.decision === 'approve'
          ? { op: 'review.approve', target: approval.ref, ...(input.reason ? { comment: input.reason } : {}) }
          : { op: 'review.reject', target: approval.ref, ...(input.reason ? { reason: input.reason } : {}) };
      const authz = deps.core.explain(principals, command);
      if (!authz.allowed) {
        return fail(
          new OpsError('AUTH.DENIED', `${input.subject} may not ${authz.permission}`, {
            permission: authz.permission,
            subject: input.subject,
          }),
          approval,
        );
      }
      const rules = deps.core.policy.rules;
      if (rules.noSelfApproval && approval.requester && principals.includes(approval.requester)) {
        return fail(
          new OpsError('APPROVAL.SELF_DECISION', 'requesters may not decide their own approval', {}),
          approval,
        );
      }
      if (input.decision === 'approve' && needsTwo(rules.twoApprovers, approval)) {
        if (approval.approvers.includes(input.subject)) {
          return fail(new OpsError('APPROVAL.DUPLICATE_APPROVER', 'a different approver is needed', {}), approval);
        }
        if (approval.approvers.length + 1 < 2) {
          const updated = await deps.mutate(approval.id, (a) => ({ ...a, approvers: [...a.approvers, input.subject] }));
          const outcome: Outcome = {
            ok: true,
            requestId,
            operation: 'review.approve',
            result: {
              kind: 'approval-partial',
              approvalId: approval.id,
              approvers: updated?.approvers ?? [],
              needed: 2,
            },
          };
          if (updated) await deps.publish(updated);
          return { outcome, ...(updated ? { approval: updated } : {}) };
        }
      }
      const outcome = await deps.core.execute({
        subject: input.subject,
        ...(input.context ? { context: input.context } : {}),
        command,
        requestId,
      });
      let next: Approval | undefined;
      if (outcome.ok && outcome.result.kind === 'decided') {
        const decided = outcome.result;
        next = await deps.mutate(approval.id, (a) => ({
          ...a,
          status: input.decision === 'approve' ? 'approved' : 'rejected',
          approvers: input.decision === 'approve' ? [...a.approvers, input.subject] : a.approvers,
          decision: {
            by: input.subject,
            at: deps.now(),
            decision: input.decision,
            ...(input.reason ? { reason: input.reason } : {}),
            ...(decided.providerRequestId ? { providerRequestId: decided.providerRequestId } : {}),
          },
        }));
      } else if (!outcome.ok && GONE.has(outcome.error.code)) {
        next = await deps.mutate(approval.id, (a) => ({ ...a, status: 'decided-elsewhere' }));
      }
      if (next) await deps.publish(next, outcome);
      return { outcome, approval: next ?? approval };
    });
  } catch (err) {
    if (err instanceof OpsError && err.code === 'APPROVAL.IN_PROGRESS') return fail(err, first);
    throw err;
  }
}

function closedError(approval: Approval, now: number): OpsError | undefined {
  if (approval.status === 'expired' || (approval.status === 'open' && approval.expiresAt <= now)) {
    return new OpsError('APPROVAL.EXPIRED', 'this approval has expired', {});
  }
  if (approval.status !== 'open') {
    return new OpsError('APPROVAL.ALREADY_DECIDED', `already ${approval.status}`, {
      status: approval.status,
      by: approval.decision?.by,
    });
  }
  return undefined;
}

function needsTwo(patterns: readonly string[], approval: Approval): boolean {
  const key = `${approval.ref.cloud}:${approval.ref.pipelineId}`;
  return patterns.some((p) => p === '*' || p === key);
}
