import { afterEach, describe, expect, it } from 'vitest';
import type { OpsError } from '../../../../src/core/errors.js';
import type { ManualReview } from '../../../../src/core/ports.js';
import type { HuaweiRunRef } from '../../../../src/core/targets.js';
import { type HuaweiEnv, SECRETS, startHuaweiEnv } from './env.js';
import { ID, type Recorded } from './helpers.js';

const ref: HuaweiRunRef = { cloud: 'huawei', projectId: ID.project, pipelineId: ID.pipeline, runId: ID.run };
const BASE = `/v5/${ID.project}/api/pipelines/${ID.pipeline}/pipeline-runs`;

function runDetail(overrides: Record<string, unknown> = {}) {
  return {
    id: ID.run,
    pipeline_id: ID.pipeline,
    name: 'deploy-prod',
    status: 'RUNNING',
    run_number: 42,
    start_time: 1735718400000,
    end_time: null,
    unknown_field: { kept: false },
    stages: [
      {
        id: 's1',
        name: 'Build',
        sequence: '0',
        status: 'COMPLETED',
        jobs: [
          {
            id: 'j0',
            name: 'compile',
            status: 'COMPLETED',
            steps: [
              { id: 'x1', name: 'mvn', task: 'official_maven_build', business_type: 'Build', status: 'COMPLETED' },
            ],
          },
        ],
      },
      {
        id: 's2',
        name: 'Approve',
        sequence: '1',
        status: 'RUNNING',
        jobs: [
          {
            id: ID.job,
            name: 'Release gate',
            status: 'RUNNING',
            steps: [
              {
                id: ID.step,
                name: 'Manual review',
                task: 'official_devcloud_checkpoint',
                business_type: 'Normal',
                status: 'RUNNING',
              },
            ],
          },
          {
            id: ID.job2,
            name: 'Security sign-off',
            status: 'COMPLETED',
            steps: [{ id: ID.step2, name: '', task: 'official_devcloud_checkpoint', status: 'COMPLETED' }],
          },
        ],
      },
    ],
    ...overrides,
  };
}

