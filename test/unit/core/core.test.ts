import { createMemoryStore } from '../../../src/store/memory/memory-store.js';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../src/core/authz.js';
import { createCore } from '../../../src/core/core.js';
import { OpsError } from '../../../src/core/errors.js';
import type { AuditRecord, ManualReview, PipelineProvider, RunView } from '../../../src/core/ports.js';
import type { RunRef } from '../../../src/core/targets.js';

const policy = parsePolicy(`
roles:
  releaser:
    allow: ["review.*"]
    scope: { huawei: { projects: ["*"] }, yunxiao: { organizations: ["*"], pipelines: ["*"] } }
bindings:
  - { role: releaser, subjects: ["cli:alice"] }
`);

/** An in-memory cloud with the PipelineProvider contract; `failNext` scripts one failure of decide. */
function memoryPipeline(reviews: ManualReview[]) {
  const calls: string[] = [];
  let failNext: { error: OpsError; apply: boolean } | undefined;
  const provider: PipelineProvider = {
    cloud: 'yunxiao',
    async getRun(ref: RunRef): Promise<RunView> {
      calls.push('getRun');
      return { ref, status: 'RUNNING', finished: false, reviews: reviews.map((r) => ({ ...r })) };
    },
    async decide(_ref, review, decision) {
      calls.push(`decide:${review.id}:${decision}`);
      const target = reviews.find((r) => r.id === review.id)!;
      if (failNext) {
        const f = failNext;
        failNext = undefined;
        if (f.apply) target.status = decision === 'approve' ? 'approved' : 'rejected';
        throw f.error;
      }
      if (target.status !== 'waiting') {
        throw new OpsError('PROVIDER.BAD_REQUEST', 'not waiting', { providerCode: 'InvalidParam.ParamNotPresent' });
      }
      target.status = decision === 'approve' ? 'approved' : 'rejected';
      return { requestId: 'req-1' };
    },
  };
  return {
    provider,
    calls,
    failOnce(error: OpsError, apply: boolean) {
      failNext = { error, apply };
    },
  };
}

const review = (id: string, name: string): ManualReview => ({ id, jobId: id, name, status: 'waiting' });

function setup(reviews = [review('7', 'Release gate')]) {
  const cloud = memoryPipeline(reviews);
  const audit: AuditRecord[] = [];
  const core = createCore({
    store: createMemoryStore(),
    providers: { pipelines: { yunxiao: cloud.provider }, enableHints: { huawei: 'HUAWEI_AK' } },
    policy,
    audit: { write: async (r) => void audit.push(r) },
    defaultYunxiaoOrganization: 'org1',
  });
  return { core, cloud, audit };
}

const URL = 'https://flow.aliyun.com/pipelines/1/builds/2';

