import { createHash } from 'node:crypto';
import type { RespondFn, SlashCommand, types } from '@slack/bolt';
import type { ApprovalService } from '../../core/approvals/service.js';
import type { Command } from '../../core/commands.js';
import type { Core } from '../../core/core.js';
import { type OpsError, toOpsError } from '../../core/errors.js';
import { type Locale, type Rendered, renderError, renderHelp, renderOutcome, t } from '../../core/i18n/index.js';
import type { Clock, Logger } from '../../core/ports.js';
import type { Store } from '../../core/store-ports.js';
import { channelSubject, userSubject } from './ids.js';
import { type ChannelNames, resolveWatchChannel } from './channel-names.js';
import { INBOX_LIMIT, inboxBlocks } from './inbox.js';
import type { SlackPoster } from './poster.js';
import { mention, renderedMrkdwn, renderedPlain } from './text.js';
import { SLACK_DEDUPE_MS } from './timestamp-guard.js';

/** Results everyone in the channel should see: something changed in a cloud. Everything else is private. */
const VISIBLE = new Set(['decided', 'notice-disabled', 'notice-updated', 'watching', 'approval-partial']);
/** A redelivery (or replay) is recognised for as long as its timestamp is acceptable (timestamp-guard.ts). */
const RETRY_WINDOW_MS = SLACK_DEDUPE_MS;

export interface CommandDeps {
  core: Core;
  approvals: ApprovalService;
  store: Store;
  poster: SlackPoster;
  /** Posts a visible message when the response_url cannot be used (expired, used up). */
  postVisible(channel: string, text: string, blocks: types.KnownBlock[]): Promise<void>;
  logger: Logger;
  now: Clock;
  locale: Locale;
  /** `watch <run> #name`: public channel names to ids. */
  channelNames: ChannelNames;
  /** IANA zone of times written in words. */
  timezone: string;
}

/**
 * Runs one `/ops …` after it was acknowledged: deduplicates Slack's redeliveries, parses with the core's grammar,
 * opens approvals for `pending`, executes the rest, and answers visibly (changes) or ephemerally (help, lists,
 * errors, denials) through the response_url.
 */
export function createCommandHandler(deps: CommandDeps) {
  const { core, store, poster, logger, locale } = deps;

  return async function handle(command: SlashCommand, respond: RespondFn | undefined): Promise<void> {
    const subject = userSubject(command.user_id);
    const context = [channelSubject(command.channel_id)];
    const text = (command.text ?? '').trim();

    async function reply(rendered: Pick<Rendered, 'title' | 'lines'>, visible: boolean): Promise<void> {
      const blocks: types.KnownBlock[] = [
        { type: 'section', text: { type: 'mrkdwn', text: renderedMrkdwn(rendered) } },
      ];
      if (visible) {
        blocks.push({
          type: 'context',
          elements: [{ type: 'mrkdwn', text: t(locale, 'slack.by', { by: mention(subject) }) }],
        });
      }
      const plain = renderedPlain(rendered);
      try {
        if (!respond) throw new Error('no response_url');
        await respond({
          response_type: visible ? 'in_channel' : 'ephemeral',
          replace_original: false,
          text: plain,
          blocks,
        });
      } catch (err) {
        logger.warn({ code: toOpsError(err).code, visible }, 'slack response_url failed; using the Web API');
        try {
          if (visible) await deps.postVisible(command.channel_id, plain, blocks);
          else await poster.ephemeral(command.channel_id, command.user_id, rendered);
        } catch (again) {
          logger.warn({ code: toOpsError(again).code }, 'slack reply failed');
        }
      }
    }

    /** An ephemeral answer with blocks of our own (the inbox), through the response_url or the Web API. */
    async function replyBlocks(text: string, blocks: types.KnownBlock[]): Promise<void> {
      try {
        if (!respond) throw new Error('no response_url');
        await respond({ response_type: 'ephemeral', replace_original: false, text, blocks });
      } catch (err) {
        logger.warn({ code: toOpsError(err).code }, 'slack response_url failed; using the Web API');
        await poster
          .ephemeralBlocks(command.channel_id, command.user_id, text, blocks)
          .catch((again) => logger.warn({ code: toOpsError(again).code }, 'slack reply failed'));
      }
    }

    const fail = (error: OpsError, requestId?: string) => {
      const rendered = renderError(locale, error, requestId);
      if (error.code === 'INPUT.UNKNOWN_COMMAND') {
        const help = renderHelp(locale);
        return reply({ title: rendered.title, lines: [...rendered.lines, help.title, ...help.lines] }, false);
      }
      if (error.code === 'PLATFORM.ERROR' && /not_in_channel|channel_not_found/.test(String(error.meta.slackError))) {
        return reply(
          { title: rendered.title, lines: [...rendered.lines, t(locale, 'slack.hint.notInChannel')] },
          false,
        );
      }
      return reply(rendered, false);
    };

    // Slack redelivers a request it saw no answer to; the same trigger_id means the same invocation.
    const digest = createHash('sha256').update(text).digest('hex').slice(0, 16);
    const key = `slack:command:${command.team_id}:${command.user_id}:${command.channel_id}:${command.trigger_id}:${digest}`;
    let first: boolean;
    try {
      first = await store.dedupe.claim(key, RETRY_WINDOW_MS);
    } catch (err) {
      // The store is down: nothing was done, and the person is told so.
      return fail(toOpsError(err));
    }
    if (!first) {
      logger.info({ subject }, 'slack command redelivery ignored');
      return;
    }

    let parsed: Command;
    try {
      parsed = core.parse(text);
    } catch (err) {
      return fail(toOpsError(err));
    }

    if (parsed.op === 'inbox') {
      try {
        const list = await deps.approvals.inbox({ subject, context }, INBOX_LIMIT.message + 1);
        const { text, blocks } = inboxBlocks(locale, list, INBOX_LIMIT.message, {
          now: deps.now(),
          timezone: deps.timezone,
        });
        return await replyBlocks(text, blocks);
      } catch (err) {
        return fail(toOpsError(err));
      }
    }

    if (parsed.op === 'approval.watch' && parsed.channel?.startsWith('#')) {
      const resolved = await resolveWatchChannel(deps.channelNames, parsed.channel, locale, logger);
      if (!resolved.ok) return reply(resolved.rendered, false);
      parsed = { ...parsed, channel: resolved.id };
    }

    const outcome = await core.execute({
      subject,
      context,
      command: parsed,
      origin: { platform: 'slack', channel: command.channel_id },
    });
    if (!outcome.ok) return fail(outcome.error, outcome.requestId);
    if (outcome.result.kind === 'pending' && outcome.result.approvals) {
      // The approval messages posted now are the visible answer; say something privately only when none was.
      if (outcome.result.approvals.posted > 0) return;
      const rendered = renderOutcome(locale, outcome);
      const lines =
        outcome.result.approvals.existing > 0
          ? [...rendered.lines, t(locale, 'slack.pending.alreadyOpen')]
          : rendered.lines;
      return reply({ title: rendered.title, lines }, false);
    }
    await reply(renderOutcome(locale, outcome), VISIBLE.has(outcome.result.kind));
  };
}
