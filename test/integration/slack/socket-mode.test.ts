import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, RELEASES, type SlackHarness, startSlackHarness } from '../../support/slack-harness.js';

/** Envelope payloads carry the same fields as the HTTP bodies, as JSON (https://docs.slack.dev/apis/events-api/using-socket-mode). */
const command = (h: SlackHarness, text: string, responseUrlId: string) => ({
  token: 'fake-verification-token',
  team_id: 'T0FAKE0001',
  team_domain: 'opsgate-fake',
  channel_id: RELEASES,
  channel_name: 'releases',
  user_id: ALICE,
  user_name: 'alice',
  command: '/ops',
  text,
  api_app_id: 'A0FAKEAPP1',
  is_enterprise_install: 'false',
  response_url: h.slack.responseUrl(responseUrlId),
  trigger_id: `1.2.${responseUrlId}`,
});

describe('Socket Mode (SLACK_APP_TOKEN set)', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness({ socketMode: true });
  });
  afterAll(() => h.close());

  it('connects with the app-level token and serves no HTTP listener', async () => {
    await h.slack.socket.connected();
    expect(h.adapter.mode).toBe('socket');
    expect(h.adapter.requestListener).toBeUndefined();
    const open = h.slack.calls.find((c) => c.method === 'apps.connections.open');
    expect(open?.auth).toBe('ok');
  });

  it('acks a slash command envelope, then answers through the response_url', async () => {
    const ack = await h.slack.socket.deliver('slash_commands', command(h, 'help', 'socket-help'));
    expect(ack.envelope_id).toMatch(/^[0-9a-f]+$/);
    const reply = await h.slack.waitFor((c) => c.method === 'response_url' && c.responseUrlId === 'socket-help');
    expect(reply.body.response_type).toBe('ephemeral');
    expect(String(reply.body.text)).toContain('opsgate');
  });

  it('decides through a button click delivered as an interactive envelope', async () => {
    const run = h.cloud.huawei.addRun({ reviews: ['Release approval'] });
    await h.slack.socket.deliver('slash_commands', command(h, `pending ${run.url}`, 'socket-pending'));
    const { ts, approvalId } = await h.approvalPosted(RELEASES);
    const before = h.decisions().length;
    const click = {
      type: 'block_actions',
      user: { id: ALICE, username: 'alice', name: 'alice', team_id: 'T0FAKE0001' },
      api_app_id: 'A0FAKEAPP1',
      token: 'fake-verification-token',
      container: { type: 'message', message_ts: ts, channel_id: RELEASES, is_ephemeral: false },
      trigger_id: '1.2.click',
      team: { id: 'T0FAKE0001', domain: 'opsgate-fake' },
      channel: { id: RELEASES, name: 'releases' },
      message: { type: 'message', ts, text: 'Manual review waiting', blocks: [] },
      response_url: h.slack.responseUrl('socket-click'),
      actions: [
        {
          action_id: 'opsgate_approve',
          block_id: 'opsgate_decision',
          type: 'button',
          value: approvalId,
          action_ts: '1700000001.000001',
          text: { type: 'plain_text', text: 'Approve' },
        },
      ],
    };
    await h.slack.socket.deliver('interactive', click);
    await h.slack.waitFor((c) => c.method === 'chat.postMessage' && c.body.thread_ts === ts);
    expect(
      h
        .decisions()
        .slice(before)
        .map((c) => c.action),
    ).toEqual(['pass']);
  });
});
