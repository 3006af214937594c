import { randomUUID } from 'node:crypto';
import type { ApprovalService } from '../../core/approvals/service.js';
import type { Core } from '../../core/core.js';
import { toOpsError } from '../../core/errors.js';
import { type Locale, type Rendered, renderError, renderOutcome, t } from '../../core/i18n/index.js';
import type { Logger } from '../../core/ports.js';
import type { Store } from '../../core/store-ports.js';
import type { Names } from './card-params.js';
import type { DecisionRunner } from './decisions.js';
import { commandText, parseRobotMessage, type RobotMessage } from './frames.js';
import { ROBOT_CHANNEL_PREFIX } from './poster.js';
import type { ReasonWaits } from './reason-waits.js';
import type { Replier } from './replier.js';

/** Redeliveries come 16-60 s after a late ack (docs/reference/dingtalk.md); ten minutes covers them with room. */
const DEDUPE_MS = 10 * 60_000;
const CANCEL_WORDS = new Set(['cancel', '取消']);
/** Results answered to the sender only (one-to-one), even when asked in a group. */
const PRIVATE_RESULTS: ReadonlySet<string> = new Set(['whoami', 'inbox']);
/** Cards sent for one `inbox` (newest first): enough to act on, few enough not to flood a chat. */
const INBOX_CARDS = 10;

/**
 * Robot messages (`@bot <command>` in groups, plain text in one-to-one chats). The frame is acked before this runs;
 * duplicates are dropped by msgId; `pending` opens approvals with cards, everything else goes to the core.
 * @example
 * client.registerCallbackListener(TOPIC_ROBOT, (frame) => { ack(frame); void robot.handle(frame.data); });
 */
export function createRobotHandler(deps: {
  core: Core;
  approvals: ApprovalService;
  store: Store;
  replier: Replier;
  names: Names;
  waits: ReasonWaits;
  decide: DecisionRunner;
  logger: Logger;
  locale: Locale;
}) {
  const { core, store, replier, logger, locale } = deps;

  async function say(message: RobotMessage, rendered: Rendered): Promise<void> {
    const route = await replier.reply(message, rendered);
    logger.debug({ msgId: message.msgId, route }, 'dingtalk: replied');
  }

  /** The sender owed a reject reason: this message is it (or "cancel"). */
  async function takeReason(message: RobotMessage, staffId: string, text: string): Promise<boolean> {
    const wait = deps.waits.take(staffId);
    if (!wait) return false;
    if (CANCEL_WORDS.has(text.toLowerCase())) {
      await say(message, { ok: true, title: t(locale, 'dingtalk.reasonCancelled'), lines: [] });
      return true;
    }
    if (!text) {
      deps.waits.set(staffId, wait);
      return false;
    }
    await deps.decide({
      approvalId: wait.approvalId,
      staffId,
      outTrackId: wait.outTrackId,
      space: wait.space,
      decision: 'reject',
      reason: text,
    });
    return true;
  }

  async function run(
    message: RobotMessage,
    staffId: string,
    text: string,
    requestId: string,
  ): Promise<Rendered | undefined> {
    const subject = `dingtalk:${staffId}`;
    const group = message.conversationType === '2';
    const context = group ? [`dingtalk-group:${message.conversationId}`] : [];
    const origin = {
      platform: 'dingtalk' as const,
      channel: group ? message.conversationId : `${ROBOT_CHANNEL_PREFIX}${staffId}`,
    };
    const outcome = await core.execute({ subject, context, text, requestId, origin });
    if (outcome.ok && PRIVATE_RESULTS.has(outcome.result.kind)) {
      // Who the policy sees and what it grants are the asker's business: not the group's.
      await replier.replyPrivately(message, renderOutcome(locale, outcome));
      if (outcome.result.kind === 'inbox') {
        // Each waiting approval comes with its buttons: its card, delivered to the asker one-to-one (at most 10).
        const own = `${ROBOT_CHANNEL_PREFIX}${staffId}`;
        for (const approval of outcome.result.approvals.slice(0, INBOX_CARDS)) {
          await deps.approvals.postTo(approval.id, { dingtalk: [own] });
        }
      }
      return undefined;
    }
    // `pending` posts the cards through the core: they are the answer; words only when none was posted now.
    if (outcome.ok && outcome.result.kind === 'pending' && (outcome.result.approvals?.posted ?? 0) > 0)
      return undefined;
    return renderOutcome(locale, outcome);
  }

  return {
    async handle(data: string): Promise<void> {
      const message = parseRobotMessage(data);
      if (!message) {
        logger.warn({}, 'dingtalk: unusable robot message dropped');
        return;
      }
      let fresh: boolean;
      try {
        fresh = await store.dedupe.claim(`dingtalk:msg:${message.msgId}`, DEDUPE_MS);
      } catch (err) {
        // Without the claim a redelivery could act twice: refuse rather than risk it.
        const error = toOpsError(err);
        logger.warn({ msgId: message.msgId, code: error.code }, 'dingtalk: dedupe claim failed');
        await say(message, renderError(locale, error));
        return;
      }
      if (!fresh) {
        logger.info({ msgId: message.msgId }, 'dingtalk: duplicate robot message dropped');
        return;
      }
      const staffId = message.senderStaffId ?? '';
      if (!staffId) {
        // External users have no staffId, so no policy can name them.
        await say(message, { ok: false, title: t(locale, 'dingtalk.external'), lines: [] });
        return;
      }
      deps.names.remember(staffId, message.senderNick);
      const text = commandText(message);
      const requestId = randomUUID();
      let rendered: Rendered | undefined;
      try {
        if (await takeReason(message, staffId, text)) return;
        rendered = await run(message, staffId, text, requestId);
      } catch (err) {
        const error = toOpsError(err);
        logger.warn({ msgId: message.msgId, code: error.code }, 'dingtalk: robot command failed');
        rendered = renderError(locale, error, requestId);
      }
      if (rendered) await say(message, rendered);
    },
  };
}