describe('Huawei pipeline provider', () => {
  let env: HuaweiEnv;
  afterEach(async () => env.close());

  function serveDetail(body: unknown = runDetail()) {
    env.routes.push((rec) =>
      rec.method === 'GET' && rec.path === `${BASE}/detail` ? { status: 200, json: body } : undefined,
    );
  }

  function serveDecisions(replies: Record<string, { status: number; json: unknown }> = {}) {
    env.routes.push((rec) => {
      if (rec.method !== 'POST' || !rec.path.startsWith(`${BASE}/`)) return undefined;
      const action = rec.path.split('/').pop() ?? '';
      return replies[action] ?? { status: 200, json: { success: true } };
    });
  }

  it('reads a run: manual-review steps become reviews (token mode)', async () => {
    env = await startHuaweiEnv('token');
    serveDetail();
    const run = await env.providers.pipeline.getRun(ref);
    expect(run).toEqual({
      ref,
      name: 'deploy-prod',
      status: 'RUNNING',
      finished: false,
      runNumber: 42,
      reviews: [
        {
          id: ID.step,
          jobId: ID.job,
          kind: 'review',
          name: 'Manual review',
          stage: 'Approve',
          status: 'waiting',
          rawStatus: 'RUNNING',
        },
        {
          id: ID.step2,
          jobId: ID.job2,
          kind: 'review',
          name: 'Security sign-off',
          stage: 'Approve',
          status: 'approved',
          rawStatus: 'COMPLETED',
        },
      ],
      evidence: {
        startedAt: 1735718400000,
        url: `https://devcloud.cn-north-4.huaweicloud.com/cicd/project/${ID.project}/pipeline/detail/${ID.pipeline}/${ID.run}?v=1`,
      },
    });
    const rec = env.serviceRequests[0]!;
    expect(rec.path).toBe(`${BASE}/detail`);
    expect(rec.query.get('pipeline_run_id')).toBe(ID.run);
    expect(rec.headers['x-auth-token']).toMatch(/^tok-1-/);
    expect(rec.headers.authorization).toBeUndefined();
    expect(env.providers.pipeline.cloud).toBe('huawei');
  });

  it('reports finished runs and rejected reviews', async () => {
    env = await startHuaweiEnv('token');
    const detail = runDetail({ status: 'FAILED', run_number: '7' });
    detail.stages[1]!.jobs[0]!.steps[0]!.status = 'FAILED';
    serveDetail(detail);
    const run = await env.providers.pipeline.getRun(ref);
    expect(run.finished).toBe(true);
    expect(run.runNumber).toBe(7);
    expect(run.reviews[0]).toMatchObject({ id: ID.step, status: 'rejected' });
  });

  it('tolerates missing stages/jobs/steps and ignores non-review steps', async () => {
    env = await startHuaweiEnv('token');
    serveDetail({
      id: ID.run,
      status: 'RUNNING',
      stages: [{ name: 'a' }, { name: 'b', jobs: [{ id: 'j', steps: null }] }],
    });
    const run = await env.providers.pipeline.getRun(ref);
    expect(run).toMatchObject({ ref, status: 'RUNNING', finished: false, reviews: [] });
  });

  it('rejects an unparsable 2xx as PROVIDER.BAD_RESPONSE', async () => {
    env = await startHuaweiEnv('token');
    env.routes.push(() => ({ status: 200, text: '<html>gateway</html>' }));
    await expect(env.providers.pipeline.getRun(ref)).rejects.toMatchObject({
      code: 'PROVIDER.BAD_RESPONSE',
      meta: { provider: 'huawei', requestId: expect.stringMatching(/^req-/) },
    });
  });

  it('signs with AK/SK: Authorization, X-Sdk-Date, X-Project-Id, X-Security-Token (verified by the SDK signer)', async () => {
    env = await startHuaweiEnv('aksk');
    serveDetail();
    serveDecisions();
    const run = await env.providers.pipeline.getRun(ref);
    await env.providers.pipeline.decide(ref, run.reviews[0]!, 'approve');
    expect(env.serviceRequests).toHaveLength(2);
    for (const rec of env.serviceRequests) {
      expect(rec.headers.authorization).toMatch(
        new RegExp(`^SDK-HMAC-SHA256 Access=${SECRETS.ak}, SignedHeaders=[a-z;-]+, Signature=[0-9a-f]{64}$`),
      );
      const signed = /SignedHeaders=([^,]+)/.exec(String(rec.headers.authorization))![1]!.split(';');
      expect(signed).toEqual(expect.arrayContaining(['host', 'x-sdk-date', 'x-project-id', 'x-security-token']));
      expect(rec.headers['x-sdk-date']).toBe('20250101T080000Z');
      expect(rec.headers['x-project-id']).toBe(SECRETS.iamProjectId);
      expect(rec.headers['x-security-token']).toBe(SECRETS.securityToken);
      expect(rec.headers['x-auth-token']).toBeUndefined();
    }
    expect(env.iam.issued).toBe(0);
  });

  it.each([
    ['approve', 'pass'],
    ['reject', 'refuse'],
  ] as const)('decide %s → POST …/steps/{step}/%s and returns the request id', async (decision, action) => {
    env = await startHuaweiEnv('token');
    serveDetail();
    serveDecisions();
    const run = await env.providers.pipeline.getRun(ref);
    const ack = await env.providers.pipeline.decide(ref, run.reviews[0]!, decision);
    const rec = env.serviceRequests.at(-1)!;
    expect(rec.method).toBe('POST');
    expect(rec.path).toBe(`${BASE}/${ID.run}/jobs/${ID.job}/steps/${ID.step}/${action}`);
    expect(rec.body).toBe('');
    expect(ack).toEqual({ requestId: 'req-3' });
  });

  it('a decide answer without success:true is PROVIDER.BAD_RESPONSE', async () => {
    env = await startHuaweiEnv('token');
    serveDecisions({ pass: { status: 200, json: { success: false } } });
    await expect(env.providers.pipeline.decide(ref, review(), 'approve')).rejects.toMatchObject({
      code: 'PROVIDER.BAD_RESPONSE',
    });
  });

  it.each([
    [400, 'DEVPIPE.00011104', 'PROVIDER.BAD_REQUEST'],
    [403, 'DEVPIPE.00011403', 'PROVIDER.FORBIDDEN'],
    [404, 'DEVPIPE.00011401', 'PROVIDER.NOT_FOUND'],
    // Queued because of the concurrency limit (terraform resource_huaweicloud_codearts_pipeline_action.go): not "not found".
    [404, 'DEVPIPE.00011169', 'PROVIDER.QUEUED'],
    [200, 'DEVPIPE.00011170', 'PROVIDER.QUEUED'],
    // HTTP 200 with an error body (terraform codeartspipeline/common.go checkResponseError).
    [200, 'DEVPIPE.00011104', 'PROVIDER.ERROR'],
    [409, 'DEVPIPE.00011409', 'PROVIDER.CONFLICT'],
    [429, 'APIGW.0308', 'PROVIDER.RATE_LIMITED'],
    [500, 'DEVPIPE.00010500', 'PROVIDER.UNAVAILABLE'],
    [503, 'APIGW.0503', 'PROVIDER.UNAVAILABLE'],
    [418, 'X.418', 'PROVIDER.ERROR'],
  ])('maps HTTP %i (%s) to %s with provider code, message and request id', async (status, providerCode, code) => {
    env = await startHuaweiEnv('token');
    serveDecisions({
      refuse: {
        status,
        json: { error_code: providerCode, error_msg: 'The manual review has already been processed.' },
      },
    });
    const err = (await env.providers.pipeline.decide(ref, review(), 'reject').catch((e: unknown) => e)) as OpsError;
    expect(err.code).toBe(code);
    expect(err.meta).toMatchObject({
      provider: 'huawei',
      status,
      providerCode,
      providerMessage: 'The manual review has already been processed.',
      requestId: expect.stringMatching(/^req-\d+$/),
    });
  });

  it('truncates long provider messages', async () => {
    env = await startHuaweiEnv('token');
    serveDecisions({ pass: { status: 400, json: { error_code: 'E', error_msg: 'y'.repeat(5000) } } });
    const err = (await env.providers.pipeline.decide(ref, review(), 'approve').catch((e: unknown) => e)) as OpsError;
    expect(String(err.meta.providerMessage).length).toBeLessThanOrEqual(301);
    expect(err.message.length).toBeLessThan(400);
  });

  it('on a 401 in token mode: fetches a new token and retries exactly once', async () => {
    env = await startHuaweiEnv('token');
    serveDecisions();
    await env.providers.pipeline.getRun(ref).catch(() => undefined); // warms the token cache
    env.rejectNextServiceCalls.count = 1;
    await expect(env.providers.pipeline.decide(ref, review(), 'approve')).resolves.toEqual({
      requestId: expect.any(String),
    });
    expect(env.iam.issued).toBe(2);
    const decisions = env.serviceRequests.filter((r: Recorded) => r.method === 'POST');
    expect(decisions).toHaveLength(2);
    expect(decisions[0]!.headers['x-auth-token']).not.toBe(decisions[1]!.headers['x-auth-token']);
  });

  it('a second 401 is PROVIDER.AUTH_FAILED (no loop)', async () => {
    env = await startHuaweiEnv('token');
    serveDecisions();
    env.rejectNextServiceCalls.count = 5;
    const err = (await env.providers.pipeline.decide(ref, review(), 'approve').catch((e: unknown) => e)) as OpsError;
    expect(err.code).toBe('PROVIDER.AUTH_FAILED');
    expect(err.meta).toMatchObject({ providerCode: 'APIGW.0307', status: 401 });
    expect(env.serviceRequests).toHaveLength(2);
    expect(env.iam.issued).toBe(2);
  });

  it('the fake gateway refuses a signature made with the wrong SK', async () => {
    env = await startHuaweiEnv('aksk', { sk: 'not-the-right-secret' });
    serveDetail();
    await expect(env.providers.pipeline.getRun(ref)).rejects.toMatchObject({
      code: 'PROVIDER.AUTH_FAILED',
      meta: { providerCode: 'APIGW.0301' },
    });
  });

  it('does not retry a 401 in AK/SK mode', async () => {
    env = await startHuaweiEnv('aksk');
    env.rejectNextServiceCalls.count = 5;
    await expect(env.providers.pipeline.getRun(ref)).rejects.toMatchObject({ code: 'PROVIDER.AUTH_FAILED' });
    expect(env.serviceRequests).toHaveLength(1);
  });

  it('validates every id before building a path (no request sent)', async () => {
    env = await startHuaweiEnv('token');
    await expect(env.providers.pipeline.getRun({ ...ref, runId: '../../x' })).rejects.toMatchObject({
      code: 'INPUT.BAD_ID',
    });
    await expect(env.providers.pipeline.decide(ref, { ...review(), jobId: 'a/b' }, 'approve')).rejects.toMatchObject({
      code: 'INPUT.BAD_ID',
      meta: { field: 'job-run' },
    });
    await expect(env.providers.pipeline.decide(ref, { ...review(), id: '%2e%2e' }, 'reject')).rejects.toMatchObject({
      code: 'INPUT.BAD_ID',
      meta: { field: 'step-run' },
    });
    await expect(
      env.providers.pipeline.getRun({ cloud: 'yunxiao', pipelineId: '1', runId: '2' }),
    ).rejects.toMatchObject({ code: 'INPUT.BAD_TARGET' });
    expect(env.fake.requests).toHaveLength(0);
  });
});

function review(): ManualReview {
  return { id: ID.step, jobId: ID.job, name: 'Manual review', status: 'waiting' };
}
