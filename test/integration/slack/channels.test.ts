import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSlackCall } from '../../../src/fakes/slack-api.js';
import { DEFAULT_FAKE_SCOPES } from '../../../src/fakes/slack-channels.js';
import { ALICE, MALLORY, type SlackHarness, startSlackHarness } from '../../support/slack-harness.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness();
});
afterAll(() => h.close());

const answer = (id: string) => h.slack.waitFor((c) => c.method === 'response_url' && c.responseUrlId === id);
const since = (mark: number) => (c: FakeSlackCall) => h.slack.calls.indexOf(c) >= mark;

async function approvalIn(channel: string) {
  const run = h.cloud.huawei.addRun({ reviews: ['Release approval'] });
  const mark = h.slack.calls.length;
  await h.command(`pending ${run.url}`, { user: ALICE, channel });
  return h.approvalPosted(channel, mark);
}

describe('channels the bot has not joined', () => {
  it('posts through chat:write.public, and joins the channel when an ephemeral note answers not_in_channel', async () => {
    h.slack.addChannel({ id: 'CPUBLIC1', name: 'public-one' });
    const { ts, approvalId } = await approvalIn('CPUBLIC1');
    expect(h.slack.isMember('CPUBLIC1')).toBe(false);
    const mark = h.slack.calls.length;
    await h.click('approve', { approvalId, channel: 'CPUBLIC1', messageTs: ts }, { user: MALLORY });
    const note = await h.slack.waitFor(
      (c) => c.method === 'chat.postEphemeral' && c.body.user === MALLORY && c.response?.ok === true && since(mark)(c),
    );
    const calls = h.slack.calls.slice(mark, h.slack.calls.indexOf(note) + 1).map((c) => [c.method, c.response?.error]);
    expect(calls).toEqual([
      ['chat.postEphemeral', 'not_in_channel'],
      ['conversations.join', undefined],
      ['chat.postEphemeral', undefined],
    ]);
    expect(String(note.body.text)).toContain('You are not allowed to review.approve');
    expect(h.slack.isMember('CPUBLIC1')).toBe(true);
  });

  it('tells the person in words, in their DM with the bot, when it cannot join (scope removed)', async () => {
    h.slack.addChannel({ id: 'CPUBLIC2', name: 'public-two' });
    const { ts, approvalId } = await approvalIn('CPUBLIC2');
    h.slack.setScopes(DEFAULT_FAKE_SCOPES.filter((s) => s !== 'channels:join'));
    try {
      const mark = h.slack.calls.length;
      await h.click('approve', { approvalId, channel: 'CPUBLIC2', messageTs: ts }, { user: MALLORY });
      const dm = await h.slack.waitFor(
        (c) => c.method === 'chat.postMessage' && c.body.channel === MALLORY && since(mark)(c),
      );
      expect(dm.response?.channel).toBe('DMALLORY');
      expect(String(dm.body.text)).toContain('/invite @opsgate');
      expect(String(dm.body.text)).not.toContain('not_in_channel');
      const join = h.slack.calls.find((c) => c.method === 'conversations.join' && since(mark)(c));
      expect(join?.response).toMatchObject({ ok: false, error: 'missing_scope', needed: 'channels:join' });
    } finally {
      h.slack.setScopes(DEFAULT_FAKE_SCOPES);
    }
  });
});

describe('posting without chat:write.public', () => {
  it('joins the public channel when chat.postMessage answers not_in_channel, then posts the approval', async () => {
    h.slack.addChannel({ id: 'CPUBLIC3', name: 'public-three' });
    h.slack.setScopes(DEFAULT_FAKE_SCOPES.filter((s) => s !== 'chat:write.public'));
    try {
      const mark = h.slack.calls.length;
      await approvalIn('CPUBLIC3');
      const methods = h.slack.calls
        .slice(mark)
        .map((c) => `${c.method}${c.response?.error ? `:${c.response.error}` : ''}`);
      expect(methods).toEqual(
        expect.arrayContaining(['chat.postMessage:not_in_channel', 'conversations.join', 'chat.postMessage']),
      );
      expect(h.slack.isMember('CPUBLIC3')).toBe(true);
    } finally {
      h.slack.setScopes(DEFAULT_FAKE_SCOPES);
    }
  });
});

describe('watch <run> #channel', () => {
  it('resolves a #name through conversations.list, page by page, and caches it', async () => {
    for (let i = 0; i < 250; i++)
      h.slack.addChannel({ id: `CTEAM${String(i).padStart(4, '0')}`, name: `team-${i}`, botMember: true });
    h.slack.addChannel({ id: 'CDEPLOYS1', name: 'deploys', botMember: true });
    const run = h.cloud.huawei.addRun({ reviews: ['Release approval'] });
    const mark = h.slack.calls.length;
    const res = await h.command(`watch ${run.url} #deploys`);
    expect(String((await answer(res.responseUrlId)).body.text)).toContain('Watching');
    const lists = h.slack.calls.filter((c) => c.method === 'conversations.list' && since(mark)(c));
    expect(lists.map((c) => c.body.cursor ?? null)).toEqual([null, expect.any(String)]);
    expect(lists.every((c) => String(c.body.limit) === '200' && c.body.types === 'public_channel')).toBe(true);
    await h.approvalPosted('CDEPLOYS1', mark);

    const again = h.slack.calls.length;
    const second = await h.command(`watch ${h.cloud.huawei.addRun({ reviews: ['R'] }).url} #deploys`);
    await answer(second.responseUrlId);
    expect(h.slack.calls.filter((c) => c.method === 'conversations.list' && since(again)(c))).toHaveLength(0);
  });

  it('answers an unknown #name with the accepted forms, without paging the workspace again', async () => {
    const run = h.cloud.huawei.addRun({ reviews: ['Release approval'] });
    const mark = h.slack.calls.length;
    const res = await h.command(`watch ${run.url} #no-such-channel`);
    const reply = await answer(res.responseUrlId);
    expect(reply.body.response_type).toBe('ephemeral');
    const text = String(reply.body.text);
    expect(text).toContain('I cannot find a channel named #no-such-channel');
    // The fallback text is escaped for mrkdwn (Slack parses it for mentions and links).
    expect(text).toContain('Usage: watch &lt;run-url | ids&gt; [#channel | channel-id]');
    expect(h.slack.calls.filter((c) => c.method === 'conversations.list' && since(mark)(c))).toHaveLength(0);
  });

  it('accepts a channel mention <#C…|name> as Slack escapes it', async () => {
    const run = h.cloud.huawei.addRun({ reviews: ['Release approval'] });
    const mark = h.slack.calls.length;
    const res = await h.command(`watch ${run.url} <#CDEPLOYS1|deploys>`);
    expect(String((await answer(res.responseUrlId)).body.text)).toContain('Watching');
    await h.approvalPosted('CDEPLOYS1', mark);
  });
});
