import type { Operation } from '../grammar/commands.js';
import { OpsError } from '../errors.js';
import type { OperationContext } from '../operations/context.js';
import type { Outcome } from '../outcome.js';
import type { Clock, Decision, Logger, Providers } from '../ports.js';
import type { Approval, Store } from '../store-ports.js';
import type { DecisionActor, DecisionGate } from './gate.js';
import { gateOf, sendDecision } from './send-decision.js';

/**
 * The decision lease: renewed every third of it while the decision (retries included) runs, so it outlives any retry
 * sequence; when its holder dies, the lock lapses after at most this long.
 */
export const DECISION_LEASE_MS = 30_000;
/** CodeArts `delay` postpones a delayed-execution gate by one hour (terraform codearts_pipeline_action docs). */
const POSTPONE_MS = 60 * 60_000;

export interface DecideInput {
  approvalId: string;
  actor: DecisionActor;
  decision: Decision;
  reason?: string;
  requestId?: string;
  /**
   * Settles when the adapter has shown "Processing" on the approval's messages: the outcome is published after it,
   * so a slow chat update never overwrites the final state, and the cloud call does not wait for the chat.
   */
  shown?: Promise<void>;
}

export interface DecideDeps {
  store: Store;
  gate: DecisionGate;
  providers: Providers;
  now: Clock;
  newId: () => string;
  logger: Logger;
  /** The operation context for the audit records of one request. */
  contextFor(requestId: string, actor: DecisionActor): OperationContext;
  publish(approval: Approval, details?: Outcome): Promise<void>;
  mutate(id: string, change: (a: Approval) => Approval | undefined): Promise<Approval | undefined>;
  /** The decision lease (DECISION_LEASE_MS unless configured). */
  leaseMs?: number;
}

export type DecideResult = { outcome: Outcome; approval?: Approval };

/**
 * The one decision path. Every decision, whatever its path (typed, CLI, button, card, modal), arrives here for an
 * approval: the gate's rules are checked before the lock (to answer early) and again under it; the approval's lease
 * serialises deciders across replicas; the decision goes to the cloud in one round trip with the ids the approval holds.
 */
export async function decideApproval(given: DecideDeps, input: DecideInput): Promise<DecideResult> {
  // Every publication of this decision waits for the adapter's "Processing" rewrite, so the outcome lands last.
  const deps: DecideDeps = {
    ...given,
    publish: async (approval, details) => {
      await input.shown?.catch(() => undefined);
      await given.publish(approval, details);
    },
  };
  const requestId = input.requestId ?? deps.newId();
  const fail = (error: OpsError, approval?: Approval): DecideResult => ({
    outcome: { ok: false, requestId, error },
    ...(approval ? { approval } : {}),
  });
  const first = await deps.store.approvals.get(input.approvalId);
  if (!first) return fail(new OpsError('APPROVAL.NOT_FOUND', 'no such approval', {}));
  const early = deps.gate.check(first, input.actor, input.decision);
  if (early) return fail(early, first);
  try {
    return await deps.store.locks.withLock(`approval:${first.id}`, deps.leaseMs ?? DECISION_LEASE_MS, async (lease) => {
      const approval = await deps.store.approvals.get(first.id);
      if (!approval) return fail(new OpsError('APPROVAL.NOT_FOUND', 'no such approval', {}));
      const refused = deps.gate.check(approval, input.actor, input.decision);
      if (refused) {
        if (refused.code === 'APPROVAL.EXPIRED' && approval.status === 'open') {
          const expired = await deps.mutate(approval.id, (a) =>
            a.status === 'open' ? { ...a, status: 'expired' } : undefined,
          );
          if (expired) await deps.publish(expired);
        }
        return fail(refused, approval);
      }
      const subject = input.actor.subject;
      const needed = deps.gate.approvalsNeeded(approval);
      if (input.decision === 'approve' && approval.approvers.length + 1 < needed) {
        const updated = await deps.mutate(approval.id, (a) => ({ ...a, approvers: [...a.approvers, subject] }));
        const outcome: Outcome = {
          ok: true,
          requestId,
          operation: 'review.approve',
          result: { kind: 'approval-partial', approvalId: approval.id, approvers: updated?.approvers ?? [], needed },
        };
        if (updated) await deps.publish(updated);
        return { outcome, ...(updated ? { approval: updated } : {}) };
      }
      const provider = deps.providers.pipelines[approval.ref.cloud];
      if (!provider) {
        return fail(
          new OpsError('CONFIG.CLOUD_DISABLED', `${approval.ref.cloud} is not configured`, {
            cloud: approval.ref.cloud,
          }),
          approval,
        );
      }
      // Fencing: a holder whose lease lapsed (a stalled process) does not send.
      await lease.confirm();
      const ctx = deps.contextFor(requestId, input.actor);
      const sent = await sendDecision(ctx, provider, approval, input.decision, input.reason);
      return settle(deps, approval, input, requestId, sent);
    });
  } catch (err) {
    if (err instanceof OpsError && err.code === 'APPROVAL.IN_PROGRESS') return fail(err, first);
    throw err;
  }
}

