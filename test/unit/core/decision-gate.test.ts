import { describe, expect, it } from 'vitest';
import type { ApprovalPoster } from '../../../src/core/approvals/ports.js';
import { parsePolicy } from '../../../src/core/authz.js';
import { createCore } from '../../../src/core/core.js';
import type { Decision, GateSettings, ManualReview, PipelineProvider, RunView } from '../../../src/core/ports.js';
import { silentLogger } from '../../../src/core/ports.js';
import type { Approval } from '../../../src/core/store-ports.js';
import type { RunRef } from '../../../src/core/targets.js';
import { createMemoryStore } from '../../../src/store/memory/memory-store.js';

/**
 * The one gate (src/core/approvals/gate.ts) on every path: a typed decision (chat or CLI), a click on the approval's
 * message, a click carrying another approval's message, the CLI acting for someone. Each rule is checked in the core
 * once; these tests drive it through core.execute (typed/CLI) and approvals.decide (clicks).
 */
const POLICY = (extra = '') =>
  parsePolicy(`
roles:
  releaser:
    allow: ["review.*"]
    scope: { yunxiao: { organizations: ["*"], pipelines: ["*"] } }
bindings:
  - { role: releaser, subjects: ["slack:*", "dingtalk:*", "cli:ops"] }
${extra}
`);

const URL = 'https://flow.aliyun.com/pipelines/1/builds/2?organizationId=o';

function cloud(settings?: GateSettings, decideMs = 0) {
  const review: ManualReview = {
    id: '7',
    jobId: '7',
    name: 'Gate',
    status: 'waiting',
    ...(settings ? { settings } : {}),
  };
  const decides: Decision[] = [];
  let reads = 0;
  const provider: PipelineProvider = {
    cloud: 'yunxiao',
    async getRun(ref: RunRef): Promise<RunView> {
      reads++;
      return { ref, status: 'RUNNING', finished: false, reviews: [{ ...review }] };
    },
    async decide(_ref, _r, decision) {
      decides.push(decision);
      if (decideMs) await new Promise((r) => setTimeout(r, decideMs));
      review.status = decision === 'approve' ? 'approved' : 'rejected';
      return { requestId: 'cloud-req-1' };
    },
  };
  return { provider, decides, reads: () => reads };
}

function setup(options: { extra?: string; settings?: GateSettings; decideMs?: number; leaseMs?: number } = {}) {
  const c = cloud(options.settings, options.decideMs);
  const store = createMemoryStore();
  let ids = 0;
  const core = createCore({
    providers: { pipelines: { yunxiao: c.provider } },
    store,
    policy: POLICY(options.extra),
    newId: () => `id-${++ids}`,
    logger: silentLogger,
    ...(options.leaseMs ? { decisionLeaseMs: options.leaseMs } : {}),
  });
  const updates: Approval[] = [];
  const poster: ApprovalPoster = {
    platform: 'slack',
    post: async (_a, channel) => ({ platform: 'slack', channel, messageId: `${channel}.1` }),
    update: async (a) => void updates.push(a),
    followUp: async () => {},
  };
  core.approvals.registerPoster(poster);
  const open = async (requester = 'slack:UREQ') => {
    const ref = core.target(URL);
    const { approvals } = await core.approvals.openForRun({
      subject: requester,
      ref,
      channels: { slack: ['C1'] },
      requester,
    });
    return approvals[0]!;
  };
  const click = (approval: Approval, subject: string, decision: Decision = 'approve', messageId = 'C1.1') =>
    core.approvals.decide({
      approvalId: approval.id,
      actor: {
        subject,
        context: ['slack-channel:C1'],
        path: 'button',
        message: { platform: 'slack', channel: 'C1', messageId },
      },
      decision,
    });
  const typed = (subject: string, text: string, operator?: string) =>
    core.execute({ subject, text, ...(operator ? { operator, path: 'cli' as const } : {}) });
  return { ...c, core, store, updates, open, click, typed };
}

