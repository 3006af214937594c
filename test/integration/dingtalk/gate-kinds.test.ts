import { afterEach, describe, expect, it } from 'vitest';
import type { DecideInput } from '../../../src/core/approvals/service.js';
import type { Approval } from '../../../src/core/store-ports.js';
import { type DingTalkHarness, GROUP, startDingTalkHarness } from '../../support/dingtalk-harness.js';

let h: DingTalkHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** An open approval of one gate kind, posted as a card into the release group through the adapter's poster. */
async function posted(x: DingTalkHarness, kind: 'delay' | 'stage-check'): Promise<Approval> {
  const run = x.demo.huaweiSingle;
  const now = Date.now();
  const approval: Approval = {
    id: `ap-${kind}-${now}`,
    ref: { cloud: 'huawei', projectId: 'p', pipelineId: 'pl', runId: run.runId } as Approval['ref'],
    review: { id: 's1', jobId: 'j1', name: 'Wait for the window', kind },
    status: 'open',
    createdAt: now,
    updatedAt: now,
    expiresAt: now + 3_600_000,
    messages: [],
    approvers: [],
    version: 0,
  };
  await x.store.approvals.create(approval);
  const message = await x.adapter.poster.post(approval, GROUP);
  const withMessage = { ...approval, messages: [message] };
  expect(await x.store.approvals.update(withMessage, approval.version)).toBe(true);
  return { ...withMessage, version: approval.version + 1 };
}

describe('DingTalk buttons per gate kind', () => {
  it('a delay gate shows run now / stop / postpone, and postpone reaches the core as decision "postpone"', async () => {
    const asked: DecideInput[] = [];
    h = await startDingTalkHarness({
      wrapApprovals: (approvals) => ({
        ...approvals,
        decide: (input) => {
          asked.push(input);
          return approvals.decide(input);
        },
      }),
    });
    const approval = await posted(h, 'delay');
    const card = h.openapi.cards.get(`opsgate-${approval.id}`)!;
    expect(card.params).toMatchObject({
      title: '延时执行：Wait for the window',
      delay_actions: 'true',
      review_actions: 'false',
      stage_actions: 'false',
    });
    const answer = await h.gateway.waitForResponse(h.click(card.outTrackId, 'alice', 'postpone'));
    expect(JSON.stringify(answer.data)).toContain('status_text');
    await h.waitFor(() => asked.length === 1, 'decide called');
    // The click's real space and card reach the core's gate with the decision.
    expect(asked[0]).toMatchObject({
      approvalId: approval.id,
      decision: 'postpone',
      actor: {
        subject: 'dingtalk:alice',
        context: [`dingtalk-group:${GROUP}`],
        path: 'card',
        message: { platform: 'dingtalk', channel: GROUP, messageId: card.outTrackId },
      },
    });
  });

  it('a stage check shows its own words', async () => {
    h = await startDingTalkHarness();
    const approval = await posted(h, 'stage-check');
    const card = h.openapi.cards.get(`opsgate-${approval.id}`)!;
    expect(card.params).toMatchObject({ title: '阶段准入检查：Wait for the window', stage_actions: 'true' });
  });
});
