import type { ApprovalService } from '../../core/approvals/service.js';
import type { Core } from '../../core/core.js';
import { OpsError, toOpsError } from '../../core/errors.js';
import { type Locale, type Rendered, renderError, renderOutcome, t } from '../../core/i18n/index.js';
import type { Clock, Decision, Logger } from '../../core/ports.js';
import type { DecisionActor } from '../../core/approvals/gate.js';
import type { Approval, ApprovalMessageRef, DecisionPath } from '../../core/store-ports.js';
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
  precheck(click: Click, decision: Decision, path?: DecisionPath): Promise<Approval | undefined>;
  /** Strips the buttons, decides through the approval service, and restores the buttons if it stays open. */
  decide(click: Click, decision: Decision, reason?: string, path?: DecisionPath): Promise<void>;
}

export function createDecideFlow(deps: DecideFlowDeps): DecideFlow {
  const { approvals, poster, logger, locale } = deps;
  /** Approvals being decided by this process: a second click gets a note, not a second "Processing" rewrite. */
  const inFlight = new Set<string>();

  const clicked = (click: Click): ApprovalMessageRef => ({
    platform: 'slack',
    channel: click.channel,
    messageId: click.messageTs,
  });
  /** The approval's Slack messages (the clicked one among them: the gate refuses a click from any other). */
  const messagesOf = (approval: Approval, _click: Click): ApprovalMessageRef[] =>
    approval.messages.filter((m) => m.platform === 'slack');

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

  /** The click as the core's gate sees it: who, from which channel, on which message, by which path. */
  const actorOf = (click: Click, path: DecisionPath): DecisionActor => ({
    subject: userSubject(click.userId),
    context: [channelSubject(click.channel)],
    path,
    message: clicked(click),
  });

  async function precheck(
    click: Click,
    decision: Decision,
    path: DecisionPath = 'button',
  ): Promise<Approval | undefined> {
    // The core's one gate decides; this only chooses what to show.
    const { approval, error } = await approvals.check(click.approvalId, actorOf(click, path), decision);
    if (!error) return approval;
    if (approval && error.code === 'APPROVAL.EXPIRED') await approvals.sweep();
    if (approval && error.code === 'APPROVAL.ALREADY_DECIDED') {
      // Refresh the stale message (only when it is this approval's own).
      if (approval.messages.some((m) => m.channel === click.channel && m.messageId === click.messageTs)) {
        await rewrite(approval, clicked(click));
      }
      await tell(click, { ...renderError(locale, error), lines: [t(locale, 'slack.stale')] });
      return undefined;
    }
    await tell(click, renderError(locale, error));
    return undefined;
  }

  async function decide(
    click: Click,
    decision: Decision,
    reason?: string,
    path: DecisionPath = 'button',
  ): Promise<void> {
    const approval = await precheck(click, decision, path);
    if (!approval) return;
    if (inFlight.has(approval.id)) {
      await tell(click, renderError(locale, new OpsError('APPROVAL.IN_PROGRESS', 'in progress', {})));
      return;
    }
    inFlight.add(approval.id);
    const subject = userSubject(click.userId);
    try {
      // "Processing" goes out while the decision is made (Slack's round trip is not on the decision's path); the
      // service publishes the outcome only after it, so the final state always lands last.
      const shown = Promise.all(messagesOf(approval, click).map((m) => rewrite(approval, m, subject)));
      let result: Awaited<ReturnType<ApprovalService['decide']>>;
      try {
        result = await approvals.decide({
          approvalId: approval.id,
          actor: actorOf(click, path),
          decision,
          ...(reason ? { reason } : {}),
          shown: shown.then(() => undefined),
        });
        await shown;
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
