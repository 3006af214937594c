import type { ApprovalPoster } from '../../core/approvals/ports.js';
import type { ApprovalService } from '../../core/approvals/service.js';
import { type Locale, renderError, t } from '../../core/i18n/index.js';
import type { DecisionActor } from '../../core/approvals/gate.js';
import type { Decision, Logger } from '../../core/ports.js';
import type { Approval } from '../../core/store-ports.js';
import type { DingTalkApi } from './openapi.js';
import type { ClickSpace } from './frames.js';
import { toMarkdown } from './poster.js';
import { errorName } from './stream-client.js';

export interface DecisionInput {
  approvalId: string;
  staffId: string;
  /** The card (outTrackId) that was clicked: the core binds the decision to it. */
  outTrackId: string;
  /** Where it was clicked (the callback's space): its group, if any, is the only extra principal. */
  space: ClickSpace;
  decision: Decision;
  reason?: string;
  requestId?: string;
}

/**
 * A card click (or the reason that follows it) as the core's gate sees it: the person, the principals of the space the
 * click happened in, and the card it came from (the message's channel is the click's space; the gate matches a
 * DingTalk card by its outTrackId alone).
 */
export function actorOf(input: Pick<DecisionInput, 'staffId' | 'outTrackId' | 'space'>): DecisionActor {
  return {
    subject: `dingtalk:${input.staffId}`,
    context: contextOf(input.space),
    path: 'card',
    message: { platform: 'dingtalk', channel: input.space.id, messageId: input.outTrackId },
  };
}

/** Group IDs are openConversationIds: base64-ish, never `;` or `.` (which separate parts of an openSpaceId). */
const GROUP_ID = /^[A-Za-z0-9+/=_-]{1,128}$/;

/**
 * Principals a click brings besides the person: the group it was clicked in, named by the callback itself
 * (`spaceType: IM_GROUP`, `spaceId`), never the group the card was first delivered to. A card forwarded into another
 * chat is clicked there, so it carries that chat's rights, not the original group's.
 */
export function contextOf(space: ClickSpace | undefined): string[] {
  if (space?.type !== 'IM_GROUP' || !GROUP_ID.test(space.id)) return [];
  return [`dingtalk-group:${space.id}`];
}

/**
 * Runs a decision after the click was answered. Success is published by the approval service (card update and
 * follow-up through the poster). On failure the card is put back to the approval's current state and only the
 * person who acted is told why, in a one-to-one message.
 * @example
 * await decide({ approvalId, staffId: 'staff1', outTrackId, space: { type: 'IM_GROUP', id: 'cid…' }, decision: 'approve' });
 */
export function createDecisionRunner(deps: {
  approvals: ApprovalService;
  poster: ApprovalPoster;
  api: DingTalkApi;
  logger: Logger;
  locale: Locale;
}) {
  const { approvals, poster, api, logger, locale } = deps;

  async function restore(approvalId: string, outTrackId: string): Promise<Approval | undefined> {
    const current = await approvals.get(approvalId);
    const message = current?.messages.find((m) => m.platform === 'dingtalk' && m.messageId === outTrackId);
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
    const current = code === 'APPROVAL.IN_PROGRESS' ? undefined : await restore(input.approvalId, input.outTrackId);
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
