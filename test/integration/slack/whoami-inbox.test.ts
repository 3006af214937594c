import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSlackCall } from '../../../src/fakes/slack-api.js';
import { viewSubmissionBody } from '../../../src/fakes/slack-payloads.js';
import { appHomeOpenedBody, surfaceButtonClickBody } from '../../../src/fakes/slack-surface-payloads.js';
import {
  ALICE,
  BOB,
  MALLORY,
  OTHER,
  RELEASES,
  type SlackHarness,
  startSlackHarness,
} from '../../support/slack-harness.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness();
});
afterAll(() => h.close());

const answer = (id: string) => h.slack.waitFor((c) => c.method === 'response_url' && c.responseUrlId === id);
const since = (mark: number) => (c: FakeSlackCall) => h.slack.calls.indexOf(c) >= mark;
const json = { contentType: 'application/json' };

async function openApproval(name: string): Promise<string> {
  const run = h.cloud.huawei.addRun({ name, reviews: ['Release approval'] });
  const mark = h.slack.calls.length;
  await h.command(`pending ${run.url}`, { user: ALICE, channel: RELEASES });
  return (await h.approvalPosted(RELEASES, mark)).approvalId;
}

describe('/ops whoami', () => {
  it('tells the person privately their subjects here and what the policy lets them do', async () => {
    const res = await h.command('whoami', { user: ALICE, channel: RELEASES });
    const reply = await answer(res.responseUrlId);
    expect(reply.body.response_type).toBe('ephemeral');
    const text = String(reply.body.text);
    expect(text).toContain('The policy sees you as slack:UALICE.');
    expect(text).toContain('This place is slack-channel:CREL.');
    expect(text).toContain('✓ review.approve: role releaser via slack:UALICE (CodeArts projects *, Yunxiao');
    expect(text).toContain('✗ notice.update');
  });

  it('shows someone bound to nothing that nothing is allowed, and which subjects to bind', async () => {
    const res = await h.command('whoami', { user: MALLORY, channel: OTHER });
    const text = String((await answer(res.responseUrlId)).body.text);
    expect(text).toContain('✗ review.approve');
    expect(text).not.toContain('✓');
    expect(text).toContain('slack:UMALLORY, slack-channel:COTHER');
  });
});

describe('/ops inbox and the App Home tab', () => {
  it('lists the open approvals this person may decide here, newest first, with their buttons', async () => {
    const older = await openApproval('inbox-older');
    const newer = await openApproval('inbox-newer');
    const res = await h.command('inbox', { user: BOB, channel: RELEASES });
    const reply = await answer(res.responseUrlId);
    expect(reply.body.response_type).toBe('ephemeral');
    const text = JSON.stringify(reply.body.blocks);
    expect(text).toContain('opsgate_inbox_approve');
    expect(text.indexOf(newer)).toBeGreaterThan(-1);
    expect(text.indexOf(newer)).toBeLessThan(text.indexOf(older));
    // Bob's rights come from the channel: elsewhere, nothing waits for him.
    const elsewhere = await h.command('inbox', { user: BOB, channel: OTHER });
    expect(String((await answer(elsewhere.responseUrlId)).body.text)).toBe('Nothing is waiting for your decision.');
  });

  it('decides from the ephemeral list as the person in that channel', async () => {
    const approvalId = await openApproval('inbox-click');
    const before = h.decisions().length;
    const mark = h.slack.calls.length;
    const res = await h.post(
      surfaceButtonClickBody({
        surface: 'ephemeral',
        userId: BOB,
        channelId: RELEASES,
        actionId: 'opsgate_inbox_approve',
        value: approvalId,
      }),
    );
    expect(res.status).toBe(200);
    const note = await h.slack.waitFor(
      (c) => c.method === 'chat.postEphemeral' && c.body.user === BOB && since(mark)(c),
    );
    expect(String(note.body.text)).toContain('Approved "Release approval"');
    expect((await h.approvals.get(approvalId))?.decision?.by).toBe(`slack:${BOB}`);
    expect(h.decisions().length).toBe(before + 1);
  });

  it('publishes the Home tab when opened, refreshes it when approvals open, and decides from it', async () => {
    let mark = h.slack.calls.length;
    const opened = await h.post(appHomeOpenedBody({ userId: ALICE }), json);
    expect(opened.status).toBe(200);
    const first = await h.slack.waitFor(
      (c) => c.method === 'views.publish' && c.body.user_id === ALICE && since(mark)(c),
    );
    expect(first.auth).toBe('ok');
    expect((first.body.view as { type: string }).type).toBe('home');
    expect(first.response?.ok).toBe(true);

    mark = h.slack.calls.length;
    const approvalId = await openApproval('home-refresh');
    const refreshed = await h.slack.waitFor(
      (c) =>
        c.method === 'views.publish' &&
        c.body.user_id === ALICE &&
        since(mark)(c) &&
        JSON.stringify(c.body).includes(approvalId),
    );
    expect(JSON.stringify(h.slack.homeView(ALICE)?.blocks)).toContain(approvalId);
    expect(refreshed).toBeDefined();

    mark = h.slack.calls.length;
    await h.post(
      surfaceButtonClickBody({ surface: 'home', userId: ALICE, actionId: 'opsgate_inbox_approve', value: approvalId }),
    );
    await h.slack.waitFor(
      (c) =>
        c.method === 'views.publish' &&
        since(mark)(c) &&
        JSON.stringify(c.body).includes('Approved') &&
        !JSON.stringify(c.body).includes(`"value":"${approvalId}"`),
    );
    expect((await h.approvals.get(approvalId))?.status).toBe('approved');
  });

  it('rejects from the Home tab through the reason modal', async () => {
    const approvalId = await openApproval('home-reject');
    const mark = h.slack.calls.length;
    await h.post(
      surfaceButtonClickBody({ surface: 'home', userId: ALICE, actionId: 'opsgate_inbox_reject', value: approvalId }),
    );
    const open = await h.slack.waitFor((c) => c.method === 'views.open' && since(mark)(c));
    const view = open.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('opsgate_inbox_reject_reason');
    await h.post(
      viewSubmissionBody({
        userId: ALICE,
        callbackId: view.callback_id,
        privateMetadata: view.private_metadata,
        values: { reason: { reason_input: 'wrong build' } },
      }),
    );
    for (let i = 0; i < 200 && (await h.approvals.get(approvalId))?.status === 'open'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const decided = await h.approvals.get(approvalId);
    expect(decided?.status).toBe('rejected');
    expect(decided?.decision?.reason).toBe('wrong build');
  });

  it("keeps a channel's rights out of the Home tab", async () => {
    await openApproval('home-bob');
    const mark = h.slack.calls.length;
    await h.post(appHomeOpenedBody({ userId: BOB }), json);
    const view = await h.slack.waitFor((c) => c.method === 'views.publish' && c.body.user_id === BOB && since(mark)(c));
    expect(JSON.stringify(view.body.view)).toContain('Nothing is waiting for your decision.');
  });
});