async function settle(
  deps: DecideDeps,
  approval: Approval,
  input: DecideInput,
  requestId: string,
  sent: Awaited<ReturnType<typeof sendDecision>>,
): Promise<DecideResult> {
  const { decision, actor } = input;
  // Postponing is authorized and reported as an approve-side operation (commandForDecision in gate.ts).
  const operation: Operation = decision === 'reject' ? 'review.reject' : 'review.approve';
  if (sent.kind === 'failed') {
    return { outcome: { ok: false, requestId, operation, error: sent.error }, approval };
  }
  if (sent.kind === 'gone') {
    const next = await deps.mutate(approval.id, (a) =>
      a.status === 'open'
        ? { ...a, status: 'decided-elsewhere', closedBy: { at: deps.now(), gateStatus: sent.status } }
        : undefined,
    );
    const outcome: Outcome = { ok: false, requestId, operation, error: sent.error };
    if (next) await deps.publish(next);
    return { outcome, approval: next ?? approval };
  }
  const outcome: Outcome = {
    ok: true,
    requestId,
    operation,
    result: {
      kind: 'decided',
      decision,
      ref: approval.ref,
      review: {
        ...gateOf(approval),
        status: decision === 'approve' ? 'approved' : decision === 'reject' ? 'rejected' : 'waiting',
      },
      by: actor.subject,
      approvalId: approval.id,
      ...(approval.runName ? { runName: approval.runName } : {}),
      ...(input.reason ? { note: input.reason } : {}),
      ...(sent.providerRequestId ? { providerRequestId: sent.providerRequestId } : {}),
      ...(sent.confirmedByReread ? { confirmedByReread: true } : {}),
    },
  };
  const record = {
    by: actor.subject,
    at: deps.now(),
    decision,
    path: actor.path,
    ...(actor.operator && actor.operator !== actor.subject ? { onBehalfOf: actor.operator } : {}),
    ...(input.reason ? { reason: input.reason } : {}),
    ...(sent.providerRequestId ? { providerRequestId: sent.providerRequestId } : {}),
  };
  const next = await deps.mutate(approval.id, (a) =>
    decision === 'postpone'
      ? // The gate waits one hour more: so does its approval, and the buttons stay.
        { ...a, expiresAt: Math.max(a.expiresAt, deps.now() + POSTPONE_MS), decision: record }
      : {
          ...a,
          status: decision === 'approve' ? 'approved' : 'rejected',
          approvers: decision === 'approve' ? [...a.approvers, actor.subject] : a.approvers,
          decision: record,
        },
  );
  if (next) await deps.publish(next, outcome);
  return { outcome, approval: next ?? approval };
}
