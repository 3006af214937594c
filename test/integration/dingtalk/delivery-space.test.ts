import { afterEach, describe, expect, it } from 'vitest';
import type { FakeCard, FakeMessage } from '../../../src/fakes/dingtalk-openapi.js';
import {
  type DingTalkHarness,
  LEADS_GROUP,
  OTHER_GROUP,
  startDingTalkHarness,
} from '../../support/dingtalk-harness.js';

let h: DingTalkHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const text = (m: FakeMessage | undefined): string => {
  const c = m?.content as { markdown?: { text?: string }; text?: string } | undefined;
  return c?.markdown?.text ?? c?.text ?? '';
};
type Answer = { response?: { cardData?: unknown; userPrivateData?: { cardParamMap: Record<string, string> } } };

async function pendingIn(x: DingTalkHarness, url: string, group: string): Promise<FakeCard> {
  const before = x.openapi.cards.size;
  x.say(`pending ${url}`, { conversationId: group });
  await x.waitFor(() => x.openapi.cards.size === before + 1, 'card delivered');
  const card = [...x.openapi.cards.values()].at(-1)!;
  const attached = async () =>
    (await x.store.approvals.listOpen()).some((a) => a.messages.some((m) => m.messageId === card.outTrackId));
  for (let i = 0; i < 200 && !(await attached()); i++) await sleep(5);
  return card;
}

describe('DingTalk card delivery is checked', () => {
  it('a card that does not reach its group is an error told to the asker, and no message is recorded there', async () => {
    h = await startDingTalkHarness();
    // The robot is not in this group: HTTP 200, deliverResults[0].success false (CreateAndDeliverResponseBody.cs).
    h.openapi.failDelivery(
      OTHER_GROUP,
      'robot not in group, see https://open.dingtalk.com/x?token=abcdefghijklmnopqrstuvwxyz012345',
    );
    const { session } = h.say(`pending ${h.demo.huaweiSingle.url}`, { conversationId: OTHER_GROUP });
    await h.waitFor(() => h!.openapi.messages.length === 1, 'error reply');
    const reply = h.openapi.messages[0]!;
    expect(reply).toMatchObject({ kind: 'webhook', to: session });
    expect(text(reply)).toContain('卡片未送达该会话');
    expect(text(reply)).toContain('robot not in group');
    // DingTalk's words are scrubbed: no URL, no long opaque string.
    expect(text(reply)).not.toContain('https://open.dingtalk.com');
    expect(text(reply)).not.toContain('abcdefghijklmnopqrstuvwxyz012345');
    expect(h.openapi.cards.size).toBe(0);
    const open = await h.store.approvals.listOpen();
    expect(open.flatMap((a) => a.messages)).toEqual([]);
    expect(h.lines.some((l) => l.text.includes('abcdefghijklmnopqrstuvwxyz012345'))).toBe(false);
  });

  it('also when the body says success: true but the space failed', async () => {
    h = await startDingTalkHarness();
    h.openapi.failDelivery(OTHER_GROUP, 'system error', true);
    h.say(`pending ${h.demo.huaweiSingle.url}`, { conversationId: OTHER_GROUP });
    await h.waitFor(() => h!.openapi.messages.length === 1, 'error reply');
    expect(text(h.openapi.messages[0])).toContain('system error');
    expect((await h.store.approvals.listOpen()).flatMap((a) => a.messages)).toEqual([]);
  });
});

describe('a DingTalk click is authorized where it happened', () => {
  it('a group member decides through the group’s binding when clicking in that group', async () => {
    h = await startDingTalkHarness();
    const card = await pendingIn(h, h.demo.huaweiSingle.url, LEADS_GROUP);
    const id = h.click(card.outTrackId, 'carol', 'approve', undefined, undefined, {
      type: 'IM_GROUP',
      id: LEADS_GROUP,
    });
    const answer = (await h.gateway.waitForResponse(id)).data as Answer;
    expect(answer.response?.cardData).toBeDefined();
    await h.waitFor(() => card.params.status === 'approved', 'approved');
    expect(h.decisionCalls()).toBe(1);
  });

  it('the same card forwarded into another chat does not carry the group’s rights', async () => {
    h = await startDingTalkHarness();
    const card = await pendingIn(h, h.demo.huaweiSingle.url, LEADS_GROUP);
    for (const space of [
      { type: 'IM_GROUP', id: OTHER_GROUP },
      { type: 'IM_ROBOT', id: 'carol' },
      { type: '', id: '' },
    ]) {
      const id = h.click(card.outTrackId, 'carol', 'approve', undefined, undefined, space);
      const answer = (await h.gateway.waitForResponse(id)).data as Answer;
      expect(answer.response?.cardData).toBeUndefined();
      expect(answer.response?.userPrivateData?.cardParamMap.private_text).toContain('review.approve');
    }
    await sleep(150);
    expect(h.decisionCalls()).toBe(0);
    expect(card.updates).toHaveLength(0);
    // alice's own binding works from anywhere.
    h.click(card.outTrackId, 'alice', 'approve', undefined, undefined, { type: 'IM_GROUP', id: OTHER_GROUP });
    await h.waitFor(() => card.params.status === 'approved', 'approved by alice');
  });
});
