import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSlackCall } from '../../../src/fakes/slack-api.js';
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

type Block = {
  type: string;
  text?: { text: string };
  elements?: Array<Record<string, unknown>>;
  fields?: Array<{ text: string }>;
};
const blocksOf = (call: FakeSlackCall) => (call.body.blocks ?? []) as Block[];
const hasButtons = (call: FakeSlackCall) => blocksOf(call).some((b) => b.type === 'actions');
const since = (mark: number) => (c: FakeSlackCall) => h.slack.calls.indexOf(c) >= mark;
const updates = (ts: string, mark = 0) =>
  h.slack.calls.filter((c) => c.method === 'chat.update' && c.body.ts === ts && since(mark)(c));
const ephemeralTo = (user: string, mark: number) =>
  h.slack.waitFor((c) => c.method === 'chat.postEphemeral' && c.body.user === user && since(mark)(c));

/** `/ops pending <url>` in a channel, then the approval message it posted. */
async function openApproval(url: string, channel = RELEASES, user = ALICE) {
  const mark = h.slack.calls.length;
  const res = await h.command(`pending ${url}`, { user, channel });
  expect(res.status).toBe(200);
  return h.approvalPosted(channel, mark);
}

describe('approval messages with Approve / Reject buttons', () => {
  it('posts the pipeline, run, stage, step, requester and both buttons; Approve asks for confirmation', async () => {
    const run = h.cloud.huawei.addRun({ name: 'web-release', reviews: ['Release approval'] });
    const { call, approvalId } = await openApproval(run.url);
    expect(call.auth).toBe('ok');
    const text = JSON.stringify(call.body.blocks);
    expect(text).toContain('web-release');
    expect(text).toContain(run.runId);
    expect(text).toContain('Release approval');
    expect(text).toContain(`<@${ALICE}>`);
    expect(text).toContain('Huawei Cloud CodeArts');
    const actions = blocksOf(call).find((b) => b.type === 'actions');
    const [approve, reject] = actions?.elements ?? [];
    expect(approve).toMatchObject({ action_id: 'opsgate_approve', value: approvalId, style: 'primary' });
    expect(approve?.confirm).toBeDefined();
    expect(reject).toMatchObject({ action_id: 'opsgate_reject', value: approvalId, style: 'danger' });
    expect(approvalId).toMatch(/^[A-Za-z0-9-]{1,64}$/);
  });

  it('Approve (CodeArts): strips the buttons at once, passes once, rewrites the message and details the thread', async () => {
    const run = h.cloud.huawei.addRun({ reviews: ['Release approval'] });
    const { ts, approvalId } = await openApproval(run.url);
    const mark = h.slack.calls.length;
    const before = h.decisions().length;
    const res = await h.click('approve', { approvalId, channel: RELEASES, messageTs: ts });
    expect(res.status).toBe(200);
    const thread = await h.slack.waitFor((c) => c.method === 'chat.postMessage' && c.body.thread_ts === ts);
    const [processing, ...rest] = updates(ts, mark);
    expect(processing && hasButtons(processing)).toBe(false);
    expect(String(processing?.body.text)).toContain('Processing, by @UALICE');
    const final = rest.at(-1)!;
    expect(hasButtons(final)).toBe(false);
    expect(String(final.body.text)).toContain('Approved by @UALICE at');
    expect(JSON.stringify(final.body.blocks)).toContain(`Approved by <@${ALICE}> at <!date^`);
    expect(String(thread.body.text)).toContain('Approved "Release approval"');
    expect(String(thread.body.text)).toContain('Cloud request id:');
    expect(String(thread.body.text)).toContain(`run ${run.runId}`);
    expect(
      h
        .decisions()
        .slice(before)
        .map((c) => c.action),
    ).toEqual(['pass']);
    expect(h.cloud.huawei.review(run.runId, run.reviews[0]!.stepRunId).status).toBe('COMPLETED');
    expect((await h.approvals.get(approvalId))?.status).toBe('approved');
  });

  it('Reject (Yunxiao): opens the reason modal, refuses an empty reason, then rejects with it', async () => {
    const run = h.cloud.yunxiao.addRun({ jobs: ['Manual check'] });
    const { ts, approvalId } = await openApproval(run.url);
    const mark = h.slack.calls.length;
    await h.click('reject', { approvalId, channel: RELEASES, messageTs: ts }, { triggerId: '111.222.abc' });
    const open = await h.slack.waitFor((c) => c.method === 'views.open' && since(mark)(c));
    expect(open.body.trigger_id).toBe('111.222.abc');
    const view = open.body.view as { callback_id: string; private_metadata: string; blocks: Block[] };
    expect(view.callback_id).toBe('opsgate_reject_reason');
    // The metadata is sealed for the clicker: the approval, channel and message, and an HMAC over them.
    const sealed = JSON.parse(view.private_metadata) as { b: string; s: string };
    expect(JSON.parse(sealed.b)).toEqual({ a: approvalId, c: RELEASES, t: ts });
    expect(sealed.s).toMatch(/^[0-9a-f]{32}$/);
    // A changed metadata (another channel whose rights would count) or a replay by another user is ignored.
    const forged = JSON.stringify({ ...sealed, b: JSON.stringify({ a: approvalId, c: 'CFORGED', t: ts }) });
    const marks = h.slack.calls.length;
    await h.submitReason(forged, 'forged');
    expect((await h.approvals.get(approvalId))?.status).toBe('open');
    expect(h.slack.calls.slice(marks).filter((c) => c.method === 'chat.update')).toEqual([]);
    expect(JSON.stringify(view.blocks)).toContain('"multiline":true');
    expect(updates(ts, mark)).toHaveLength(0);

    const empty = await h.submitReason(view.private_metadata, '   ');
    expect(empty.status).toBe(200);
    expect(JSON.parse(empty.text)).toMatchObject({ response_action: 'errors', errors: { reason: 'Give a reason.' } });
    expect(h.decisions().filter((c) => c.action === 'RefusePipelineValidate')).toHaveLength(0);

    const ok = await h.submitReason(view.private_metadata, 'integration tests are red <!channel>');
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('');
    const thread = await h.slack.waitFor((c) => c.method === 'chat.postMessage' && c.body.thread_ts === ts);
    const final = updates(ts, mark).at(-1)!;
    expect(hasButtons(final)).toBe(false);
    const blocks = JSON.stringify(final.body.blocks);
    expect(blocks).toContain(`Rejected by <@${ALICE}> at`);
    expect(blocks).toContain('integration tests are red &lt;!channel&gt;');
    expect(String(thread.body.text)).toContain('Reason: integration tests are red');
    expect(String(thread.body.text)).toContain('Alibaba Cloud Yunxiao');
    expect(h.decisions().filter((c) => c.action === 'RefusePipelineValidate')).toHaveLength(1);
    expect(h.cloud.yunxiao.job(run.runId, run.jobs[0]!.jobId).status).toBe('FAIL');
  });

  it('answers a denied clicker privately and changes nothing', async () => {
    const run = h.cloud.huawei.addRun({ reviews: ['Release approval'] });
    const { ts, approvalId } = await openApproval(run.url, OTHER);
    const mark = h.slack.calls.length;
    const before = h.decisions().length;
    await h.click('approve', { approvalId, channel: OTHER, messageTs: ts }, { user: MALLORY });
    const note = await ephemeralTo(MALLORY, mark);
    expect(note.body.channel).toBe(OTHER);
    expect(String(note.body.text)).toContain('You are not allowed to review.approve');
    await h.click('reject', { approvalId, channel: OTHER, messageTs: ts }, { user: MALLORY });
    await h.slack.waitFor(
      (c) => c.method === 'chat.postEphemeral' && c.body.user === MALLORY && c !== note && since(mark)(c),
    );
    expect(
      h.slack.calls.filter((c) => since(mark)(c) && (c.method === 'chat.update' || c.method === 'views.open')),
    ).toHaveLength(0);
    expect(h.decisions().length).toBe(before);
    expect((await h.approvals.get(approvalId))?.status).toBe('open');
  });

  it('answers a click on an already decided message privately and refreshes the stale message', async () => {
    const run = h.cloud.huawei.addRun({ reviews: ['Release approval'] });
    const { ts, approvalId } = await openApproval(run.url);
    await h.click('approve', { approvalId, channel: RELEASES, messageTs: ts });
    await h.slack.waitFor((c) => c.method === 'chat.postMessage' && c.body.thread_ts === ts);
    const mark = h.slack.calls.length;
    const before = h.decisions().length;
    await h.click('reject', { approvalId, channel: RELEASES, messageTs: ts }, { user: BOB });
    const note = await ephemeralTo(BOB, mark);
    expect(String(note.body.text)).toContain('already decided (approved)');
    const refreshed = updates(ts, mark);
    expect(refreshed).toHaveLength(1);
    expect(hasButtons(refreshed[0]!)).toBe(false);
    expect(h.slack.calls.filter((c) => c.method === 'views.open' && since(mark)(c))).toHaveLength(0);
    expect(h.decisions().length).toBe(before);
  });

  it('makes one cloud call for a double click', async () => {
    const run = h.cloud.huawei.addRun({ reviews: ['Release approval'] });
    const { ts, approvalId } = await openApproval(run.url);
    const mark = h.slack.calls.length;
    const before = h.decisions().length;
    const target = { approvalId, channel: RELEASES, messageTs: ts };
    const [a, b] = await Promise.all([h.click('approve', target), h.click('approve', target, { user: BOB })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await h.slack.waitFor((c) => c.method === 'chat.postMessage' && c.body.thread_ts === ts);
    // The loser is told privately (in progress or already decided), whichever click lost.
    await h.slack.waitFor((c) => c.method === 'chat.postEphemeral' && since(mark)(c));
    expect(h.decisions().slice(before)).toHaveLength(1);
    const last = updates(ts, mark).at(-1)!;
    expect(String(last.body.text)).toMatch(/Approved by @U(ALICE|BOB)/);
  });

  it('makes one cloud call for an interaction Slack delivers twice', async () => {
    const run = h.cloud.huawei.addRun({ reviews: ['Release approval'] });
    const { ts, approvalId } = await openApproval(run.url);
    const before = h.decisions().length;
    const mark = h.slack.calls.length;
    const first = await h.click(
      'approve',
      { approvalId, channel: RELEASES, messageTs: ts },
      { actionTs: '1700000000.123456' },
    );
    const again = await h.post(first.body, {
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect(again.status).toBe(200);
    await h.slack.waitFor((c) => c.method === 'chat.postMessage' && c.body.thread_ts === ts);
    await h.waitForLog('slack interaction redelivery ignored');
    expect(h.decisions().slice(before)).toHaveLength(1);
    // The redelivery was dropped before anything: no "in progress" or "already decided" note.
    expect(h.slack.calls.filter((c) => c.method === 'chat.postEphemeral' && since(mark)(c))).toHaveLength(0);
  });

  it('restores the buttons and tells the clicker when the cloud refuses', async () => {
    const run = h.cloud.huawei.addRun({ reviews: ['Release approval'] });
    const { ts, approvalId } = await openApproval(run.url);
    h.cloud.inject({
      match: '/pass',
      kind: 'status',
      status: 403,
      body: { error_code: 'DEVPIPE.00011105', error_msg: 'The user has no permission to operate the pipeline' },
    });
    const mark = h.slack.calls.length;
    await h.click('approve', { approvalId, channel: RELEASES, messageTs: ts });
    const note = await ephemeralTo(ALICE, mark);
    expect(String(note.body.text)).toContain('The cloud says opsgate may not do that (DEVPIPE.00011105');
    const seen = updates(ts, mark);
    expect(hasButtons(seen[0]!)).toBe(false);
    expect(hasButtons(seen.at(-1)!)).toBe(true);
    expect((await h.approvals.get(approvalId))?.status).toBe('open');
  });
});

describe('a review decided by a typed command', () => {
  it('is a decision on its open approval: the message names the decider and the path', async () => {
    const run = h.cloud.huawei.addRun({ reviews: ['Release approval'] });
    const { ts, approvalId } = await openApproval(run.url);
    const mark = h.slack.calls.length;
    const res = await h.command(`approve ${run.url}`);
    await h.slack.waitFor((c) => c.method === 'response_url' && c.responseUrlId === res.responseUrlId);
    const update = await h.slack.waitFor((c) => c.method === 'chat.update' && c.body.ts === ts && since(mark)(c));
    expect(hasButtons(update)).toBe(false);
    expect(String(update.body.text)).toContain(`Approved by @${ALICE} (typed) at`);
    const approval = await h.approvals.get(approvalId);
    expect(approval?.status).toBe('approved');
    expect(approval?.decision).toMatchObject({ by: `slack:${ALICE}`, path: 'typed' });
  });
});

describe('an approval past its expiry', () => {
  let x: SlackHarness;
  beforeAll(async () => {
    x = await startSlackHarness();
  });
  afterAll(() => x.close());

  it('expires an overdue approval on click and says so', async () => {
    const run = x.cloud.huawei.addRun({ reviews: ['Release approval'] });
    const res = await x.command(`pending ${run.url}`);
    expect(res.status).toBe(200);
    const { ts, approvalId } = await x.approvalPosted(RELEASES);
    x.advance(3 * 60 * 60_000);
    const mark = x.slack.calls.length;
    const before = x.decisions().length;
    await x.click('approve', { approvalId, channel: RELEASES, messageTs: ts });
    const note = await x.slack.waitFor(
      (c) => c.method === 'chat.postEphemeral' && c.body.user === ALICE && x.slack.calls.indexOf(c) >= mark,
    );
    expect(String(note.body.text)).toContain('expired');
    const final = x.slack.calls.filter((c) => c.method === 'chat.update' && c.body.ts === ts).at(-1)!;
    expect(String(final.body.text)).toContain('Expired at');
    expect(hasButtons(final)).toBe(false);
    expect(x.decisions().length).toBe(before);
  });
});