describe('core', () => {
  it('rejects the only waiting review, audits intent and outcome, and fills the default organization', async () => {
    const { core, cloud, audit } = setup();
    const out = await core.execute({ subject: 'cli:alice', text: `reject ${URL} broken build` });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.result).toMatchObject({
      kind: 'decided',
      decision: 'reject',
      note: 'broken build',
      providerRequestId: 'req-1',
    });
    expect(out.result.kind === 'decided' && out.result.ref).toMatchObject({ organizationId: 'org1' });
    expect(cloud.calls).toEqual(['getRun', 'decide:7:reject']);
    expect(audit.map((r) => r.phase)).toEqual(['intent', 'outcome']);
    expect(audit[1]).toMatchObject({ ok: true, providerRequestId: 'req-1', subject: 'cli:alice' });
  });

  it('denies unknown subjects before any cloud call, naming the permission', async () => {
    const { core, cloud } = setup();
    const out = await core.execute({ subject: 'cli:mallory', text: `approve ${URL}` });
    expect(out.ok).toBe(false);
    expect(!out.ok && out.error.code).toBe('AUTH.DENIED');
    expect(!out.ok && out.error.meta.permission).toBe('review.approve');
    expect(cloud.calls).toEqual([]);
  });

  it('says which variables enable a cloud that is not configured', async () => {
    const { core } = setup();
    const out = await core.execute({
      subject: 'cli:alice',
      text: `pending huawei ${'a'.repeat(32)} ${'b'.repeat(32)} ${'c'.repeat(32)}`,
    });
    expect(!out.ok && out.error.code).toBe('CONFIG.CLOUD_DISABLED');
    expect(!out.ok && out.error.meta.variables).toBe('HUAWEI_AK');
  });

  it('asks to choose when several reviews wait, and acts on --step by name', async () => {
    const { core, cloud } = setup([review('7', 'QA sign-off'), review('8', 'Release gate')]);
    const out = await core.execute({ subject: 'cli:alice', text: `approve ${URL}` });
    expect(!out.ok && out.error.code).toBe('REVIEW.CHOOSE_STEP');
    expect(!out.ok && (out.error.meta.reviews as unknown[]).length).toBe(2);
    const picked = await core.execute({ subject: 'cli:alice', text: `approve ${URL} --step "release gate"` });
    expect(picked.ok).toBe(true);
    expect(cloud.calls).toContain('decide:8:approve');
  });

  it('reports nothing waiting, and an already decided review, without deciding', async () => {
    const { core, cloud } = setup([{ ...review('7', 'Gate'), status: 'approved' }]);
    const none = await core.execute({ subject: 'cli:alice', text: `reject ${URL}` });
    expect(!none.ok && none.error.code).toBe('REVIEW.NONE_WAITING');
    const pinned = await core.execute({ subject: 'cli:alice', text: `reject ${URL} --step 7` });
    expect(!pinned.ok && pinned.error.code).toBe('APPROVAL.ALREADY_DECIDED');
    expect(cloud.calls.filter((c) => c.startsWith('decide'))).toEqual([]);
  });

  it('after an ambiguous failure reads the run: decided as asked → success, no second decision', async () => {
    const { core, cloud } = setup();
    cloud.failOnce(new OpsError('PROVIDER.AMBIGUOUS', 'reset after send', {}), true);
    const out = await core.execute({ subject: 'cli:alice', text: `approve ${URL}` });
    expect(out.ok && out.result.kind === 'decided' && out.result.confirmedByReread).toBe(true);
    expect(cloud.calls.filter((c) => c.startsWith('decide'))).toHaveLength(1);
  });

  it('after an ambiguous failure that did not apply reports OUTCOME.UNKNOWN, never a blind retry', async () => {
    const { core, cloud, audit } = setup();
    cloud.failOnce(new OpsError('PROVIDER.AMBIGUOUS', 'timeout', {}), false);
    const out = await core.execute({ subject: 'cli:alice', text: `approve ${URL}` });
    expect(!out.ok && out.error.code).toBe('OUTCOME.UNKNOWN');
    expect(cloud.calls.filter((c) => c.startsWith('decide'))).toHaveLength(1);
    expect(audit.at(-1)).toMatchObject({ phase: 'outcome', ok: false, code: 'OUTCOME.UNKNOWN' });
  });

  it('makes one cloud call for concurrent identical decisions', async () => {
    const { core, cloud } = setup();
    const outs = await Promise.all(
      Array.from({ length: 20 }, () => core.execute({ subject: 'cli:alice', text: `reject ${URL}` })),
    );
    expect(cloud.calls.filter((c) => c.startsWith('decide'))).toHaveLength(1);
    expect(outs.filter((o) => o.ok)).toHaveLength(1);
    for (const o of outs.filter((x) => !x.ok)) {
      expect(['APPROVAL.IN_PROGRESS', 'APPROVAL.ALREADY_DECIDED', 'REVIEW.NONE_WAITING']).toContain(
        !o.ok && o.error.code,
      );
    }
  });

  it('does not call the cloud when the audit intent cannot be written', async () => {
    const cloud = memoryPipeline([review('7', 'Gate')]);
    const core = createCore({
      store: createMemoryStore(),
      providers: { pipelines: { yunxiao: cloud.provider } },
      policy,
      audit: {
        write: async () => {
          throw new Error('disk full');
        },
      },
      defaultYunxiaoOrganization: 'org1',
    });
    const out = await core.execute({ subject: 'cli:alice', text: `reject ${URL}` });
    expect(!out.ok && out.error.code).toBe('STORE.ERROR');
    expect(cloud.calls).toEqual(['getRun']);
  });

  it('turns every malformed input into a coded error, never a throw', async () => {
    const { core, cloud } = setup();
    for (const text of ['frobnicate', 'reject', 'reject nonsense', 'notify', 'reject "x', `pending ${URL} extra`]) {
      const out = await core.execute({ subject: 'cli:alice', text });
      expect(out.ok).toBe(false);
      expect(!out.ok && out.error.code).toMatch(/^INPUT\./);
    }
    expect(cloud.calls).toEqual([]);
  });
});
