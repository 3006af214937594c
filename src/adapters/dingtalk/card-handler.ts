import type { ApprovalService } from '../../core/approvals/service.js';
import type { Core } from '../../core/core.js';
import { OpsError } from '../../core/errors.js';
import { type Locale, renderError, t } from '../../core/i18n/index.js';
import type { Clock, Logger } from '../../core/ports.js';
import type { Store } from '../../core/store-ports.js';
import { actionsClosed, type Names } from './card-params.js';
import { actorOf, type DecisionInput } from './decisions.js';
import { parseCardClick } from './frames.js';
import type { DingTalkApi } from './openapi.js';
import { approvalIdOf, toMarkdown } from './poster.js';
import type { ReasonWaits } from './reason-waits.js';
import { errorName } from './stream-client.js';

const DEDUPE_MS = 10 * 60_000;

/** What a card callback is answered with (docs/reference/dingtalk.md "Answer the click within 2 s"). */
export type CardAnswer = Record<string, unknown>;

/** Only the clicker sees this: the card's public data stays as it is. */
export function privateAnswer(text: string): CardAnswer {
  return {
    userPrivateData: { cardParamMap: { private_text: text } },
    cardUpdateOptions: { updatePrivateDataByKey: true },
  };
}

/** Everyone sees "processing, by X" and no buttons; the clicker's private note is cleared. */
export function processingAnswer(statusText: string): CardAnswer {
  return {
    cardData: { cardParamMap: { status_text: statusText, ...actionsClosed() } },
    userPrivateData: { cardParamMap: { private_text: '' } },
    cardUpdateOptions: { updateCardDataByKey: true, updatePrivateDataByKey: true },
  };
}

/**
 * Card clicks: everything that decides the answer (open? allowed?) is checked before answering, the answer goes out
 * at once (DingTalk waits 2 s), and the cloud call runs after it. Denied and stale clicks change nothing public.
 * @example
 * client.registerCallbackListener(TOPIC_CARD, (frame) => cards.onClick(frame.data, frame.headers.messageId, answer));
 */
export function createCardHandler(deps: {
  core: Core;
  approvals: ApprovalService;
  store: Store;
  api: DingTalkApi;
  names: Names;
  waits: ReasonWaits;
  logger: Logger;
  now: Clock;
  locale: Locale;
  reasonTtlMs: number;
  /** Queues the decision; it must run after the answer is sent (setImmediate or later). */
  schedule(input: DecisionInput): void;
}) {
  const { approvals, store, logger, now, locale } = deps;

  async function decideAnswer(data: string, messageId: string): Promise<CardAnswer> {
    const click = parseCardClick(data);
    const approvalId = approvalIdOf(click?.outTrackId);
    if (!click || !approvalId || !click.action) {
      logger.warn({ messageId }, 'dingtalk: card callback without a usable action ignored');
      return {};
    }
    if (!(await store.dedupe.claim(`dingtalk:card:${messageId}`, DEDUPE_MS))) {
      logger.info({ messageId, approvalId }, 'dingtalk: duplicate card callback dropped');
      return {};
    }
    if (!click.userId) return privateAnswer(t(locale, 'dingtalk.external'));
    const subject = `dingtalk:${click.userId}`;
    // The space the click happened in, as the callback names it (not the group the card was delivered to), and the
    // card it came from: the core's one gate decides (closed, bound to this card, policy, self-approval, the gate's
    // approvers, postpone only on delay gates).
    const where = { outTrackId: click.outTrackId, space: click.space };
    const { approval, error } = await approvals.check(
      approvalId,
      actorOf({ staffId: click.userId, ...where }),
      click.action,
    );
    if (error || !approval) {
      if (error) logger.info({ approvalId, subject, code: error.code }, 'dingtalk: card click refused');
      return error ? privateAnswer(renderError(locale, error).title) : {};
    }
    if (click.action === 'reject' && !click.reason) {
      const minutes = Math.round(deps.reasonTtlMs / 60_000);
      const ask = t(locale, 'dingtalk.askReason', { review: approval.review.name, minutes });
      deps.waits.set(click.userId, { approvalId, ...where, expiresAt: now() + deps.reasonTtlMs });
      deps.api.sendUserMarkdown([click.userId], toMarkdown({ ok: true, title: ask, lines: [] })).catch((err) => {
        logger.warn({ approvalId, error: errorName(err) }, 'dingtalk: could not ask for a reason');
      });
      return privateAnswer(ask);
    }
    deps.schedule({
      approvalId,
      staffId: click.userId,
      ...where,
      decision: click.action,
      ...(click.reason ? { reason: click.reason } : {}),
    });
    return processingAnswer(t(locale, 'approval.processing', { by: deps.names.display(subject) }));
  }

  return {
    /** Answers the callback (through `answer`) and schedules the decision; never throws. */
    async onClick(data: string, messageId: string, answer: (response: CardAnswer) => void): Promise<void> {
      let response: CardAnswer = {};
      try {
        response = await decideAnswer(data, messageId);
      } catch (err) {
        logger.error({ messageId, error: errorName(err) }, 'dingtalk: card click failed');
        response = privateAnswer(renderError(locale, new OpsError('INTERNAL.ERROR', 'card click failed')).title);
      }
      answer(response);
    },
  };
}
