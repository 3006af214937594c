import { afterEach, describe, expect, it } from 'vitest';
import type { OpsError } from '../../../../src/core/errors.js';
import type { Logger, ManualReview } from '../../../../src/core/ports.js';
import type { YunxiaoRunRef } from '../../../../src/core/targets.js';
import { createYunxiaoDevops } from '../../../../src/providers/aliyun/yunxiao-devops.js';
import { createHttpClient, type HttpClient } from '../../../../src/net/http-client.js';
import { type Recorded, type Reply, startServer, type TestServer, verifyAcs3 } from './yunxiao-test-server.js';

const AK = 'LTAI5tTestAccessKey';
const SECRET = 'TopSecretAccessKeySecretValue0123';
const RUN_PATH = '/organization/org-1/pipelines/123/pipelineRuns/45';
const ref: YunxiaoRunRef = { cloud: 'yunxiao', pipelineId: '123', runId: '45' };
const review: ManualReview = { id: '777', jobId: '777', name: 'Manual check', status: 'waiting' };

const RUN = {
  requestId: 'get-1',
  success: true,
  pipelineRun: {
    pipelineId: 123,
    pipelineRunId: 45,
    status: 'RUNNING',
    stages: [
      {
        index: '0',
        name: 'Deploy',
        stageInfo: {
          name: 'Deploy',
          jobs: [
            {
              id: 777,
              name: 'Manual check',
              status: 'RUNNING',
              actions: [
                { type: 'PassPipelineValidate', disable: false, params: { validators: ['alice'] } },
                { type: 'RefusePipelineValidate', disable: false },
              ],
            },
          ],
        },
      },
    ],
  },
};

let server: TestServer | undefined;
let http: HttpClient | undefined;
const logged: unknown[] = [];
const logger: Logger = {
  debug: (o, m) => logged.push(o, m),
  info: (o, m) => logged.push(o, m),
  warn: (o, m) => logged.push(o, m),
  error: (o, m) => logged.push(o, m),
  child: () => logger,
};

afterEach(async () => {
  await http?.close();
  await server?.close();
  http = undefined;
  server = undefined;
  logged.length = 0;
});

/** A peer that checks every signature like the gateway does, then answers with the script. */
async function setup(script: (req: Recorded, i: number) => Reply, org: string | null = 'org-1') {
  server = await startServer((req, i) =>
    verifyAcs3(req, AK, SECRET)
      ? script(req, i)
      : { status: 400, body: { RequestId: 'sig-bad', Code: 'SignatureDoesNotMatch', Message: 'bad signature' } },
  );
  http = createHttpClient({ sleep: async () => {}, retries: 2, logger });
  let clock = Date.UTC(2024, 5, 1, 8, 0, 0);
  let n = 0;
  const provider = createYunxiaoDevops({
    http,
    endpoint: server.origin,
    accessKeyId: AK,
    accessKeySecret: SECRET,
    ...(org ? { defaultOrganizationId: org } : {}),
    now: () => (clock += 1000),
    nonce: () => `nonce${++n}`,
    logger,
  });
  return { provider, server };
}

function noSecrets(err: unknown): void {
  const text = JSON.stringify([(err as OpsError).toJSON(), (err as Error).message, logged]);
  expect(text).not.toContain(SECRET);
  expect(text).not.toMatch(/Signature=[0-9a-f]{64}/);
}

