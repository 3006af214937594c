import { randomUUID } from 'node:crypto';
import { TOPIC_CARD, TOPIC_ROBOT } from 'dingtalk-stream';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  BENCH_DINGTALK_GROUP,
  BENCH_DINGTALK_USER,
  BENCH_POLICY,
  BENCH_SIGNING_SECRET,
  BENCH_SLACK_USER,
} from '../../../bench/lib/bot-env.js';
import { pushCardClick, pushRobotText } from '../../../bench/lib/dingtalk-load.js';
import { approveClick, slashCommand, trackSlack } from '../../../bench/lib/slack-load.js';
import { commandText, parseCardClick, parseRobotMessage } from '../../../src/adapters/dingtalk/frames.js';
import { authorize, parsePolicy } from '../../../src/core/authz.js';
import { type FakeDingTalkGateway, startFakeDingTalkGateway } from '../../../src/fakes/dingtalk-gateway.js';
import { type FakeSlackApi, startFakeSlackApi } from '../../../src/fakes/slack-api.js';
import { slackSignature } from '../../../src/fakes/slack-signing.js';

let slack: FakeSlackApi | undefined;
let gateway: FakeDingTalkGateway | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await slack?.close();
  await gateway?.close();
  slack = undefined;
  gateway = undefined;
});

async function api(method: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await fetch(`${slack?.apiUrl}${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${slack?.botToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as Record<string, unknown>;
}

describe('bench Slack load', () => {
  it('signs slash commands and clicks with the benchmark secret, in the shapes the bot reads', () => {
    const responseUrl = (id: string) => `http://127.0.0.1:1/response_url/${id}`;
    const command = slashCommand({ responseUrl }, 'pending https://example.test/run');
    const ts = command.headers['x-slack-request-timestamp'] ?? '';
    expect(command.headers['x-slack-signature']).toBe(slackSignature(BENCH_SIGNING_SECRET, ts, command.body));
    const form = new URLSearchParams(command.body);
    expect([form.get('command'), form.get('text'), form.get('user_id')]).toEqual([
      '/ops',
      'pending https://example.test/run',
      BENCH_SLACK_USER,
    ]);
    const target = { approvalId: randomUUID(), channel: 'CREL', ts: '1700000000.000100' };
    const click = approveClick({ responseUrl }, target);
    const payload = JSON.parse(new URLSearchParams(click.body).get('payload') ?? '{}');
    expect(payload.actions[0]).toMatchObject({ action_id: 'opsgate_approve', value: target.approvalId });
    expect(payload.container).toMatchObject({ channel_id: 'CREL', message_ts: target.ts });
    // Two clicks on one approval are two clicks (a new action_ts each), not a redelivery.
    const again = JSON.parse(new URLSearchParams(approveClick({ responseUrl }, target).body).get('payload') ?? '{}');
    expect(again.actions[0].action_ts).not.toBe(payload.actions[0].action_ts);
  });

  it('trackSlack collects posted approvals and tells processing from final updates', async () => {
    slack = await startFakeSlackApi();
    const tracker = trackSlack(slack);
    const updates: string[] = [];
    tracker.onUpdate = (kind, key) => void updates.push(`${kind} ${key}`);
    const blocks = [{ type: 'actions', elements: [{ type: 'button', value: 'approval-1' }] }];
    const posted = await api('chat.postMessage', { channel: 'CREL', text: 'Manual review waiting', blocks });
    await api('chat.postMessage', { channel: 'CREL', thread_ts: posted.ts, text: 'details' });
    await api('chat.update', { channel: 'CREL', ts: posted.ts, text: 'Manual review waiting: x · Processing, by @a…' });
    await api('chat.update', {
      channel: 'CREL',
      ts: posted.ts,
      text: 'Manual review waiting: x · Approved by @a at 1',
    });
    await fetch(slack.responseUrl('r1'), { method: 'POST', body: '{}' });
    expect(tracker.approvals).toEqual([{ approvalId: 'approval-1', channel: 'CREL', ts: posted.ts }]);
    expect(tracker.counts).toEqual({ responseUrl: 1, processing: 1, final: 1, threadReply: 1, ephemeral: 0 });
    expect(updates).toEqual([`processing CREL ${posted.ts}`, `final CREL ${posted.ts}`]);
    tracker.forget();
    expect(slack.calls.length).toBe(0);
  });

  it('the benchmark policy lets the benchmark users decide reviews', () => {
    const policy = parsePolicy(BENCH_POLICY);
    const target = { cloud: 'huawei' as const, projectId: 'p1', pipelineId: 'pl1', runId: 'r1' };
    for (const subject of [`slack:${BENCH_SLACK_USER}`, `dingtalk:${BENCH_DINGTALK_USER}`, 'cli:bench']) {
      expect(authorize(policy, [subject], { op: 'review.approve', target }).allowed).toBe(true);
    }
    expect(authorize(policy, ['slack:USOMEONE'], { op: 'review.approve', target }).allowed).toBe(false);
  });
});

describe('bench DingTalk load', () => {
  it('pushes robot text and card clicks the adapter parses', async () => {
    gateway = await startFakeDingTalkGateway();
    const open = await fetch(gateway.openUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ...gateway.credentials,
        subscriptions: [
          { type: 'CALLBACK', topic: TOPIC_ROBOT },
          { type: 'CALLBACK', topic: TOPIC_CARD },
        ],
      }),
    });
    const { endpoint, ticket } = (await open.json()) as { endpoint: string; ticket: string };
    const ws = new WebSocket(`${endpoint}?ticket=${ticket}`);
    sockets.push(ws);
    const frames: Array<{ headers: { topic: string }; data: string }> = [];
    ws.on('message', (raw) => frames.push(JSON.parse(raw.toString())));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    await gateway.waitForConnection();
    pushRobotText(gateway, 'pending https://example.test/run', { url: 'http://127.0.0.1:1/hook', expiredTime: 1 });
    pushCardClick(gateway, 'opsgate-approval-1', 'approve');
    await expect.poll(() => frames.length, { timeout: 2_500, interval: 5 }).toBeGreaterThanOrEqual(2);
    const [robot, card] = frames;
    expect(robot?.headers.topic).toBe(TOPIC_ROBOT);
    const message = parseRobotMessage(robot?.data ?? '');
    expect(message?.conversationId).toBe(BENCH_DINGTALK_GROUP);
    expect(message && commandText(message)).toBe('pending https://example.test/run');
    expect(card?.headers.topic).toBe(TOPIC_CARD);
    expect(parseCardClick(card?.data ?? '')).toEqual({
      outTrackId: 'opsgate-approval-1',
      userId: BENCH_DINGTALK_USER,
      space: { type: 'IM_GROUP', id: BENCH_DINGTALK_GROUP },
      action: 'approve',
    });
  });
});
