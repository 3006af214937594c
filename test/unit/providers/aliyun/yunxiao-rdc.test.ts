import { afterEach, describe, expect, it } from 'vitest';
import type { OpsError } from '../../../../src/core/errors.js';
import type { ManualReview } from '../../../../src/core/ports.js';
import type { YunxiaoRunRef } from '../../../../src/core/targets.js';
import { createYunxiaoRdc } from '../../../../src/providers/aliyun/yunxiao-rdc.js';
import { createHttpClient, type HttpClient } from '../../../../src/net/http-client.js';
import { type Recorded, type Reply, startServer, type TestServer } from './yunxiao-test-server.js';

const TOKEN = 'pt-0123456789abcdefSECRETTOKEN';
const ref: YunxiaoRunRef = { cloud: 'yunxiao', pipelineId: '123', runId: '45' };
const review: ManualReview = { id: '777', jobId: '777', name: 'Manual check', status: 'waiting' };
const RUN = {
  pipelineRunId: 45,
  pipelineId: 123,
  status: 'RUNNING',
  stages: [
    {
      name: 'Deploy',
      stageInfo: {
        name: 'Deploy',
        jobs: [{ id: 777, name: 'Manual check', status: 'RUNNING', actions: [{ type: 'PassPipelineValidate' }] }],
      },
    },
  ],
};

let server: TestServer | undefined;
let http: HttpClient | undefined;

afterEach(async () => {
  await http?.close();
  await server?.close();
  http = undefined;
  server = undefined;
});

/** A peer that refuses any other token, like openapi-rdc. */
async function setup(script: (req: Recorded, i: number) => Reply, edition: 'cloud' | 'region' = 'cloud') {
  server = await startServer((req, i) =>
    req.headers['x-yunxiao-token'] === TOKEN
      ? script(req, i)
      : {
          status: 401,
          headers: { 'x-request-id': 'rid-401' },
          body: { errorCode: 'Unauthorized', errorMessage: 'invalid token' },
        },
  );
  http = createHttpClient({ sleep: async () => {}, retries: 1 });
  const provider = createYunxiaoRdc({
    http,
    endpoint: server.origin,
    token: TOKEN,
    defaultOrganizationId: 'org-1',
    edition,
  });
  return { provider, server };
}

describe('createYunxiaoRdc', () => {
  it('reads a run with the token header (cloud edition path)', async () => {
    const { provider, server } = await setup(() => ({ body: RUN }));
    const view = await provider.getRun(ref);
    expect(view.status).toBe('RUNNING');
    expect(view.reviews.map((r) => [r.id, r.status, r.stage])).toEqual([['777', 'waiting', 'Deploy']]);
    const [req] = server.requests;
    expect(req?.method).toBe('GET');
    expect(req?.url).toBe('/oapi/v1/flow/organizations/org-1/pipelines/123/runs/45');
    expect(req?.headers['x-yunxiao-token']).toBe(TOKEN);
    expect(req?.headers['x-acs-action']).toBeUndefined();
    expect(req?.headers.authorization).toBeUndefined();
  });

  it('drops /organizations/{org} in the region edition and needs no organization', async () => {
    server = await startServer((req) => ({ body: req.method === 'GET' ? RUN : true }));
    http = createHttpClient({ sleep: async () => {}, retries: 0 });
    const provider = createYunxiaoRdc({ http, endpoint: server.origin, token: TOKEN, edition: 'region' });
    await provider.getRun(ref);
    await provider.decide(ref, review, 'approve');
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /oapi/v1/flow/pipelines/123/runs/45',
      'POST /oapi/v1/flow/pipelines/123/pipelineRuns/45/jobs/777/pass',
    ]);
  });

  it.each([
    ['reject', 'refuse', true],
    ['approve', 'pass', { success: true }],
    ['reject', 'refuse', { result: true, requestId: 'body-id' }],
  ] as const)('%s → POST …/jobs/777/%s accepting %j', async (decision, verb, answer) => {
    const { provider, server } = await setup(() => ({ body: answer, headers: { 'x-request-id': 'rid-1' } }));
    const ack = await provider.decide({ ...ref, organizationId: 'from_url' }, review, decision);
    expect(ack.requestId).toBe(typeof answer === 'object' && 'requestId' in answer ? 'body-id' : 'rid-1');
    const [req] = server.requests;
    expect(req?.method).toBe('POST');
    expect(req?.url).toBe(`/oapi/v1/flow/organizations/from_url/pipelines/123/pipelineRuns/45/jobs/777/${verb}`);
    expect(req?.headers['x-yunxiao-token']).toBe(TOKEN);
  });

  it.each([false, {}, { success: 'yes' }, 'ok', null])(
    'treats the decision answer %j as PROVIDER.BAD_RESPONSE',
    async (answer) => {
      const { provider } = await setup(() => ({ body: answer === null ? 'null' : answer }));
      await expect(provider.decide(ref, review, 'reject')).rejects.toMatchObject({ code: 'PROVIDER.BAD_RESPONSE' });
    },
  );

  it('maps rdc error bodies with their request id', async () => {
    const { provider } = await setup(() => ({
      status: 404,
      headers: { 'x-request-id': 'rid-404' },
      body: { errorCode: 'NotFound', errorMessage: 'pipeline run not found', requestId: 'body-404' },
    }));
    await expect(provider.getRun(ref)).rejects.toMatchObject({
      code: 'PROVIDER.NOT_FOUND',
      meta: { provider: 'yunxiao', status: 404, providerCode: 'NotFound', requestId: 'body-404' },
    });
  });

  it('maps a refused token to PROVIDER.AUTH_FAILED and never shows the token', async () => {
    server = await startServer(() => ({
      status: 401,
      headers: { 'x-request-id': 'rid-401' },
      body: { errorCode: 'Unauthorized', errorMessage: `invalid token ${TOKEN}` },
    }));
    http = createHttpClient({ sleep: async () => {}, retries: 0 });
    const provider = createYunxiaoRdc({
      http,
      endpoint: server.origin,
      token: TOKEN,
      defaultOrganizationId: 'o',
      edition: 'cloud',
    });
    const err = (await provider.decide(ref, review, 'reject').catch((e: unknown) => e)) as OpsError;
    expect(err).toMatchObject({
      code: 'PROVIDER.AUTH_FAILED',
      meta: { providerCode: 'Unauthorized', requestId: 'rid-401' },
    });
    expect(JSON.stringify([err.toJSON(), err.message])).not.toContain(TOKEN);
  });

  it('needs an organization in the cloud edition', async () => {
    server = await startServer(() => ({ body: RUN }));
    http = createHttpClient({ retries: 0 });
    const provider = createYunxiaoRdc({ http, endpoint: server.origin, token: TOKEN, edition: 'cloud' });
    await expect(provider.getRun(ref)).rejects.toMatchObject({
      code: 'CONFIG.INVALID',
      meta: { variable: 'YUNXIAO_ORGANIZATION_ID' },
    });
    expect(server.requests).toHaveLength(0);
  });
});
