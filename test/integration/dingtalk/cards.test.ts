import { afterEach, describe, expect, it } from 'vitest';
import type { FakeCard, FakeMessage } from '../../../src/fakes/dingtalk-openapi.js';
import { type DingTalkHarness, GROUP, startDingTalkHarness } from '../../support/dingtalk-harness.js';

let h: DingTalkHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const body = (m: FakeMessage | undefined): string => {
  const c = m?.content as { markdown?: { text?: string }; text?: string } | undefined;
  return c?.markdown?.text ?? c?.text ?? '';
};
type Answer = {
  response?: {
    cardData?: { cardParamMap: Record<string, string> };
    userPrivateData?: { cardParamMap: Record<string, string> };
    cardUpdateOptions?: Record<string, boolean>;
  };
};

/** `pending <url>` in the group; resolves with the one delivered card. */
async function pending(x: DingTalkHarness, url: string, staffId = 'alice'): Promise<FakeCard> {
  const before = x.openapi.cards.size;
  x.say(`pending ${url}`, { staffId });
  await x.waitFor(() => x.openapi.cards.size === before + 1, 'card delivered');
  const card = [...x.openapi.cards.values()].at(-1)!;
  // The service records where the card went right after the delivery call returns.
  const attached = async () => (await x.store.approvals.listOpen()).some((a) => a.messages.length > 0);
  await expect.poll(attached, { timeout: 1_000, interval: 5 }).toBe(true);
  return card;
}

async function answerTo(x: DingTalkHarness, messageId: string): Promise<Answer> {
  return (await x.gateway.waitForResponse(messageId)).data as Answer;
}

