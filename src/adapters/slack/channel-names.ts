import type { webApi } from '@slack/bolt';
import { USAGE } from '../../core/command-usage.js';
import { OpsError, toOpsError } from '../../core/errors.js';
import { type Locale, type Rendered, renderError, t } from '../../core/i18n/index.js';
import type { Clock, Logger } from '../../core/ports.js';
import { platformError } from './poster-errors.js';

/**
 * `watch <run> #releases`: the manifest keeps `should_escape: false`, so Slack sends a typed `#releases` as plain
 * text (real-shapes.md, Slack), not as `<#C…|releases>`. This resolves public channel names to ids through
 * `conversations.list` (scope `channels:read`; cursor pagination via `response_metadata.next_cursor`,
 * docs.slack.dev/reference/methods/conversations.list), bounded and cached:
 * - at most `maxPages` pages of 200 channels per load (workspaces with more channels name the channel by id);
 * - the name → id map is kept `ttlMs`; a name not found reloads it at most once per `missReloadMs`, so typos cannot
 *   make the bot page through the workspace on every command;
 * - one load at a time (concurrent lookups share it).
 */
export interface ChannelNames {
  /** The channel id for `#name` / `name`, or undefined when no public channel has that name. */
  resolve(name: string): Promise<string | undefined>;
}

export function createChannelNames(deps: {
  client: webApi.WebClient;
  token: string;
  now: Clock;
  logger: Logger;
  ttlMs?: number;
  missReloadMs?: number;
  maxPages?: number;
}): ChannelNames {
  const ttl = deps.ttlMs ?? 10 * 60_000;
  const missReload = deps.missReloadMs ?? 60_000;
  const maxPages = deps.maxPages ?? 10;
  let names = new Map<string, string>();
  let loadedAt = Number.NEGATIVE_INFINITY;
  let loading: Promise<void> | undefined;

  async function load(): Promise<void> {
    const next = new Map<string, string>();
    let cursor: string | undefined;
    for (let page = 0; page < maxPages; page++) {
      let res: webApi.ConversationsListResponse;
      try {
        res = await deps.client.conversations.list({
          token: deps.token,
          types: 'public_channel',
          exclude_archived: true,
          limit: 200,
          ...(cursor ? { cursor } : {}),
        });
      } catch (err) {
        throw platformError('conversations.list', err);
      }
      for (const c of res.channels ?? []) if (c.id && c.name) next.set(c.name.toLowerCase(), c.id);
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    if (cursor) deps.logger.warn({ pages: maxPages }, 'slack channel list truncated');
    names = next;
    loadedAt = deps.now();
  }

  async function reload(): Promise<void> {
    loading ??= load().finally(() => {
      loading = undefined;
    });
    await loading;
  }

  return {
    async resolve(raw) {
      const name = raw.replace(/^#/, '').toLowerCase();
      if (!name) return undefined;
      const age = deps.now() - loadedAt;
      if (age > ttl) await reload();
      const found = names.get(name);
      if (found || deps.now() - loadedAt < missReload) return found;
      await reload();
      return names.get(name);
    },
  };
}

/**
 * `watch <run> #name` → the channel id, or the words to answer with: the name was not found, so the person sees the
 * accepted forms (`#name` of a public channel, `<#C…>`, `C…`) and the usage.
 */
export async function resolveWatchChannel(
  names: ChannelNames,
  typed: string,
  locale: Locale,
  logger: Logger,
): Promise<{ ok: true; id: string } | { ok: false; rendered: Pick<Rendered, 'title' | 'lines'> }> {
  const name = typed.replace(/^#/, '');
  try {
    const id = await names.resolve(name);
    if (id) return { ok: true, id };
  } catch (err) {
    logger.warn({ code: toOpsError(err).code }, 'slack channel name lookup failed');
  }
  const error = new OpsError('INPUT.BAD_ARGUMENT', 'unknown channel name', { field: 'channel', usage: USAGE.watch });
  const rendered = renderError(locale, error);
  return {
    ok: false,
    rendered: { title: rendered.title, lines: [t(locale, 'slack.watch.unknownChannel', { name }), ...rendered.lines] },
  };
}
