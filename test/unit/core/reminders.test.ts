import { describe, expect, it } from 'vitest';
import type { ApprovalPoster } from '../../../src/core/approvals/ports.js';
import { parsePolicy } from '../../../src/core/authz.js';
import { createCore } from '../../../src/core/core.js';
import type { Rendered } from '../../../src/core/i18n/index.js';
import type { ManualReview, PipelineProvider, RunView } from '../../../src/core/ports.js';
import { silentLogger } from '../../../src/core/ports.js';
import type { Store } from '../../../src/core/store-ports.js';
import type { RunRef } from '../../../src/core/targets.js';
import { createMemoryStore } from '../../../src/store/memory/memory-store.js';

/**
 * Reminders and escalation (policy `reminders`) on a fake clock: sent at their points, once across two replicas
 * sharing a store and across a restart; the requester hears the outcome directly.
 */
const POLICY = parsePolicy(`
roles:
  releaser:
    allow: ["review.*"]
    scope: { yunxiao: { organizations: ["*"], pipelines: ["*"] } }
bindings:
  - { role: releaser, subjects: ["slack:*"] }
identities:
  - { subjects: ["slack:UALICE"], yunxiao: "u-alice" }
reminders:
  - pipelines: ["yunxiao:1"]
    after: ["30m"]
    beforeTimeout: ["15m"]
    escalate: { after: "45m", channels: ["slack:CESC"], people: ["slack:UBOSS"] }
`);
const URL = 'https://flow.aliyun.com/pipelines/1/builds/2?organizationId=o';
const START = 1_800_000_000_000;

function provider(): PipelineProvider {
  // A Yunxiao checkpoint naming its validator, with a one-hour timeout that rejects.
  const review: ManualReview = {
    id: '7',
    jobId: '7',
    name: 'Release gate',
    status: 'waiting',
    since: START,
    settings: { approvers: ['u-alice'], timeoutMinutes: 60, onTimeout: 'reject' },
  };
  return {
    cloud: 'yunxiao',
    async getRun(ref: RunRef): Promise<RunView> {
      return { ref, status: 'RUNNING', finished: false, reviews: [{ ...review }] };
    },
    async decide() {
      return {};
    },
  };
}

interface Said {
  kind: 'post' | 'followUp' | 'direct';
  to: string;
  text?: Rendered;
}

function replica(store: Store, clock: { now: number }, said: Said[]) {
  let ids = 0;
  const core = createCore({
    providers: { pipelines: { yunxiao: provider() } },
    store,
    policy: POLICY,
    now: () => clock.now,
    newId: () => `a-${++ids}`,
    logger: silentLogger,
    approvalTtlMs: 4 * 3_600_000,
  });
  const poster: ApprovalPoster = {
    platform: 'slack',
    post: async (_a, channel) => {
      said.push({ kind: 'post', to: channel });
      return { platform: 'slack', channel, messageId: `${channel}.1` };
    },
    update: async () => {},
    followUp: async (_a, message, text) => void said.push({ kind: 'followUp', to: message.channel, text }),
    direct: async (subject, text) => {
      said.push({ kind: 'direct', to: subject, text });
      return true;
    },
  };
  core.approvals.registerPoster(poster);
  return core;
}

describe('reminders and escalation', () => {
  it('remind at their points with mentions, say what the timeout will do, escalate once, across replicas and a restart', async () => {
    const clock = { now: START };
    const store = createMemoryStore(() => clock.now);
    const said: Said[] = [];
    const a = replica(store, clock, said);
    const b = replica(store, clock, said);
    const ref = a.target(URL);
    await a.approvals.openForRun({
      subject: 'slack:UREQ',
      ref,
      channels: { slack: ['CREL'] },
      requester: 'slack:UREQ',
    });
    said.length = 0;

    clock.now = START + 29 * 60_000;
    expect(await a.approvals.remind()).toBe(0);
    clock.now = START + 31 * 60_000;
    expect((await a.approvals.remind()) + (await b.approvals.remind())).toBe(1);
    const first = said.find((s) => s.kind === 'followUp');
    expect(first?.text?.title).toContain('has waited 31 min');
    expect(first?.text?.mentions).toEqual(['slack:UALICE']);

    clock.now = START + 46 * 60_000;
    // Escalation (45 m) and "15 min before the timeout" (at 45 m): each once, whichever replica runs first.
    expect((await b.approvals.remind()) + (await a.approvals.remind())).toBe(2);
    expect(said.filter((s) => s.kind === 'post').map((s) => s.to)).toEqual(['CESC']);
    expect(said.filter((s) => s.kind === 'direct').map((s) => s.to)).toEqual(['slack:UBOSS']);
    const before = said.filter((s) => s.kind === 'followUp').at(-1);
    expect(before?.text?.lines.join(' ')).toContain('14 min left: then the gate rejects automatically');

    // A restart: a new process on the same store sends nothing again.
    const c = replica(store, clock, said);
    const count = said.length;
    expect(await c.approvals.remind()).toBe(0);
    expect(said.length).toBe(count);

    // Past the gate's own timeout nothing more is said.
    clock.now = START + 61 * 60_000;
    expect(await c.approvals.remind()).toBe(0);
  });

  it('tells the requester the decision, who made it and the reason, directly', async () => {
    const clock = { now: START };
    const said: Said[] = [];
    const core = replica(
      createMemoryStore(() => clock.now),
      clock,
      said,
    );
    const ref = core.target(URL);
    const { approvals } = await core.approvals.openForRun({
      subject: 'slack:UREQ',
      ref,
      channels: { slack: ['CREL'] },
      requester: 'slack:UREQ',
    });
    // Who can decide is kept with the approval: the policy maps the gate's approver u-alice to slack:UALICE.
    expect(approvals[0]!.review.deciders).toEqual(['slack:UALICE']);
    await core.approvals.decide({
      approvalId: approvals[0]!.id,
      actor: { subject: 'slack:UALICE', context: [], path: 'button' },
      decision: 'reject',
      reason: 'tests are red',
    });
    const dm = said.find((s) => s.kind === 'direct');
    expect(dm?.to).toBe('slack:UREQ');
    expect(dm?.text?.title).toContain('was rejected by slack:UALICE');
    expect(dm?.text?.lines).toEqual(['Reason: tests are red']);
  });
});
