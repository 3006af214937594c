import type { types, webApi } from '@slack/bolt';
import type { ApprovalPoster } from '../../core/approvals/ports.js';
import { OpsError } from '../../core/errors.js';
import { isSlackId } from './ids.js';
import { createMembership, isNotInChannel, type Membership } from './membership.js';
import { platformError } from './poster-errors.js';
import { type Locale, type Rendered, t } from '../../core/i18n/index.js';
import { type Clock, type Logger, silentLogger } from '../../core/ports.js';
import type { Approval, ApprovalMessageRef } from '../../core/store-ports.js';
import { approvalMessage } from './blocks.js';
import { clip, cloudName, escapeMrkdwn, refIds, renderedMrkdwn, renderedPlain } from './text.js';

/** The Slack approval poster, plus what the click handlers need between a click and the decision. */
export interface SlackPoster extends ApprovalPoster {
  readonly platform: 'slack';
  /** Rewrites the message to "Processing, by @user…" without buttons, so nobody decides twice. */
  processing(approval: Approval, message: ApprovalMessageRef, by: string): Promise<void>;
  /**
   * A note only `user` sees, in `channel`. In a channel the bot cannot join it goes to the person's DM with the bot,
   * with a line asking to `/invite @opsgate`.
   */
  ephemeral(channel: string, user: string, rendered: Pick<Rendered, 'title' | 'lines'>): Promise<void>;
  /** Same, with blocks of the caller's (the inbox list). */
  ephemeralBlocks(channel: string, user: string, text: string, blocks: types.KnownBlock[]): Promise<void>;
  /** Whether this process posted the approval into the channel at or after `since` (the `pending` answer uses it). */
  postedSince(approvalId: string, channel: string, since: number): boolean;
}

export interface SlackPosterDeps {
  client: webApi.WebClient;
  token: string;
  locale: Locale;
  now: Clock;
  /** IANA zone of the times written in words (gate timeout, run start); Slack date tokens follow each reader. */
  timezone?: string;
  logger?: Logger;
  /** Called after an approval was posted or rewritten (the App Home lists refresh on it). Must not throw. */
  onChange?: (approval: Approval) => void;
  membership?: Membership;
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
  const view = () => ({ now: deps.now(), timezone: deps.timezone ?? 'UTC' });
  const membership =
    deps.membership ?? createMembership({ client, token, logger: deps.logger ?? silentLogger, now: deps.now });
  const changed = (approval: Approval) => {
    try {
      deps.onChange?.(approval);
    } catch {
      // A listener's failure must not fail the approval.
    }
  };

  async function privately(channel: string, user: string, text: string, blocks: types.KnownBlock[]): Promise<void> {
    try {
      await membership.inChannel(channel, 'chat.postEphemeral', () =>
        client.chat.postEphemeral({ token, channel, user, text, blocks }),
      );
    } catch (err) {
      if (!isNotInChannel(err)) throw err;
      // Not in the channel and cannot join it: the DM with the bot still reaches the person.
      const hint = t(locale, 'slack.notInChannel.joinFailed');
      await call('chat.postMessage', () =>
        client.chat.postMessage({
          token,
          channel: user,
          text: clip(`${text}\n${hint}`, 2900),
          blocks: [...blocks, { type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(hint) }] }],
        }),
      );
    }
  }

  async function call<T>(method: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw platformError(method, err);
    }
  }

  async function rewrite(approval: Approval, message: ApprovalMessageRef, by?: string): Promise<void> {
    const { text, blocks } = approvalMessage(
      locale,
      approval,
      by ? { kind: 'processing', by } : { kind: 'stored' },
      view(),
    );
    await membership.inChannel(message.channel, 'chat.update', () =>
      client.chat.update({ token, channel: message.channel, ts: message.messageId, text, blocks }),
    );
    if (!by) changed(approval);
  }

  return {
    platform: 'slack',
    async post(approval, channel) {
      const { text, blocks } = approvalMessage(locale, approval, { kind: 'stored' }, view());
      const res = await membership.inChannel(channel, 'chat.postMessage', () =>
        client.chat.postMessage({ token, channel, text, blocks, unfurl_links: false, unfurl_media: false }),
      );
      if (!res.ts)
        throw new OpsError('PLATFORM.ERROR', 'chat.postMessage returned no ts', { method: 'chat.postMessage' });
      if (posted.size >= 1000) posted.delete(posted.keys().next().value as string);
      posted.set(`${approval.id} ${channel}`, deps.now());
      changed(approval);
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
      await privately(channel, user, renderedPlain(rendered), [
        { type: 'section', text: { type: 'mrkdwn', text: renderedMrkdwn(rendered) } },
      ]);
    },
    ephemeralBlocks: (channel, user, text, blocks) => privately(channel, user, text, blocks),
  };
}

export { platformError } from './poster-errors.js';
