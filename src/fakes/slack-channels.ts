/**
 * Channel membership, channel names and App Home views for the fake Slack Web API (slack-api.ts).
 *
 * Sources, per method (docs.slack.dev/reference/methods/<method>):
 * - `chat.postEphemeral` answers `{ok:false,error:"not_in_channel"}` (HTTP 200, like every Web API error) when the
 *   app is not a member ("Cannot post user messages to a channel they are not in").
 * - `chat.postMessage`: with the `chat:write.public` scope a bot posts in public channels it has not joined
 *   (docs.slack.dev/reference/scopes/chat.write.public); without it, `not_in_channel`. A private channel the bot is not
 *   in is invisible to it: `channel_not_found`. A user ID as `channel` posts in the app's DM with that person (the
 *   response names the DM channel, `D…`).
 * - `chat.update`: its error list names no membership error; real-shapes.md (Slack) records that updates "may" fail with
 *   `not_in_channel` in channels the bot has not joined. Not settled by a document, so configurable
 *   (`updateNeedsMembership`, default true: the stricter behaviour).
 * - `conversations.join` (scope `channels:join`): the channel object with `is_member: true`, plus
 *   `warning: "already_in_channel"` and `response_metadata.warnings` when it already was; `is_archived` for an archived
 *   channel; `method_not_supported_for_channel_type` for a private one; `missing_scope` without the scope.
 * - `conversations.list` (scope `channels:read`): `types` (default `public_channel`), `exclude_archived`, `limit`
 *   (default 100, at most 1000, `invalid_limit` otherwise), `cursor` from `response_metadata.next_cursor` (empty string
 *   on the last page; `invalid_cursor` for one it did not issue).
 * - `views.publish`: `user_id` and `view` required (`invalid_arguments`, `response_metadata.messages`), a home view at
 *   most 100 blocks (docs.slack.dev/reference/views/home-tab-views), `not_enabled` when the Home tab is off; answers
 *   the stored view with `id`, `hash`, `state`, `root_view_id`, `app_id`, `bot_id`.
 * Channels not declared with addChannel() behave as public channels the bot is a member of, so tests that do not care
 * about membership need no set-up.
 */
export interface FakeChannel {
  id: string;
  name: string;
  isPrivate?: boolean;
  isArchived?: boolean;
  /** Whether the bot is a member (default false for declared channels). */
  botMember?: boolean;
}

export interface FakeChannelOptions {
  /** Bot scopes granted to the fake app (default: commands, chat:write, chat:write.public, channels:join, channels:read). */
  scopes?: string[];
  updateNeedsMembership?: boolean;
  homeEnabled?: boolean;
}

export const DEFAULT_FAKE_SCOPES = ['commands', 'chat:write', 'chat:write.public', 'channels:join', 'channels:read'];

type Answer = Record<string, unknown>;

