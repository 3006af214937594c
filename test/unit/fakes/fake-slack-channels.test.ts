import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlackApi, startFakeSlackApi } from '../../../src/fakes/slack-api.js';

let slack: FakeSlackApi;
beforeAll(async () => {
  slack = await startFakeSlackApi();
  slack.addChannel({ id: 'CPUB', name: 'pub' });
  slack.addChannel({ id: 'CPRIV', name: 'priv', isPrivate: true });
  slack.addChannel({ id: 'COLD', name: 'old', isArchived: true });
  for (let i = 0; i < 5; i++) slack.addChannel({ id: `CN${i}`, name: `n${i}`, botMember: true });
});
afterAll(() => slack.close());

/** A Web API call the way @slack/web-api makes it: form-encoded, bearer token. */
async function call(method: string, args: Record<string, string>) {
  const res = await fetch(`${slack.apiUrl}${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${slack.botToken}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(args).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('fake Slack Web API: membership, join, list, views.publish', () => {
  it('answers not_in_channel with HTTP 200 and ok:false for an ephemeral note where the bot is not a member', async () => {
    expect(await call('chat.postEphemeral', { channel: 'CPUB', user: 'U1', text: 'x' })).toEqual({
      status: 200,
      body: { ok: false, error: 'not_in_channel' },
    });
    expect((await call('chat.postMessage', { channel: 'CPUB', text: 'x' })).body.ok).toBe(true);
    expect((await call('chat.postMessage', { channel: 'CPRIV', text: 'x' })).body).toEqual({
      ok: false,
      error: 'channel_not_found',
    });
  });

  it('joins a public channel once, warns already_in_channel after, and refuses private or archived ones', async () => {
    const first = await call('conversations.join', { channel: 'CPUB' });
    expect(first.body).toMatchObject({ ok: true, channel: { id: 'CPUB', is_member: true, is_private: false } });
    expect(first.body.warning).toBeUndefined();
    expect((await call('conversations.join', { channel: 'CPUB' })).body).toMatchObject({
      warning: 'already_in_channel',
      response_metadata: { warnings: ['already_in_channel'] },
    });
    expect((await call('chat.postEphemeral', { channel: 'CPUB', user: 'U1', text: 'x' })).body.ok).toBe(true);
    expect((await call('conversations.join', { channel: 'CPRIV' })).body.error).toBe(
      'method_not_supported_for_channel_type',
    );
    expect((await call('conversations.join', { channel: 'COLD' })).body.error).toBe('is_archived');
  });

  it('pages conversations.list with next_cursor and validates limit and cursor', async () => {
    const first = await call('conversations.list', { limit: '3', exclude_archived: 'true' });
    const cursor = (first.body.response_metadata as { next_cursor: string }).next_cursor;
    expect(cursor).not.toBe('');
    const second = await call('conversations.list', { limit: '3', exclude_archived: 'true', cursor });
    const names = [
      ...(first.body.channels as Array<{ name: string }>),
      ...(second.body.channels as Array<{ name: string }>),
    ];
    expect(names.map((c) => c.name)).toEqual(['pub', 'n0', 'n1', 'n2', 'n3', 'n4']);
    expect((second.body.response_metadata as { next_cursor: string }).next_cursor).toBe('');
    expect((await call('conversations.list', { limit: '1001' })).body.error).toBe('invalid_limit');
    expect((await call('conversations.list', { cursor: 'bogus' })).body.error).toBe('invalid_cursor');
  });

  it('stores a published home view per user and refuses a bad user_id or a non-home view', async () => {
    const view = JSON.stringify({ type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }] });
    const ok = await call('views.publish', { user_id: 'U0AAA', view });
    expect(ok.body).toMatchObject({ ok: true, view: { type: 'home', root_view_id: expect.any(String) } });
    expect(slack.homeView('U0AAA')?.blocks).toHaveLength(1);
    expect((await call('views.publish', { user_id: 'nobody', view })).body).toMatchObject({
      ok: false,
      error: 'invalid_arguments',
    });
    const modal = JSON.stringify({ type: 'modal', blocks: [] });
    expect((await call('views.publish', { user_id: 'U0AAA', view: modal })).body.error).toBe('invalid_arguments');
  });
});
