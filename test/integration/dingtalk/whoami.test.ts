import { afterEach, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../../../src/fakes/dingtalk-openapi.js';
import { type DingTalkHarness, LEADS_GROUP, startDingTalkHarness } from '../../support/dingtalk-harness.js';

let h: DingTalkHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const text = (m: FakeMessage | undefined): string => {
  const c = m?.content as { markdown?: { text?: string }; text?: string } | undefined;
  return c?.markdown?.text ?? c?.text ?? '';
};

describe('whoami on DingTalk', () => {
  it('in a group: only the asker is told, with the person’s and the group’s subjects and what they grant there', async () => {
    h = await startDingTalkHarness();
    h.say('whoami', { staffId: 'carol', conversationId: LEADS_GROUP });
    await h.waitFor(() => h!.openapi.messages.length === 1, 'answer');
    const answer = h.openapi.messages[0]!;
    // A one-to-one robot message, not a reply in the group.
    expect(answer).toMatchObject({ kind: 'user', to: ['carol'] });
    expect(text(answer)).toContain('dingtalk:carol');
    expect(text(answer)).toContain(`dingtalk-group:${LEADS_GROUP}`);
    expect(text(answer)).toContain('review.approve');
    expect(h.cloud.calls).toHaveLength(0);
  });

  it('in a one-to-one chat: the person only, no group', async () => {
    h = await startDingTalkHarness();
    h.say('whoami', { staffId: 'mallory', conversationType: '1', conversationId: 'cidPrivateMallory' });
    await h.waitFor(() => h!.openapi.messages.length === 1, 'answer');
    expect(text(h.openapi.messages[0])).toContain('dingtalk:mallory');
    expect(text(h.openapi.messages[0])).not.toContain('dingtalk-group:');
  });
});

describe('inbox on DingTalk', () => {
  it('answers the asker one-to-one with the list, and each waiting approval comes as its card with buttons', async () => {
    h = await startDingTalkHarness();
    // An approval opened in the leads group (alice may decide it there and alone).
    h.say(`pending ${h.demo.huaweiSingle.url}`, { staffId: 'alice' });
    await h.waitFor(() => h!.openapi.cards.size === 1, 'card in the group');
    h.say('inbox', { staffId: 'alice', conversationType: '1', conversationId: 'cidPrivateAlice' });
    await h.waitFor(() => h!.openapi.cards.size === 2, 'card sent to alice one-to-one');
    const own = [...h.openapi.cards.values()].at(-1)!;
    // The card went to alice's one-to-one chat with the robot, with its buttons open.
    expect(own.openSpaceId).toContain('IM_ROBOT');
    expect(own.openSpaceId).toContain('alice');
    expect(own.params.actions_open).toBe('true');
    // The card is the approval's own message: its click is bound to it like the group's.
    const approval = (await h.store.approvals.listOpen())[0]!;
    expect(approval.messages.map((m) => m.messageId)).toContain(own.outTrackId);
  });
});
