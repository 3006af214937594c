import { describe, expect, it } from 'vitest';
import type { ApprovalPoster } from '../../../src/core/approvals/ports.js';
import { parsePolicy } from '../../../src/core/authz.js';
import { createCore } from '../../../src/core/core.js';
import type { ManualReview, PipelineProvider, RunView } from '../../../src/core/ports.js';
import { silentLogger } from '../../../src/core/ports.js';
import type { Approval } from '../../../src/core/store-ports.js';
import type { RunRef } from '../../../src/core/targets.js';
import { createMemoryStore } from '../../../src/store/memory/memory-store.js';

const RULES = (rules: string) =>
  parsePolicy(`
roles:
  releaser:
    allow: ["review.*"]
    scope: { yunxiao: { organizations: ["*"], pipelines: ["*"] } }
bindings:
  - { role: releaser, subjects: ["slack:*"] }
rules: ${rules}
`);

/** A one-review cloud: decisions flip the review; every decide call is counted. */
function cloud() {
  const review: ManualReview = { id: '7', jobId: '7', name: 'Gate', status: 'waiting' };
  const decides: string[] = [];
  const provider: PipelineProvider = {
    cloud: 'yunxiao',
    async getRun(ref: RunRef): Promise<RunView> {
      return { ref, status: 'RUNNING', finished: false, reviews: [{ ...review }] };
    },
    async decide(_ref, _r, decision) {
      decides.push(decision);
      review.status = decision === 'approve' ? 'approved' : 'rejected';
      return {};
    },
  };
  return { provider, decides, review };
}

/** Records what the service asks the chat to show. */
function recordingPoster() {
  const updates: Approval[] = [];
  const poster: ApprovalPoster = {
    platform: 'slack',
    post: async (_a, channel) => ({ platform: 'slack', channel, messageId: '1.1' }),
    update: async (a) => void updates.push(a),
    followUp: async () => {},
  };
  return { poster, updates };
}

function setup(rules: string, now = () => 1_000) {
  const c = cloud();
  const providers = { pipelines: { yunxiao: c.provider } };
  const store = createMemoryStore(now);
  const core = createCore({
    providers,
    store,
    policy: RULES(rules),
    now,
    newId: () => 'a1',
    logger: silentLogger,
    defaultYunxiaoOrganization: 'o',
  });
  const service = core.approvals;
  const rec = recordingPoster();
  service.registerPoster(rec.poster);
  const ref: RunRef = { cloud: 'yunxiao', organizationId: 'o', pipelineId: '1', runId: '2' };
  const open = () =>
    service.openForRun({ subject: 'slack:UREQ', ref, channels: { slack: ['C1'] }, requester: 'slack:UREQ' });
  return { ...c, service, store, rec, open };
}

describe('approval rules', () => {
  it('refuses the requester deciding their own approval when noSelfApproval is on', async () => {
    const t = setup('{ noSelfApproval: true }');
    const { approvals } = await t.open();
    const own = await t.service.decide({
      approvalId: approvals[0]!.id,
      actor: { subject: 'slack:UREQ', context: [], path: 'button' },
      decision: 'approve',
    });
    expect(!own.outcome.ok && own.outcome.error.code).toBe('APPROVAL.SELF_DECISION');
    expect(t.decides).toEqual([]);
    const other = await t.service.decide({
      approvalId: approvals[0]!.id,
      actor: { subject: 'slack:UOTHER', context: [], path: 'button' },
      decision: 'approve',
    });
    expect(other.outcome.ok).toBe(true);
    expect(t.decides).toEqual(['approve']);
  });

  it('needs two distinct approvers on listed pipelines before calling the cloud', async () => {
    const t = setup('{ twoApprovers: ["yunxiao:1"] }');
    const { approvals } = await t.open();
    const id = approvals[0]!.id;
    const first = await t.service.decide({
      approvalId: id,
      actor: { subject: 'slack:UA', context: [], path: 'button' },
      decision: 'approve',
    });
    expect(first.outcome.ok && first.outcome.result).toMatchObject({
      kind: 'approval-partial',
      approvers: ['slack:UA'],
    });
    expect(t.decides).toEqual([]);
    const again = await t.service.decide({
      approvalId: id,
      actor: { subject: 'slack:UA', context: [], path: 'button' },
      decision: 'approve',
    });
    expect(!again.outcome.ok && again.outcome.error.code).toBe('APPROVAL.DUPLICATE_APPROVER');
    const second = await t.service.decide({
      approvalId: id,
      actor: { subject: 'slack:UB', context: [], path: 'button' },
      decision: 'approve',
    });
    expect(second.outcome.ok && second.outcome.result.kind).toBe('decided');
    expect(t.decides).toEqual(['approve']);
    expect(second.approval).toMatchObject({ status: 'approved', approvers: ['slack:UA', 'slack:UB'] });
  });

  it('lets one reject end a two-approver approval', async () => {
    const t = setup('{ twoApprovers: ["*"] }');
    const { approvals } = await t.open();
    const out = await t.service.decide({
      approvalId: approvals[0]!.id,
      actor: { subject: 'slack:UA', context: [], path: 'button' },
      decision: 'reject',
      reason: 'no',
    });
    expect(out.approval).toMatchObject({ status: 'rejected', decision: { by: 'slack:UA', reason: 'no' } });
    expect(t.decides).toEqual(['reject']);
  });

  it('makes one decision for many concurrent deciders and tells the rest it is decided', async () => {
    const t = setup('{}');
    const { approvals } = await t.open();
    const outs = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        t.service.decide({
          approvalId: approvals[0]!.id,
          actor: { subject: `slack:U${i}`, context: [], path: 'button' },
          decision: i % 2 ? 'approve' : 'reject',
        }),
      ),
    );
    expect(t.decides).toHaveLength(1);
    expect(outs.filter((o) => o.outcome.ok)).toHaveLength(1);
    for (const o of outs.filter((x) => !x.outcome.ok)) {
      expect(['APPROVAL.IN_PROGRESS', 'APPROVAL.ALREADY_DECIDED']).toContain(!o.outcome.ok && o.outcome.error.code);
    }
  });

  it('reuses the open approval of a review instead of opening a second one', async () => {
    const t = setup('{}');
    const first = await t.open();
    const second = await t.open();
    expect(second.approvals.map((a) => a.id)).toEqual(first.approvals.map((a) => a.id));
    expect((await t.store.approvals.listOpen()).length).toBe(1);
  });

  it('marks an approval decided elsewhere when the review stopped waiting, and expires old ones', async () => {
    let clock = 1_000;
    const t = setup('{}', () => clock);
    const { approvals } = await t.open();
    t.review.status = 'approved'; // decided in the console
    expect((await t.service.refresh(approvals[0]!.id))?.status).toBe('decided-elsewhere');
    expect(t.rec.updates.at(-1)?.status).toBe('decided-elsewhere');
    t.review.status = 'waiting';
    const t2 = setup('{}', () => clock);
    const opened = await t2.open();
    clock += 3 * 60 * 60 * 1000;
    expect(await t2.service.sweep()).toBe(1);
    expect((await t2.service.get(opened.approvals[0]!.id))?.status).toBe('expired');
    const late = await t2.service.decide({
      approvalId: opened.approvals[0]!.id,
      actor: { subject: 'slack:UA', context: [], path: 'button' },
      decision: 'approve',
    });
    expect(!late.outcome.ok && late.outcome.error.code).toBe('APPROVAL.EXPIRED');
    expect(t2.decides).toEqual([]);
  });
});
