import { authorize, matches, type Policy } from '../authz.js';
import type { Command } from '../commands.js';
import { OpsError } from '../errors.js';
import type { Clock, Decision } from '../ports.js';
import type { Approval, ApprovalMessageRef, DecisionPath } from '../store-ports.js';
import type { RunRef } from '../targets.js';

/** Who takes a decision, from where, and how it reached opsgate. */
export interface DecisionActor {
  /** The person the decision is taken as: `slack:U…`, `dingtalk:<staffId>`, `cli:alice`. */
  subject: string;
  /** Principals of the place (Slack channel, DingTalk group) the decision was taken in. */
  context: string[];
  path: DecisionPath;
  /** CLI: who ran the command when it acts on behalf of `subject`; the rules apply to both. */
  operator?: string;
  /** A click: the message (Slack channel+ts, DingTalk space+outTrackId) it came from. */
  message?: ApprovalMessageRef;
}

/** One rule that applies to a run, and what it does: for `policy explain` and the card. */
export interface RuleEffect {
  rule: 'noSelfApproval' | 'twoApprovers' | 'gateApprovers';
  effect: string;
}

export interface DecisionGate {
  /**
   * Every rule that guards a decision, in one place: closed or expired, bound to its message, a decision the gate
   * kind accepts, the policy (permission and scope), no self-approval, a different second approver, and the cloud's
   * own approver list (through the policy's identity map). Undefined when the actor may decide now.
   * @example
   * const refused = gate.check(approval, { subject: 'slack:U1', context: ['slack-channel:C1'], path: 'button' }, 'approve');
   */
  check(approval: Approval, actor: DecisionActor, decision: Decision): OpsError | undefined;
  /** How many distinct approvals the cloud gate needs before opsgate sends the pass (1, 2, or all mapped approvers). */
  approvalsNeeded(approval: Approval): number;
  /** The rules that apply to a run, in words an admin can check (`policy explain`). */
  rulesFor(ref: RunRef, subject?: string): RuleEffect[];
  /** The cloud user id of a subject for a cloud, from the identity map. */
  cloudIdentity(subject: string, cloud: RunRef['cloud']): string | undefined;
}

/** The permission a decision needs: postponing a delay gate is a softer approve. */
export function commandForDecision(decision: Decision, ref: RunRef): Command {
  return decision === 'reject' ? { op: 'review.reject', target: ref } : { op: 'review.approve', target: ref };
}

export function createDecisionGate(deps: { policy: Policy; now: Clock }): DecisionGate {
  const { policy, now } = deps;

  function cloudIdentity(subject: string, cloud: RunRef['cloud']): string | undefined {
    for (const identity of policy.identities) {
      if (identity.subjects.some((p) => matches(p, subject))) return identity[cloud];
    }
    return undefined;
  }

  function twoApprovers(ref: RunRef): boolean {
    const key = `${ref.cloud}:${ref.pipelineId}`;
    return policy.rules.twoApprovers.some((p) => p === '*' || p === key);
  }

  function approvalsNeeded(approval: Approval): number {
    const settings = approval.review.settings;
    const all = settings?.strategy === 'all' ? (settings.approvers?.length ?? 0) : 0;
    return Math.max(twoApprovers(approval.ref) ? 2 : 1, all);
  }

  function check(approval: Approval, actor: DecisionActor, decision: Decision): OpsError | undefined {
    if (approval.status === 'expired' || (approval.status === 'open' && approval.expiresAt <= now())) {
      return new OpsError('APPROVAL.EXPIRED', 'this approval has expired', {});
    }
    if (approval.status !== 'open') {
      return new OpsError('APPROVAL.ALREADY_DECIDED', `already ${approval.status}`, {
        status: approval.status,
        by: approval.decision?.by,
      });
    }
    if (actor.message && !isMessageOf(approval, actor.message)) {
      // A click decides only the approval whose stored message it came from (a tampered value or a forwarded card).
      return new OpsError('APPROVAL.WRONG_MESSAGE', 'this message does not belong to that approval', {});
    }
    const kind = approval.review.kind ?? 'review';
    if (decision === 'postpone' && kind !== 'delay') {
      return new OpsError('INPUT.BAD_ARGUMENT', 'only a delayed-execution gate can be postponed', {
        field: 'decision',
        usage: 'approve | reject',
      });
    }
    const principals = [actor.subject, ...actor.context];
    const authz = authorize(policy, principals, commandForDecision(decision, approval.ref));
    if (!authz.allowed) {
      return new OpsError('AUTH.DENIED', `${actor.subject} may not ${authz.permission}`, {
        permission: authz.permission,
        subject: actor.subject,
      });
    }
    if (actor.operator && actor.operator !== actor.subject) {
      // Acting for someone else needs the same right for the one who runs the command.
      const own = authorize(policy, [actor.operator], commandForDecision(decision, approval.ref));
      if (!own.allowed) {
        return new OpsError('AUTH.DENIED', `${actor.operator} may not ${own.permission}`, {
          permission: own.permission,
          subject: actor.operator,
        });
      }
    }
    const requester = approval.requester;
    if (policy.rules.noSelfApproval && requester && [...principals, actor.operator].includes(requester)) {
      return new OpsError('APPROVAL.SELF_DECISION', 'requesters may not decide their own approval', {});
    }
    const listed = approval.review.settings?.approvers ?? [];
    const cloudId = cloudIdentity(actor.subject, approval.ref.cloud);
    if (listed.length > 0 && cloudId !== undefined && !listed.includes(cloudId)) {
      return new OpsError('AUTH.NOT_GATE_APPROVER', `${actor.subject} is not an approver of this gate`, {
        subject: actor.subject,
        count: listed.length,
      });
    }
    if (decision === 'approve' && approvalsNeeded(approval) > 1 && approval.approvers.includes(actor.subject)) {
      return new OpsError('APPROVAL.DUPLICATE_APPROVER', 'a different approver is needed', {});
    }
    return undefined;
  }

  function rulesFor(ref: RunRef, subject?: string): RuleEffect[] {
    const effects: RuleEffect[] = [];
    if (policy.rules.noSelfApproval) {
      effects.push({ rule: 'noSelfApproval', effect: 'whoever requested an approval may not decide it' });
    }
    if (twoApprovers(ref)) {
      effects.push({
        rule: 'twoApprovers',
        effect: `${ref.cloud}:${ref.pipelineId} needs two different approvers before opsgate passes the gate`,
      });
    }
    if (subject) {
      const id = cloudIdentity(subject, ref.cloud);
      effects.push({
        rule: 'gateApprovers',
        effect:
          id === undefined
            ? `${subject} has no ${ref.cloud} identity in the policy: the policy alone decides, whatever approvers the gate names`
            : `${subject} is ${ref.cloud} user ${id}: when a gate names approvers, only those may decide`,
      });
    }
    return effects;
  }

  return { check, approvalsNeeded, rulesFor, cloudIdentity };
}

function isMessageOf(approval: Approval, message: ApprovalMessageRef): boolean {
  // A Slack ts is unique within its channel only; a DingTalk outTrackId is unique on its own (the space a card was
  // clicked in is the click's context, not part of the card's identity).
  return approval.messages.some(
    (m) =>
      m.platform === message.platform &&
      m.messageId === message.messageId &&
      (m.platform !== 'slack' || m.channel === message.channel),
  );
}
