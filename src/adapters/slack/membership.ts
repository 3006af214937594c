import type { webApi } from '@slack/bolt';
import { OpsError, toOpsError } from '../../core/errors.js';
import type { Clock, Logger } from '../../core/ports.js';
import { platformError } from './poster-errors.js';

/**
 * Channels the bot has not joined. `chat:write.public` lets it post approvals in any public channel, but ephemeral
 * notes (`chat.postEphemeral`) and, per real-shapes.md, updates answer `not_in_channel` there. On that answer the bot
 * joins the channel once (`conversations.join`, scope `channels:join`: public channels only) and retries; when it
 * cannot join (a private channel, the scope removed, an archived channel) the caller gets PLATFORM.ERROR with
 * `slackError: not_in_channel` and tells the person, in words, to `/invite @opsgate`.
 * Sources: docs.slack.dev/reference/methods/chat.postEphemeral (errors), docs.slack.dev/reference/methods/conversations.join.
 */
export interface Membership {
  /** Runs a Web API call that needs the bot in `channel`; joins and retries once on `not_in_channel`. */
  inChannel<T>(channel: string, method: string, call: () => Promise<T>): Promise<T>;
}

/** A failed join is not retried for this long (a private channel stays private; a removed scope stays removed). */
const JOIN_BACKOFF_MS = 10 * 60_000;
const MAX_REMEMBERED = 1000;

export function createMembership(deps: {
  client: webApi.WebClient;
  token: string;
  logger: Logger;
  now: Clock;
}): Membership {
  const failedAt = new Map<string, number>();

  async function join(channel: string): Promise<boolean> {
    const last = failedAt.get(channel);
    if (last !== undefined && deps.now() - last < JOIN_BACKOFF_MS) return false;
    try {
      await deps.client.conversations.join({ token: deps.token, channel });
      failedAt.delete(channel);
      deps.logger.info({ channel }, 'slack joined channel');
      return true;
    } catch (err) {
      const error = platformError('conversations.join', err);
      if (failedAt.size >= MAX_REMEMBERED) failedAt.delete(failedAt.keys().next().value as string);
      failedAt.set(channel, deps.now());
      deps.logger.warn({ channel, slackError: error.meta.slackError }, 'slack could not join channel');
      return false;
    }
  }

  return {
    async inChannel(channel, method, call) {
      try {
        return await call();
      } catch (err) {
        const error = platformError(method, err);
        if (error.meta.slackError !== 'not_in_channel') throw error;
        if (!(await join(channel))) throw error;
        try {
          return await call();
        } catch (again) {
          throw toOpsError(platformError(method, again));
        }
      }
    },
  };
}

export function isNotInChannel(error: unknown): boolean {
  return error instanceof OpsError && error.meta.slackError === 'not_in_channel';
}
