import { afterEach, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../../../src/fakes/dingtalk-openapi.js';
import { type DingTalkHarness, GROUP, startDingTalkHarness } from '../../support/dingtalk-harness.js';

let h: DingTalkHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const text = (m: FakeMessage | undefined): string => {
  const c = m?.content as { markdown?: { text?: string }; text?: string } | undefined;
  return c?.markdown?.text ?? c?.text ?? '';
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('DingTalk robot commands', () => {
  it('rejects a CodeArts review from a group, answering through the session webhook at the sender', async () => {
    h = await startDingTalkHarness();
    const run = h.demo.huaweiSingle;
    const { session } = h.say(`reject ${run.url} broken build`);
    await h.waitFor(() => h!.openapi.messages.length === 1, 'reply');
    const reply = h.openapi.messages[0]!;
    expect(reply).toMatchObject({ kind: 'webhook', to: session });
    expect(reply.content).toMatchObject({ msgtype: 'markdown', at: { atUserIds: ['alice'] } });
    expect(text(reply)).toContain('@alice');
    expect(text(reply)).toContain('已拒绝');
    expect(text(reply)).toContain('broken build');
    expect(h.cloud.huawei.review(run.runId, run.reviews[0]!.stepRunId).status).not.toBe('RUNNING');
    expect(h.decisionCalls()).toBe(1);
  });

  it('approves a Yunxiao review from a one-to-one chat', async () => {
    h = await startDingTalkHarness();
    const run = h.demo.yunxiao;
    h.say(`approve ${run.url} ship it`, { conversationType: '1', conversationId: 'cidPrivateAlice' });
    await h.waitFor(() => h!.openapi.messages.length === 1, 'reply');
    expect(text(h.openapi.messages[0])).toContain('已批准');
    expect(h.cloud.yunxiao.job(run.runId, run.jobs[0]!.jobId)).toMatchObject({ waiting: false, status: 'SUCCESS' });
  });

  it('answers help without touching the cloud', async () => {
    h = await startDingTalkHarness();
    h.say('help');
    await h.waitFor(() => h!.openapi.messages.length === 1, 'reply');
    expect(text(h.openapi.messages[0])).toContain('opsgate');
    expect(h.cloud.calls).toHaveLength(0);
  });

  it('denies a person without a role: a polite answer and no cloud call', async () => {
    h = await startDingTalkHarness();
    h.say(`reject ${h.demo.huaweiSingle.url} nope`, { staffId: 'mallory' });
    await h.waitFor(() => h!.openapi.messages.length === 1, 'reply');
    expect(text(h.openapi.messages[0])).toContain('review.reject');
    expect(text(h.openapi.messages[0])).toContain('dingtalk:mallory');
    expect(h.cloud.calls).toHaveLength(0);
  });

  it('turns away external users (no staffId) before parsing anything', async () => {
    h = await startDingTalkHarness();
    h.say(`reject ${h.demo.huaweiSingle.url}`, { staffId: '' });
    await h.waitFor(() => h!.openapi.messages.length === 1, 'reply');
    expect(text(h.openapi.messages[0])).toContain('仅本企业成员');
    expect(h.cloud.calls).toHaveLength(0);
  });

  it('drops a duplicate delivery of the same msgId: one cloud call, one reply', async () => {
    h = await startDingTalkHarness();
    const run = h.demo.huaweiSingle;
    const first = h.say(`reject ${run.url} dup`);
    const again = h.gateway.pushRobotMessage(first.data);
    await h.gateway.waitForResponse(again);
    await h.waitFor(() => h!.openapi.messages.length >= 1, 'reply');
    await sleep(200);
    expect(h.openapi.messages).toHaveLength(1);
    expect(h.decisionCalls()).toBe(1);
  });

  it('falls back to the OpenAPI group message when the session webhook has expired', async () => {
    h = await startDingTalkHarness();
    h.say('help', { session: 'expired' });
    await h.waitFor(() => h!.openapi.messages.length === 1, 'reply');
    expect(h.openapi.messages[0]).toMatchObject({ kind: 'group', to: GROUP, msgKey: 'sampleMarkdown' });
    expect(h.openapi.tokenRequests).toBe(1);
  });

  it('falls back when the webhook refuses although the message said it was valid', async () => {
    h = await startDingTalkHarness();
    h.say('help', { session: 'revoked' });
    await h.waitFor(() => h!.openapi.messages.length === 1, 'reply');
    expect(h.openapi.messages[0]).toMatchObject({ kind: 'group', to: GROUP });
  });

  it('falls back to a one-to-one OpenAPI message in a private chat, reusing the cached token', async () => {
    h = await startDingTalkHarness();
    h.say('help', { session: 'expired', conversationType: '1', conversationId: 'cidPrivateAlice' });
    h.say('help', { session: 'expired', conversationType: '1', conversationId: 'cidPrivateAlice' });
    await h.waitFor(() => h!.openapi.messages.length === 2, 'replies');
    expect(h.openapi.messages.map((m) => m.kind)).toEqual(['user', 'user']);
    expect(h.openapi.messages[0]!.to).toEqual(['alice']);
    expect(h.openapi.tokenRequests).toBe(1);
  });

  it('fetches a new access token once when the cached one is refused', async () => {
    h = await startDingTalkHarness();
    h.say('help', { session: 'expired' });
    await h.waitFor(() => h!.openapi.messages.length === 1, 'first reply');
    h.openapi.expireTokens();
    h.say('help', { session: 'expired' });
    await h.waitFor(() => h!.openapi.messages.length === 2, 'second reply');
    expect(h.openapi.tokenRequests).toBe(2);
  });

  it('explains a typo in the command', async () => {
    h = await startDingTalkHarness();
    h.say('rejcet something');
    await h.waitFor(() => h!.openapi.messages.length === 1, 'reply');
    expect(text(h.openapi.messages[0])).toContain('reject');
    expect(h.cloud.calls).toHaveLength(0);
  });
});
