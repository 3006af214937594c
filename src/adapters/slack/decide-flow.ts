import type { ApprovalService } from '../../core/approvals/service.js';
import type { Command } from '../../core/grammar/commands.js';
import type { Core } from '../../core/core.js';
import { OpsError, toOpsError } from '../../core/errors.js';
import { type Locale, type Rendered, renderError, renderOutcome, t } from '../../core/i18n/index.js';
import type { Clock, Decision, Logger } from '../../core/ports.js';
import type { Approval, ApprovalMessageRef } from '../../core/store-ports.js';
import { channelSubject, userSubject } from './ids.js';
import type { SlackPoster } from './poster.js';

/** A click (or a reason submitted for one): who, on which approval, on which message. */
export interface Click {
  approvalId: string;
  userId: string;
  channel: string;
  messageTs: string;
}

export interface DecideFlowDeps {
  core: Core;
  approvals: ApprovalService;
  poster: SlackPoster;
  logger: Logger;
  now: Clock;
  locale: Locale;
}

export interface DecideFlow {
  /**
   * Everything that can be answered without touching the approval: gone, closed (the stale message is refreshed),
   * denied by the policy, the requester deciding their own. Answers the clicker ephemerally and returns undefined;
   * otherwise returns the open approval.
   */
  precheck(click: Click, decision: Decision): Promise<Approval | undefined>;
  /** Strips the buttons, decides through the approval service, and restores the buttons if it stays open. */
  decide(click: Click, decision: Decision, reason?: string): Promise<void>;
}

export function createDecideFlow(deps: DecideFlowDeps): DecideFlow {
  const { core, approvals, poster, logger, locale } = deps;
  /** Approvals being decided by this process: a second click gets a note, not a second "Processing" rewrite. */
  const inFlight = new Set<string>();

  const principals = (click: Click) => [userSubject(click.userId), channelSubject(click.channel)];
  const clicked = (click: Click): ApprovalMessageRef => ({
    platform: 'slack',
    channel: click.channel,
    messageId: click.messageTs,
  });
  /** The approval's Slack messages, plus the clicked one if the approval does not list it. */
  const messagesOf = (approval: Approval, click: Click): ApprovalMessageRef[] => {
    const own = approval.messages.filter((m) => m.platform === 'slack');
    const known = own.some((m) => m.channel === click.channel && m.messageId === click.messageTs);
    return known ? own : [...own, clicked(click)];
  };

  async function tell(click: Click, rendered: Pick<Rendered, 'title' | 'lines'>): Promise<void> {
    try {
      await poster.ephemeral(click.channel, click.userId, rendered);
    } catch (err) {
      logger.warn({ approvalId: click.approvalId, code: toOpsError(err).code }, 'slack ephemeral note failed');
    }
  }

  async function rewrite(approval: Approval, message: ApprovalMessageRef, by?: string): Promise<void> {
    try {
      await (by ? poster.processing(approval, message, by) : poster.update(approval, message));
    } catch (err) {
      logger.warn({ approvalId: approval.id, code: toOpsError(err).code }, 'slack approval message update failed');
    }
  }

  async function precheck(click: Click, decision: Decision): Promise<Approval | undefined> {
    const approval = await approvals.get(click.approvalId);
    if (!approval) {
      await tell(click, renderError(locale, new OpsError('APPROVAL.NOT_FOUND', 'no such approval', {})));
      return undefined;
    }
    if (approval.status === 'open' && approval.expiresAt <= deps.now()) {
      // The sweeper expires it through the service, which rewrites every message of it.
      await approvals.sweep();
      await tell(click, renderError(locale, new OpsError('APPROVAL.EXPIRED', 'this approval has expired', {})));
      return undefined;
    }
    if (approval.status !== 'open') {
      await rewrite(approval, clicked(click));
      const error = new OpsError('APPROVAL.ALREADY_DECIDED', `already ${approval.status}`, {
        status: t(locale, `slack.status.${approval.status}`),
      });
      await tell(click, { ...renderError(locale, error), lines: [t(locale, 'slack.stale')] });
      return undefined;
    }
    const who = principals(click);
    const command: Command =
      decision === 'approve'
        ? { op: 'review.approve', target: approval.ref }
        : { op: 'review.reject', target: approval.ref };
    const authz = core.explain(who, command);
    if (!authz.allowed) {
      const denied = new OpsError('AUTH.DENIED', 'denied by policy', {
        permission: authz.permission,
        subject: userSubject(click.userId),
      });
      await tell(click, renderError(locale, denied));
      return undefined;
    }
    if (core.policy.rules.noSelfApproval && approval.requester && who.includes(approval.requester)) {
      await tell(click, renderError(locale, new OpsError('APPROVAL.SELF_DECISION', 'own approval', {})));
      return undefined;
    }
    return approval;
  }

  async function decide(click: Click, decision: Decision, reason?: string): Promise<void> {
    const approval = await precheck(click, decision);
    if (!approval) return;
    if (inFlight.has(approval.id)) {
      await tell(click, renderError(locale, new OpsError('APPROVAL.IN_PROGRESS', 'in progress', {})));
      return;
    }
    inFlight.add(approval.id);
    const subject = userSubject(click.userId);
    try {
      await Promise.all(messagesOf(approval, click).map((m) => rewrite(approval, m, subject)));
      let result: Awaited<ReturnType<ApprovalService['decide']>>;
      try {
        result = await approvals.decide({
          approvalId: approval.id,
          subject,
          context: [channelSubject(click.channel)],
          decision,
          ...(reason ? { reason } : {}),
        });
      } catch (err) {
        const error = toOpsError(err);
        result = { outcome: { ok: false, requestId: '', error } };
      }
      const { outcome } = result;
      if (outcome.ok) {
        // Decided: the service rewrote the message and posted the details in its thread. Partial: say so.
        if (outcome.result.kind === 'approval-partial') await tell(click, renderOutcome(locale, outcome));
        return;
      }
      if (outcome.error.code !== 'APPROVAL.IN_PROGRESS') {
        // The decision failed; if the store cannot even be read now, the approval as read before it is still open.
        const current = await approvals.get(approval.id).catch(() => approval);
        // Never leave an open approval without its buttons.
        if (current?.status === 'open') await Promise.all(messagesOf(current, click).map((m) => rewrite(current, m)));
      }
      await tell(click, renderOutcome(locale, outcome));
    } finally {
      inFlight.delete(approval.id);
    }
  }

  return { precheck, decide };
}
