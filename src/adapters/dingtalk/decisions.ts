import type { ApprovalPoster } from '../../core/approvals/ports.js';
import type { ApprovalService } from '../../core/approvals/service.js';
import { type Locale, renderError, t } from '../../core/i18n/index.js';
import type { DecisionActor } from '../../core/approvals/gate.js';
import type { Decision, Logger } from '../../core/ports.js';
import type { Approval } from '../../core/store-ports.js';
import type { DingTalkApi } from './openapi.js';
import { spaceOf, toMarkdown } from './poster.js';
import { errorName } from './stream-client.js';

export interface DecisionInput {
  approvalId: string;
  staffId: string;
  /** The channel of the card that was clicked (its group is a principal). */
  channel: string;
  decision: Decision;
  reason?: string;
  requestId?: string;
  /** The card (outTrackId) the click came from: the core binds the decision to it. */
  messageId?: string;
}

/** A card click (or the reason that follows it) as the core's gate sees it. */
export function actorOf(input: Pick<DecisionInput, 'staffId' | 'channel' | 'messageId'>): DecisionActor {
  return {
    subject: `dingtalk:${input.staffId}`,
    context: contextOf(input.channel),
    path: 'card',
    ...(input.messageId
      ? { message: { platform: 'dingtalk', channel: input.channel, messageId: input.messageId } }
      : {}),
  };
}

/** Principals a click or reply brings besides the person: the group the card lives in. */
export function contextOf(channel: string | undefined): string[] {
  if (!channel) return [];
  try {
    const space = spaceOf(channel);
    return space.kind === 'group' ? [`dingtalk-group:${space.conversationId}`] : [];
  } catch {
    return [];
  }
}

/**
 * Runs a decision after the click was answered. Success is published by the approval service (card update and
 * follow-up through the poster). On failure the card is put back to the approval's current state and only the
 * person who acted is told why, in a one-to-one message.
 * @example
 * await decide({ approvalId, staffId: 'staff1', channel: 'cid…', decision: 'approve' });
 */
export function createDecisionRunner(deps: {
  approvals: ApprovalService;
  poster: ApprovalPoster;
  api: DingTalkApi;
  logger: Logger;
  locale: Locale;
}) {
  const { approvals, poster, api, logger, locale } = deps;

  async function restore(approvalId: string, channel: string): Promise<Approval | undefined> {
    const current = await approvals.get(approvalId);
    const message = current?.messages.find((m) => m.platform === 'dingtalk' && m.channel === channel);
    try {
      if (current && message) await poster.update(current, message);
    } catch (err) {
      logger.warn({ approvalId, error: errorName(err) }, 'dingtalk: could not restore the card');
    }
    return current;
  }

  return async function decide(input: DecisionInput): Promise<void> {
    const subject = `dingtalk:${input.staffId}`;
    const { outcome } = await approvals.decide({
      approvalId: input.approvalId,
      actor: actorOf(input),
      decision: input.decision,
      ...(input.reason ? { reason: input.reason } : {}),
      ...(input.requestId ? { requestId: input.requestId } : {}),
    });
    if (outcome.ok) return;
    const code = outcome.error.code;
    logger.info({ approvalId: input.approvalId, code }, 'dingtalk: card decision not applied');
    // Someone else holds the approval's lock: their decision publishes the card.
    const current = code === 'APPROVAL.IN_PROGRESS' ? undefined : await restore(input.approvalId, input.channel);
    if (code === 'APPROVAL.IN_PROGRESS' || current?.decision?.by === subject) return;
    const reason = renderError(locale, outcome.error, outcome.requestId);
    const text = { ...reason, title: t(locale, 'dingtalk.notApplied', { reason: reason.title }) };
    try {
      await api.sendUserMarkdown([input.staffId], toMarkdown(text));
    } catch (err) {
      logger.warn({ approvalId: input.approvalId, error: errorName(err) }, 'dingtalk: could not tell the clicker');
    }
  };
}

export type DecisionRunner = ReturnType<typeof createDecisionRunner>;