export function createFakeChannels(options: FakeChannelOptions = {}) {
  const channels = new Map<string, FakeChannel>();
  const homes = new Map<string, Answer>();
  let scopes = new Set(options.scopes ?? DEFAULT_FAKE_SCOPES);
  let viewSeq = 0;
  const missingScope = (needed: string): Answer => ({
    ok: false,
    error: 'missing_scope',
    needed,
    provided: [...scopes].join(','),
  });
  const isMember = (id: string) => channels.get(id)?.botMember ?? !channels.has(id);
  const channelObject = (c: FakeChannel) => ({
    id: c.id,
    name: c.name,
    name_normalized: c.name,
    is_channel: !c.isPrivate,
    is_group: false,
    is_im: false,
    is_mpim: false,
    is_private: Boolean(c.isPrivate),
    is_archived: Boolean(c.isArchived),
    is_member: isMember(c.id),
    created: 1449252889,
  });

  /** Membership checks of the chat methods: an error answer, or undefined to let the method proceed. */
  function check(method: string, channel: string): Answer | undefined {
    const declared = channels.get(channel);
    if (!method.startsWith('chat.') || !declared || isMember(channel)) return undefined;
    if (declared.isPrivate) return { ok: false, error: 'channel_not_found' };
    if (method === 'chat.postMessage') return scopes.has('chat:write.public') ? undefined : notIn();
    if (method === 'chat.postEphemeral') return notIn();
    if (method === 'chat.update' && (options.updateNeedsMembership ?? true)) return notIn();
    return undefined;
  }

  function join(channel: unknown): Answer {
    if (!scopes.has('channels:join')) return missingScope('channels:join');
    if (typeof channel !== 'string' || !channel) return { ok: false, error: 'channel_not_found' };
    const c = channels.get(channel) ?? { id: channel, name: channel.toLowerCase(), botMember: true };
    if (c.isPrivate) return { ok: false, error: 'method_not_supported_for_channel_type' };
    if (c.isArchived) return { ok: false, error: 'is_archived' };
    const already = isMember(c.id);
    if (channels.has(c.id)) c.botMember = true;
    return {
      ok: true,
      channel: channelObject(c),
      ...(already ? { warning: 'already_in_channel', response_metadata: { warnings: ['already_in_channel'] } } : {}),
    };
  }

  function list(body: Answer): Answer {
    if (!scopes.has('channels:read')) return missingScope('channels:read');
    const limit = body.limit === undefined ? 100 : Number(body.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return { ok: false, error: 'invalid_limit' };
    const types = String(body.types ?? 'public_channel').split(',');
    const all = [...channels.values()].filter(
      (c) =>
        types.includes(c.isPrivate ? 'private_channel' : 'public_channel') &&
        !(String(body.exclude_archived) === 'true' && c.isArchived) &&
        (!c.isPrivate || isMember(c.id)),
    );
    let start = 0;
    if (typeof body.cursor === 'string' && body.cursor) {
      const m = /^dGVhbTpD(\d+)$/.exec(body.cursor);
      if (!m) return { ok: false, error: 'invalid_cursor' };
      start = Number(m[1]);
    }
    const page = all.slice(start, start + limit);
    const next = start + limit < all.length ? `dGVhbTpD${start + limit}` : '';
    return { ok: true, channels: page.map(channelObject), response_metadata: { next_cursor: next } };
  }

  function publish(body: Answer): Answer {
    const user = body.user_id;
    const view = body.view as { type?: unknown; blocks?: unknown } | undefined;
    if (typeof user !== 'string' || !/^[UW][A-Z0-9]{1,20}$/.test(user)) {
      return { ok: false, error: 'invalid_arguments', response_metadata: { messages: ['invalid `user_id`'] } };
    }
    if (typeof view !== 'object' || view === null || view.type !== 'home' || !Array.isArray(view.blocks)) {
      return { ok: false, error: 'invalid_arguments', response_metadata: { messages: ['invalid `view`'] } };
    }
    if (view.blocks.length > 100) {
      return { ok: false, error: 'invalid_arguments', response_metadata: { messages: ['must be 100 blocks or less'] } };
    }
    if (options.homeEnabled === false) return { ok: false, error: 'not_enabled' };
    const id = homes.get(user)?.id ?? `VHOME${String(++viewSeq).padStart(5, '0')}`;
    const stored = {
      id,
      team_id: 'T0FAKE0001',
      type: 'home',
      close: null,
      submit: null,
      blocks: view.blocks,
      private_metadata: (view as Answer).private_metadata ?? '',
      callback_id: (view as Answer).callback_id ?? '',
      state: { values: {} },
      hash: `${Math.floor(Date.now() / 1000)}.${viewSeq}`,
      clear_on_close: false,
      notify_on_close: false,
      root_view_id: id,
      previous_view_id: null,
      app_id: 'A0FAKEAPP1',
      external_id: '',
      bot_id: 'B0FAKEBOT1',
    };
    homes.set(user, stored);
    return { ok: true, view: stored };
  }

  return {
    check,
    join,
    list,
    publish,
    addChannel(channel: FakeChannel) {
      channels.set(channel.id, { botMember: false, ...channel });
    },
    isMember,
    homeView: (user: string) => homes.get(user) as { blocks: unknown[] } | undefined,
    setScopes(next: string[]) {
      scopes = new Set(next);
    },
    channelObject: (id: string) => channelObject(channels.get(id) ?? { id, name: 'releases', botMember: true }),
  };
}

const notIn = (): Answer => ({ ok: false, error: 'not_in_channel' });
