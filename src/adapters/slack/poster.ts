import type { webApi } from '@slack/bolt';
import type { ApprovalPoster } from '../../core/approvals/ports.js';
import { isSlackId } from './ids.js';
import { OpsError } from '../../core/errors.js';
import { type Locale, type Rendered, t } from '../../core/i18n/index.js';
import type { Clock } from '../../core/ports.js';
import type { Approval, ApprovalMessageRef } from '../../core/store-ports.js';
import { approvalMessage } from './blocks.js';
import { clip, cloudName, escapeMrkdwn, refIds, renderedMrkdwn, renderedPlain } from './text.js';

/** The Slack approval poster, plus what the click handlers need between a click and the decision. */
export interface SlackPoster extends ApprovalPoster {
  readonly platform: 'slack';
  /** Rewrites the message to "Processing, by @user…" without buttons, so nobody decides twice. */
  processing(approval: Approval, message: ApprovalMessageRef, by: string): Promise<void>;
  /** A note only `user` sees, in `channel`. */
  ephemeral(channel: string, user: string, rendered: Pick<Rendered, 'title' | 'lines'>): Promise<void>;
  /** Whether this process posted the approval into the channel at or after `since` (the `pending` answer uses it). */
  postedSince(approvalId: string, channel: string, since: number): boolean;
}

export interface SlackPosterDeps {
  client: webApi.WebClient;
  token: string;
  locale: Locale;
  now: Clock;
}

/**
 * Posts approvals as Block Kit messages: chat.postMessage, chat.update to the approval's state, details as a
 * thread reply (thread_ts = the approval message's ts).
 * @example
 * const poster = createSlackPoster({ client: app.client, token: config.botToken, locale: 'en', now: Date.now });
 * approvals.registerPoster(poster);
 */
export function createSlackPoster(deps: SlackPosterDeps): SlackPoster {
  const { client, token, locale } = deps;
  const posted = new Map<string, number>();

  async function call<T>(method: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw platformError(method, err);
    }
  }

  async function rewrite(approval: Approval, message: ApprovalMessageRef, by?: string): Promise<void> {
    const { text, blocks } = approvalMessage(locale, approval, by ? { kind: 'processing', by } : { kind: 'stored' });
    await call('chat.update', () =>
      client.chat.update({ token, channel: message.channel, ts: message.messageId, text, blocks }),
    );
  }

  return {
    platform: 'slack',
    async post(approval, channel) {
      const { text, blocks } = approvalMessage(locale, approval, { kind: 'stored' });
      const res = await call('chat.postMessage', () =>
        client.chat.postMessage({ token, channel, text, blocks, unfurl_links: false, unfurl_media: false }),
      );
      if (!res.ts)
        throw new OpsError('PLATFORM.ERROR', 'chat.postMessage returned no ts', { method: 'chat.postMessage' });
      if (posted.size >= 1000) posted.delete(posted.keys().next().value as string);
      posted.set(`${approval.id} ${channel}`, deps.now());
      return { platform: 'slack', channel: res.channel ?? channel, messageId: res.ts };
    },
    postedSince: (approvalId, channel, since) => (posted.get(`${approvalId} ${channel}`) ?? -1) >= since,
    update: (approval, message) => rewrite(approval, message),
    processing: (approval, message, by) => rewrite(approval, message, by),
    async followUp(approval, message, rendered) {
      const details = t(locale, 'slack.details.target', {
        cloud: cloudName(locale, approval.ref),
        ids: refIds(approval.ref),
      });
      await call('chat.postMessage', () =>
        client.chat.postMessage({
          token,
          channel: message.channel,
          thread_ts: message.messageId,
          text: clip(`${renderedPlain(rendered)}\n${escapeMrkdwn(details)}`, 2900),
          blocks: [
            { type: 'section', text: { type: 'mrkdwn', text: renderedMrkdwn(rendered) } },
            { type: 'context', elements: [{ type: 'mrkdwn', text: clip(escapeMrkdwn(details), 2900) }] },
          ],
          unfurl_links: false,
        }),
      );
    },
    async direct(subject, rendered) {
      const user = subject.startsWith('slack:') ? subject.slice('slack:'.length) : '';
      if (!isSlackId(user)) return false;
      // Posting to a user id lands in the app's Messages tab (docs.slack.dev/reference/methods/chat.postMessage, "channel").
      await call('chat.postMessage', () =>
        client.chat.postMessage({
          token,
          channel: user,
          text: renderedPlain(rendered),
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: renderedMrkdwn(rendered) } }],
          unfurl_links: false,
        }),
      );
      return true;
    },
    async ephemeral(channel, user, rendered) {
      await call('chat.postEphemeral', () =>
        client.chat.postEphemeral({
          token,
          channel,
          user,
          text: renderedPlain(rendered),
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: renderedMrkdwn(rendered) } }],
        }),
      );
    },
  };
}

/**
 * A Web API failure as a coded error: the method and Slack's error code only. The original error is not kept as
 * `cause`: it carries the request, which a logger could serialise.
 */
export function platformError(method: string, err: unknown): OpsError {
  if (err instanceof OpsError) return err;
  const e = err as { code?: unknown; data?: { error?: unknown }; statusCode?: unknown; retryAfter?: unknown };
  return new OpsError('PLATFORM.ERROR', `slack ${method} failed`, {
    method,
    slackCode: typeof e?.code === 'string' ? e.code : undefined,
    slackError: typeof e?.data?.error === 'string' ? e.data.error : undefined,
    status: typeof e?.statusCode === 'number' ? e.statusCode : undefined,
  });
}