describe('the decision gate on every path', () => {
  it('noSelfApproval: the requester can neither click nor type the decision; someone else can', async () => {
    const t = setup({ extra: 'rules: { noSelfApproval: true }' });
    const approval = await t.open('slack:UREQ');
    const clicked = await t.click(approval, 'slack:UREQ');
    expect(!clicked.outcome.ok && clicked.outcome.error.code).toBe('APPROVAL.SELF_DECISION');
    const typed = await t.typed('slack:UREQ', `approve ${URL}`);
    expect(!typed.ok && typed.error.code).toBe('APPROVAL.SELF_DECISION');
    expect(t.decides).toEqual([]);
    const other = await t.typed('slack:UOTHER', `approve ${URL}`);
    expect(other.ok).toBe(true);
    expect(t.decides).toEqual(['approve']);
  });

  it('twoApprovers: a typed approval on a review without an approval message records 1 of 2; a second person passes it', async () => {
    const t = setup({ extra: 'rules: { twoApprovers: ["yunxiao:1"] }' });
    const first = await t.typed('cli:ops', `approve ${URL}`);
    expect(first.ok && first.result).toMatchObject({ kind: 'approval-partial', approvers: ['cli:ops'], needed: 2 });
    expect(t.decides).toEqual([]);
    const again = await t.typed('cli:ops', `approve ${URL}`);
    expect(!again.ok && again.error.code).toBe('APPROVAL.DUPLICATE_APPROVER');
    const second = await t.typed('slack:UBOB', `approve ${URL}`);
    expect(second.ok && second.result).toMatchObject({ kind: 'decided', by: 'slack:UBOB' });
    expect(t.decides).toEqual(['approve']);
  });

  it('a typed decision on a review with an open approval decides that approval and names the decider and the path', async () => {
    const t = setup();
    const approval = await t.open();
    const typed = await t.typed('slack:UALICE', `reject ${URL} not today`);
    expect(typed.ok && typed.result).toMatchObject({ kind: 'decided', by: 'slack:UALICE', approvalId: approval.id });
    const after = await t.core.approvals.get(approval.id);
    expect(after).toMatchObject({
      status: 'rejected',
      decision: { by: 'slack:UALICE', path: 'typed', decision: 'reject', reason: 'not today' },
    });
    expect(t.updates.at(-1)?.status).toBe('rejected');
  });

  it('a typed decision racing a click makes one decision', async () => {
    const t = setup({ decideMs: 30 });
    const approval = await t.open();
    const [a, b] = await Promise.all([t.click(approval, 'slack:UALICE'), t.typed('slack:UBOB', `reject ${URL}`)]);
    expect(t.decides).toHaveLength(1);
    expect([a.outcome.ok, b.ok].filter(Boolean)).toHaveLength(1);
  });

  it('one round trip: a click decides with the ids its approval holds, without reading the run', async () => {
    const t = setup();
    const approval = await t.open();
    const readsBefore = t.reads();
    const out = await t.click(approval, 'slack:UALICE');
    expect(out.outcome.ok).toBe(true);
    expect(t.reads()).toBe(readsBefore);
  });

  it("a click carrying another approval's message decides nothing", async () => {
    const t = setup();
    const approval = await t.open();
    const forged = await t.click(approval, 'slack:UALICE', 'approve', 'C1.999');
    expect(!forged.outcome.ok && forged.outcome.error.code).toBe('APPROVAL.WRONG_MESSAGE');
    expect(t.decides).toEqual([]);
  });

  it("the gate's own approver list: mapped people not on it are refused, listed ones decide, unmapped ones follow the policy", async () => {
    const identities = `identities:
  - { subjects: ["slack:UALICE"], yunxiao: "u-alice" }
  - { subjects: ["slack:UMALLORY"], yunxiao: "u-mallory" }`;
    const t = setup({ extra: identities, settings: { approvers: ['u-alice', 'u-carol'], strategy: 'any' } });
    const approval = await t.open();
    const mallory = await t.click(approval, 'slack:UMALLORY');
    expect(!mallory.outcome.ok && mallory.outcome.error.code).toBe('AUTH.NOT_GATE_APPROVER');
    expect(
      t.core
        .rules(approval.ref, 'slack:UNOBODY')
        .map((r) => r.effect)
        .join(' '),
    ).toContain('policy alone decides');
    const alice = await t.click(approval, 'slack:UALICE');
    expect(alice.outcome.ok).toBe(true);
    expect(t.decides).toEqual(['approve']);
  });

  it('"all approvers" gates collect every listed approver before the cloud is called', async () => {
    const t = setup({ settings: { approvers: ['a', 'b', 'c'], strategy: 'all' } });
    const approval = await t.open();
    const one = await t.click(approval, 'slack:U1');
    expect(one.outcome.ok && one.outcome.result).toMatchObject({ kind: 'approval-partial', needed: 3 });
    await t.click(approval, 'slack:U2');
    expect(t.decides).toEqual([]);
    const three = await t.click(approval, 'slack:U3');
    expect(three.outcome.ok && three.outcome.result.kind).toBe('decided');
    expect(t.decides).toEqual(['approve']);
  });

  it('the CLI acting for someone needs the right for both, and the audit names both', async () => {
    const t = setup();
    const denied = await t.typed('slack:UALICE', `approve ${URL}`, 'cli:intruder');
    expect(!denied.ok && denied.error.code).toBe('AUTH.DENIED');
    expect(t.decides).toEqual([]);
    const allowed = await t.typed('slack:UALICE', `approve ${URL}`, 'cli:ops');
    expect(allowed.ok).toBe(true);
    const intents = (await t.store.audit.list()).filter((r) => r.phase === 'intent');
    expect(intents.at(-1)?.subject).toBe('slack:UALICE (by cli:ops)');
    const approval = (await t.store.approvals.listOpen()).length === 0;
    expect(approval).toBe(true);
  });

  it('postpone is refused on a gate that is not a delay', async () => {
    const t = setup();
    const approval = await t.open();
    const out = await t.click(approval, 'slack:UALICE', 'postpone');
    expect(!out.outcome.ok && out.outcome.error.code).toBe('INPUT.BAD_ARGUMENT');
  });

  it('the lease outlives a slow decision: a second decider waits out nothing and gets "in progress"', async () => {
    // The lease (60 ms) is far shorter than the cloud's answer (400 ms): renewals keep it.
    const t = setup({ decideMs: 400, leaseMs: 60 });
    const approval = await t.open();
    const first = t.click(approval, 'slack:UALICE', 'approve');
    await new Promise((r) => setTimeout(r, 200));
    const second = await t.click(approval, 'slack:UBOB', 'reject');
    expect(!second.outcome.ok && second.outcome.error.code).toBe('APPROVAL.IN_PROGRESS');
    expect((await first).outcome.ok).toBe(true);
    expect(t.decides).toEqual(['approve']);
  });
});