describe('createYunxiaoDevops', () => {
  it('reads a run with a signed GetPipelineRun request', async () => {
    const { provider, server } = await setup(() => ({ body: RUN, headers: { 'x-acs-request-id': 'get-1' } }));
    const view = await provider.getRun(ref);
    expect(view.status).toBe('RUNNING');
    expect(view.reviews).toEqual([
      {
        id: '777',
        jobId: '777',
        kind: 'review',
        name: 'Manual check',
        stage: 'Deploy',
        status: 'waiting',
        rawStatus: 'RUNNING',
        approvers: ['alice'],
        settings: { approvers: ['alice'] },
      },
    ]);
    const [req] = server.requests;
    expect(req?.method).toBe('GET');
    expect(req?.url).toBe(RUN_PATH);
    expect(req?.headers['x-acs-action']).toBe('GetPipelineRun');
    expect(req?.headers['x-acs-version']).toBe('2021-06-25');
    expect(req?.headers['x-acs-date']).toBe('2024-06-01T08:00:01Z');
    expect(req?.headers['x-acs-signature-nonce']).toBe('nonce1');
    expect(req?.headers.host).toBe(new URL(server.origin).host);
  });

  it('uses the organization of the ref before the configured one', async () => {
    const { provider, server } = await setup(() => ({ body: RUN }));
    await provider.getRun({ ...ref, organizationId: 'from_url' });
    expect(server.requests[0]?.url).toBe('/organization/from_url/pipelines/123/pipelineRuns/45');
  });

  it.each([
    ['reject', 'refuse', 'RefusePipelineValidate'],
    ['approve', 'pass', 'PassPipelineValidate'],
  ] as const)('%s → POST …/jobs/777/%s signed as %s', async (decision, verb, action) => {
    const { provider, server } = await setup(() => ({
      body: { requestId: 'dec-1', success: true, errorCode: '', errorMessage: '' },
    }));
    expect(await provider.decide(ref, review, decision)).toEqual({ requestId: 'dec-1' });
    const [req] = server.requests;
    expect(req?.method).toBe('POST');
    expect(req?.url).toBe(`${RUN_PATH}/jobs/777/${verb}`);
    expect(req?.headers['x-acs-action']).toBe(action);
    expect(req?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(req?.body).toBe('{}');
    expect(String(req?.headers.authorization)).toContain('SignedHeaders=content-type;host;x-acs-action;');
  });

  it('signs each attempt afresh when a 503 is retried', async () => {
    const { provider, server } = await setup((_req, i) =>
      i === 0
        ? { status: 503, body: { RequestId: 'busy', Code: 'ServiceUnavailable' } }
        : { body: { requestId: 'ok', success: true } },
    );
    await provider.decide(ref, review, 'reject');
    expect(server.requests).toHaveLength(2);
    const [a, b] = server.requests;
    expect(a?.headers['x-acs-signature-nonce']).not.toBe(b?.headers['x-acs-signature-nonce']);
    expect(a?.headers['x-acs-date']).not.toBe(b?.headers['x-acs-date']);
    expect(a?.headers.authorization).not.toBe(b?.headers.authorization);
    expect(verifyAcs3(a as Recorded, AK, SECRET) && verifyAcs3(b as Recorded, AK, SECRET)).toBe(true);
  });

  it('reports PROVIDER.AMBIGUOUS when a gateway 504 hides the outcome of a decision (no blind retry)', async () => {
    const { provider, server } = await setup(() => ({ status: 504, body: 'gateway timeout' }));
    const err = await provider.decide(ref, review, 'reject').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PROVIDER.AMBIGUOUS' });
    expect(server.requests).toHaveLength(1);
    noSecrets(err);
  });

  it('maps a second decision (400 devops body) with its request id', async () => {
    const { provider } = await setup(() => ({
      status: 400,
      body: {
        requestId: 'dec-2',
        success: false,
        errorCode: 'InvalidParam.ParamNotPresent',
        errorMessage: 'job is not waiting for validation',
      },
    }));
    const err = await provider.decide(ref, review, 'approve').catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'PROVIDER.BAD_REQUEST',
      meta: { provider: 'yunxiao', status: 400, providerCode: 'InvalidParam.ParamNotPresent', requestId: 'dec-2' },
    });
    noSecrets(err);
  });

  it('maps a rejected signature to PROVIDER.AUTH_FAILED without leaking the secret', async () => {
    server = await startServer((req) => ({
      status: 400,
      headers: { 'x-acs-request-id': 'hdr-1' },
      // Gateways echo what they saw; the provider must not pass it on.
      body: { Code: 'SignatureDoesNotMatch', Message: `mismatch for ${String(req.headers.authorization)}` },
    }));
    http = createHttpClient({ sleep: async () => {}, retries: 0, logger });
    const provider = createYunxiaoDevops({
      http,
      endpoint: server.origin,
      accessKeyId: AK,
      accessKeySecret: SECRET,
      defaultOrganizationId: 'org-1',
      now: Date.now,
      logger,
    });
    const err = await provider.getRun(ref).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'PROVIDER.AUTH_FAILED',
      meta: { providerCode: 'SignatureDoesNotMatch', requestId: 'hdr-1' },
    });
    noSecrets(err);
    // The default nonce is a dashless UUID.
    expect(server.requests[0]?.headers['x-acs-signature-nonce']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('maps HTTP 200 with success:false and not-found answers', async () => {
    const { provider } = await setup((_req, i) =>
      i === 0
        ? { body: { requestId: 'x', success: false, errorCode: 'InvalidPipelineRun.NotFound', errorMessage: 'gone' } }
        : { status: 404, body: { requestId: 'y', success: false, errorCode: 'InvalidOrganization.NotFound' } },
    );
    await expect(provider.getRun(ref)).rejects.toMatchObject({ code: 'PROVIDER.NOT_FOUND', meta: { requestId: 'x' } });
    await expect(provider.getRun(ref)).rejects.toMatchObject({ code: 'PROVIDER.NOT_FOUND', meta: { requestId: 'y' } });
  });

  it('rejects answers it cannot read', async () => {
    const { provider } = await setup((_req, i) =>
      i === 0 ? { body: '<html>ok</html>' } : { body: { requestId: 'z' } },
    );
    await expect(provider.getRun(ref)).rejects.toMatchObject({ code: 'PROVIDER.BAD_RESPONSE' });
    await expect(provider.decide(ref, review, 'reject')).rejects.toMatchObject({ code: 'PROVIDER.BAD_RESPONSE' });
  });

  it('needs an organization and valid IDs before sending anything', async () => {
    const { provider, server } = await setup(() => ({ body: RUN }), null);
    await expect(provider.getRun(ref)).rejects.toMatchObject({
      code: 'CONFIG.INVALID',
      meta: { variable: 'YUNXIAO_ORGANIZATION_ID' },
    });
    await expect(provider.getRun({ ...ref, organizationId: '../x' })).rejects.toMatchObject({ code: 'INPUT.BAD_ID' });
    await expect(provider.getRun({ ...ref, organizationId: 'o', runId: '4/5' })).rejects.toMatchObject({
      code: 'INPUT.BAD_ID',
    });
    await expect(
      provider.decide({ ...ref, organizationId: 'o' }, { ...review, jobId: '7?x' }, 'reject'),
    ).rejects.toMatchObject({ code: 'INPUT.BAD_ID', meta: { field: 'job' } });
    expect(server.requests).toHaveLength(0);
  });
});