describe('DingTalk approval cards', () => {
  it('delivers a STREAM card into the group with string parameters and both buttons', async () => {
    h = await startDingTalkHarness();
    const card = await pending(h, h.demo.huaweiSingle.url);
    const [approval] = await h.store.approvals.listOpen();
    expect(card).toMatchObject({
      outTrackId: `opsgate-${approval!.id}`,
      callbackType: 'STREAM',
      cardTemplateId: 'opsgate-approval.schema',
      openSpaceId: `dtv1.card//IM_GROUP.${GROUP}`,
    });
    expect(card.params).toMatchObject({
      title: '人工审核：Release approval',
      status_tag: '待处理',
      actions_open: 'true',
      review_actions: 'true',
      stage_actions: 'false',
      delay_actions: 'false',
      status: 'open',
    });
    expect(card.params.summary).toContain('web-release');
    expect(card.params.summary).toContain('发起人：Alice');
    expect(card.params.summary).toContain('华为云 CodeArts');
    expect(card.params.gate).toMatch(/^等待开始：UTC\+8 \d{2}:\d{2}/);
    expect(card.params.run_url).toContain(h.demo.huaweiSingle.runId);
    expect(card.supportForward).toBe(true);
    expect(Object.values(card.params).every((v) => typeof v === 'string')).toBe(true);
    expect(approval!.messages).toEqual([{ platform: 'dingtalk', channel: GROUP, messageId: card.outTrackId }]);
    // The cards are the answer: no extra text reply.
    await sleep(100);
    expect(h.openapi.messages).toHaveLength(0);
  });

  it('approves by card: "processing" answered at once, then the final card and a follow-up message', async () => {
    h = await startDingTalkHarness();
    const run = h.demo.huaweiSingle;
    const card = await pending(h, run.url);
    h.say('help', { staffId: 'bob', nick: 'Bob' }); // the bot learns Bob's name
    await h.waitFor(() => h!.openapi.messages.length === 1, 'help reply');
    h.cloud.setLatency(150); // the cloud is slow; the click's answer must not wait for it
    const answer = await answerTo(h, h.click(card.outTrackId, 'bob', 'approve'));
    expect(card.updates).toHaveLength(0);
    expect(answer.response?.cardData?.cardParamMap).toEqual({
      status_text: '处理中，操作人 Bob…',
      actions_open: 'false',
      review_actions: 'false',
      stage_actions: 'false',
      delay_actions: 'false',
    });
    expect(answer.response?.cardUpdateOptions).toMatchObject({ updateCardDataByKey: true });
    // The follow-up in the group (the requester may also be told directly, one-to-one).
    const groupFollowUp = () => h!.openapi.messages.find((m) => m.kind === 'group');
    await h.waitFor(() => card.updates.length === 1 && groupFollowUp() !== undefined, 'card updated + follow-up');
    expect(card.params.actions_open).toBe('false');
    expect(card.params.review_actions).toBe('false');
    expect(card.params.status).toBe('approved');
    expect(card.params.status_text).toMatch(/^Bob 于 UTC\+8 \d{2}:\d{2} 批准$/);
    const followUp = groupFollowUp()!;
    expect(followUp).toMatchObject({ kind: 'group', to: GROUP });
    expect(body(followUp)).toContain('已批准');
    expect(h.cloud.huawei.review(run.runId, run.reviews[0]!.stepRunId).status).not.toBe('RUNNING');
    expect(h.decisionCalls()).toBe(1);
  });

  it('rejects by card with the reason typed into the card, on Yunxiao', async () => {
    h = await startDingTalkHarness();
    const run = h.demo.yunxiao;
    const card = await pending(h, run.url);
    expect(card.params.summary).toContain('阿里云云效');
    const answer = await answerTo(h, h.click(card.outTrackId, 'alice', 'reject', 'tests are red'));
    expect(answer.response?.cardData?.cardParamMap.actions_open).toBe('false');
    await h.waitFor(() => card.params.status === 'rejected', 'card rejected');
    expect(card.params.status_text).toMatch(/拒绝：tests are red$/);
    expect(h.cloud.yunxiao.job(run.runId, run.jobs[0]!.jobId).status).toBe('FAIL');
    const [approval] = [...(await h.store.approvals.listOpen())];
    expect(approval).toBeUndefined();
  });

  it('asks for a reject reason privately and takes the clicker’s next message as the reason', async () => {
    h = await startDingTalkHarness();
    const run = h.demo.huaweiSingle;
    const card = await pending(h, run.url);
    const answer = await answerTo(h, h.click(card.outTrackId, 'alice', 'reject'));
    expect(answer.response?.cardData).toBeUndefined();
    expect(answer.response?.userPrivateData?.cardParamMap.private_text).toContain('原因');
    await h.waitFor(() => h!.openapi.messages.some((m) => m.kind === 'user'), 'private question');
    expect(h.openapi.messages.find((m) => m.kind === 'user')!.to).toEqual(['alice']);
    expect(h.decisionCalls()).toBe(0);
    h.say('deploy window closed');
    await h.waitFor(() => card.params.status === 'rejected', 'rejected with the reason');
    expect(card.params.status_text).toContain('deploy window closed');
    expect(h.decisionCalls()).toBe(1);
  });

  it('a reject reason request can be cancelled', async () => {
    h = await startDingTalkHarness();
    const card = await pending(h, h.demo.huaweiSingle.url);
    await answerTo(h, h.click(card.outTrackId, 'alice', 'reject'));
    h.say('取消');
    await h.waitFor(() => h!.openapi.messages.some((m) => body(m).includes('已取消')), 'cancelled');
    expect(h.decisionCalls()).toBe(0);
    expect(card.updates).toHaveLength(0);
  });

  it('denies a clicker without a role: only they are told, the card and the cloud are untouched', async () => {
    h = await startDingTalkHarness();
    const card = await pending(h, h.demo.huaweiSingle.url);
    const callsBefore = h.cloud.calls.length;
    const answer = await answerTo(h, h.click(card.outTrackId, 'mallory', 'approve'));
    expect(answer.response?.cardData).toBeUndefined();
    expect(answer.response?.userPrivateData?.cardParamMap.private_text).toContain('review.approve');
    await sleep(150);
    expect(h.cloud.calls.length).toBe(callsBefore);
    expect(card.updates).toHaveLength(0);
    expect(h.openapi.messages.filter((m) => m.kind === 'group')).toHaveLength(0);
    expect(await h.store.approvals.listOpen()).toHaveLength(1);
  });

  it('answers a stale click (already decided) privately, without a second cloud call', async () => {
    h = await startDingTalkHarness();
    const card = await pending(h, h.demo.huaweiSingle.url);
    await answerTo(h, h.click(card.outTrackId, 'alice', 'approve'));
    await h.waitFor(() => card.params.status === 'approved', 'approved');
    const updates = card.updates.length;
    const answer = await answerTo(h, h.click(card.outTrackId, 'bob', 'reject', 'too late'));
    expect(answer.response?.cardData).toBeUndefined();
    expect(answer.response?.userPrivateData?.cardParamMap.private_text).toContain('已处理');
    await sleep(150);
    expect(h.decisionCalls()).toBe(1);
    expect(card.updates.length).toBe(updates);
  });

  it('answers a click on a card opsgate does not know without any change', async () => {
    h = await startDingTalkHarness();
    const answer = await answerTo(h, h.click('opsgate-00000000-0000-0000-0000-000000000000', 'alice', 'approve'));
    expect(answer.response?.cardData).toBeUndefined();
    expect(answer.response?.userPrivateData?.cardParamMap.private_text).toContain('不存在');
    const foreign = await answerTo(h, h.click('someone-elses-card', 'alice', 'approve'));
    expect(foreign.response).toEqual({});
  });

  it('drops a duplicate delivery of the same click: one decision', async () => {
    h = await startDingTalkHarness();
    const card = await pending(h, h.demo.huaweiSingle.url);
    const first = h.click(card.outTrackId, 'alice', 'approve');
    h.click(card.outTrackId, 'alice', 'approve', undefined, first);
    await h.waitFor(() => (h!.gateway.responses.get(first)?.length ?? 0) === 2, 'both answered');
    const [a, b] = h.gateway.responses.get(first)!;
    expect([a!.data, b!.data]).toContainEqual({ response: {} });
    await h.waitFor(() => card.params.status === 'approved', 'approved');
    await sleep(150);
    expect(h.decisionCalls()).toBe(1);
    expect(h.openapi.messages.filter((m) => m.kind === 'group')).toHaveLength(1);
  });

  it('two people clicking at once: one decision, the card ends decided', async () => {
    h = await startDingTalkHarness();
    const card = await pending(h, h.demo.huaweiSingle.url);
    h.click(card.outTrackId, 'alice', 'approve');
    h.click(card.outTrackId, 'bob', 'reject', 'no');
    await h.waitFor(() => card.params.status === 'approved' || card.params.status === 'rejected', 'decided');
    await sleep(200);
    expect(h.decisionCalls()).toBe(1);
    expect(card.params.actions_open).toBe('false');
  });

  it('delivers a card into a one-to-one robot chat', async () => {
    h = await startDingTalkHarness();
    h.say(`pending ${h.demo.huaweiSingle.url}`, { conversationType: '1', conversationId: 'cidPrivateAlice' });
    await h.waitFor(() => h!.openapi.cards.size === 1, 'card');
    const card = [...h.openapi.cards.values()][0]!;
    expect(card.openSpaceId).toBe('dtv1.card//IM_ROBOT.alice');
    await answerTo(h, h.click(card.outTrackId, 'alice', 'approve'));
    await h.waitFor(() => h!.openapi.messages.some((m) => m.kind === 'user'), 'follow-up in the private chat');
  });
});
