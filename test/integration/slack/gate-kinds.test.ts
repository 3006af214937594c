import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSlackCall } from '../../../src/fakes/slack-api.js';
import type { GateKind } from '../../../src/core/ports.js';
import { buttonClickBody } from '../../../src/fakes/slack-payloads.js';
import { fullApproval } from '../../support/approval-fixtures.js';
import { ALICE, RELEASES, type SlackHarness, startSlackHarness } from '../../support/slack-harness.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness();
});
afterAll(() => h.close());

const since = (mark: number) => (c: FakeSlackCall) => h.slack.calls.indexOf(c) >= mark;
type Element = { action_id?: string; text?: { text: string } };

/** An approval of a given gate kind, stored and posted the way the approval service does it. */
async function posted(kind: GateKind, id: string) {
  const approval = { ...fullApproval(), id, createdAt: Date.now(), expiresAt: Date.now() + 3_600_000 };
  approval.review = { ...approval.review, kind };
  await h.store.approvals.create(approval);
  const message = await h.adapter.poster.post(approval, RELEASES);
  await h.store.approvals.update({ ...approval, messages: [message] }, 0);
  const call = h.slack.calls.findLast((c) => c.method === 'chat.postMessage' && c.response?.ts === message.messageId);
  const actions = (call?.body.blocks as Array<{ type: string; elements?: Element[] }>).find(
    (b) => b.type === 'actions',
  );
  return { message, buttons: actions?.elements?.map((e) => [e.action_id, e.text?.text]) ?? [] };
}

describe('gate kinds on Slack', () => {
  it('posts a stage check with "Let the stage start" / "Block the stage"', async () => {
    const { buttons } = await posted('stage-check', 'gate-stage-1');
    expect(buttons).toEqual([
      ['opsgate_approve', 'Let the stage start'],
      ['opsgate_reject', 'Block the stage'],
    ]);
  });

  it('posts a delay gate with Run now / Stop / Postpone 1 h, and answers a Postpone click without a pass or refuse', async () => {
    const { message, buttons } = await posted('delay', 'gate-delay-1');
    expect(buttons).toEqual([
      ['opsgate_approve', 'Run now'],
      ['opsgate_reject', 'Stop'],
      ['opsgate_postpone', 'Postpone 1 h'],
    ]);
    const before = h.decisions().length;
    const mark = h.slack.calls.length;
    const res = await h.post(
      buttonClickBody({
        userId: ALICE,
        channelId: RELEASES,
        messageTs: message.messageId,
        actionId: 'opsgate_postpone',
        value: 'gate-delay-1',
        responseUrl: h.slack.responseUrl('postpone'),
      }),
    );
    expect(res.status).toBe(200);
    await h.slack.waitFor((c) => c.method === 'chat.postEphemeral' && c.body.user === ALICE && since(mark)(c));
    expect(h.decisions().length).toBe(before);
  });

  it('writes to a Slack person directly (requester outcome, escalation) and declines other platforms', async () => {
    const mark = h.slack.calls.length;
    expect(await h.adapter.poster.direct?.(`slack:${ALICE}`, { ok: true, title: 'Approved', lines: [] })).toBe(true);
    const dm = await h.slack.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.channel === ALICE && since(mark)(c),
    );
    expect(dm.response?.channel).toBe('DALICE');
    expect(await h.adapter.poster.direct?.('dingtalk:staff1', { ok: true, title: 'x', lines: [] })).toBe(false);
  });
});
