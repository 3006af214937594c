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
