import type { Rendered } from '../../core/i18n/index.js';
import type { Clock, Logger } from '../../core/ports.js';
import type { RobotMessage } from './frames.js';
import type { DingTalkApi } from './openapi.js';
import { toMarkdown } from './poster.js';
import { errorName } from './stream-client.js';

/** A webhook about to expire is not worth the round trip. */
const WEBHOOK_MARGIN_MS = 5_000;

export type ReplyRoute = 'webhook' | 'group' | 'user' | 'none';

/**
 * Answers a robot message where it was asked: through the message's sessionWebhook (markdown, @-mentioning the sender)
 * while it is valid, else through the OpenAPI (group message, or one-to-one message to the sender).
 * @example
 * await replier.reply(message, renderOutcome('zh-CN', outcome));
 */
export function createReplier(deps: { api: DingTalkApi; now: Clock; logger: Logger; webhookOrigins: string[] }) {
  const origins = new Set(deps.webhookOrigins.map((o) => new URL(o).origin));

  function usableWebhook(message: RobotMessage): string | undefined {
    const hook = message.sessionWebhook;
    if (!hook || (message.sessionWebhookExpiredTime ?? 0) <= deps.now() + WEBHOOK_MARGIN_MS) return undefined;
    try {
      // Only DingTalk's own origins: the URL arrives in a frame and the bot must not POST wherever a frame says.
      return origins.has(new URL(hook).origin) ? hook : undefined;
    } catch {
      return undefined;
    }
  }

  return {
    async reply(message: RobotMessage, rendered: Rendered): Promise<ReplyRoute> {
      const staffId = message.senderStaffId || undefined;
      const markdown = toMarkdown(rendered, staffId);
      const hook = usableWebhook(message);
      if (hook) {
        try {
          const body = { msgtype: 'markdown', markdown, at: { atUserIds: staffId ? [staffId] : [] } };
          if (await deps.api.postSessionWebhook(hook, body)) return 'webhook';
          deps.logger.info({ msgId: message.msgId }, 'dingtalk: session webhook refused; using the OpenAPI');
        } catch (err) {
          deps.logger.warn({ msgId: message.msgId, error: errorName(err) }, 'dingtalk: session webhook failed');
        }
      }
      if (message.conversationType === '2') {
        await deps.api.sendGroupMarkdown(message.conversationId, markdown);
        return 'group';
      }
      if (staffId) {
        await deps.api.sendUserMarkdown([staffId], markdown);
        return 'user';
      }
      return 'none';
    },
    /** Only the sender sees it: in a group, a one-to-one robot message instead of a reply in the group. */
    async replyPrivately(message: RobotMessage, rendered: Rendered): Promise<ReplyRoute> {
      const staffId = message.senderStaffId || undefined;
      if (message.conversationType !== '2' || !staffId) return this.reply(message, rendered);
      await deps.api.sendUserMarkdown([staffId], toMarkdown(rendered));
      return 'user';
    },
  };
}

export type Replier = ReturnType<typeof createReplier>;
