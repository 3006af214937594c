import { afterEach, describe, expect, it } from 'vitest';
import { createYunxiaoProvider, defaultYunxiaoEndpoint } from '../../../../src/providers/aliyun/index.js';
import { createHttpClient, type HttpClient } from '../../../../src/net/http-client.js';
import { startServer, type TestServer, verifyAcs3 } from './yunxiao-test-server.js';

let server: TestServer | undefined;
let http: HttpClient | undefined;

afterEach(async () => {
  await http?.close();
  await server?.close();
  http = undefined;
  server = undefined;
});

const RUN = { pipelineRunId: 45, status: 'SUCCESS', stages: [] };
const ref = { cloud: 'yunxiao', pipelineId: '123', runId: '45' } as const;

describe('createYunxiaoProvider', () => {
  it('knows the default endpoints', () => {
    expect(defaultYunxiaoEndpoint('devops')).toBe('https://devops.cn-hangzhou.aliyuncs.com');
    expect(defaultYunxiaoEndpoint('rdc')).toBe('https://openapi-rdc.aliyuncs.com');
  });

  it('builds the devops provider with the AccessKey pair and injected nonce', async () => {
    server = await startServer(() => ({ body: { success: true, pipelineRun: RUN } }));
    http = createHttpClient({ retries: 0 });
    const provider = createYunxiaoProvider(
      { api: 'devops', endpoint: server.origin, organizationId: 'org', accessKeyId: 'ak', accessKeySecret: 'sk' },
      { http, now: () => 0, nonce: () => 'fixed-nonce' },
    );
    expect(provider.cloud).toBe('yunxiao');
    expect((await provider.getRun(ref)).finished).toBe(true);
    const [req] = server.requests;
    expect(req?.url).toBe('/organization/org/pipelines/123/pipelineRuns/45');
    expect(req?.headers['x-acs-signature-nonce']).toBe('fixed-nonce');
    expect(req?.headers['x-acs-date']).toBe('1970-01-01T00:00:00Z');
    expect(verifyAcs3(req!, 'ak', 'sk')).toBe(true);
  });

  it('builds the rdc provider (region edition) with the token', async () => {
    server = await startServer(() => ({ body: RUN }));
    http = createHttpClient({ retries: 0 });
    const provider = createYunxiaoProvider(
      { api: 'rdc', endpoint: server.origin, token: 'pt-x', rdcEdition: 'region' },
      { http, now: Date.now },
    );
    await provider.getRun(ref);
    expect(server.requests[0]?.url).toBe('/oapi/v1/flow/pipelines/123/runs/45');
    expect(server.requests[0]?.headers['x-yunxiao-token']).toBe('pt-x');
  });

  it('names the missing variable', () => {
    const deps = { http: createHttpClient({ retries: 0 }), now: Date.now };
    http = deps.http;
    expect(() => createYunxiaoProvider({ api: 'devops', endpoint: 'x', accessKeyId: 'a' }, deps)).toThrowError(
      expect.objectContaining({ code: 'CONFIG.INVALID', meta: { variable: 'ALIYUN_ACCESS_KEY_SECRET' } }),
    );
    expect(() => createYunxiaoProvider({ api: 'rdc', endpoint: 'x' }, deps)).toThrowError(
      expect.objectContaining({ code: 'CONFIG.INVALID', meta: { variable: 'YUNXIAO_TOKEN' } }),
    );
    expect(() => createYunxiaoProvider({ api: 'rdc', endpoint: 'http://[bad', token: 't' }, deps)).toThrowError(
      expect.objectContaining({ code: 'CONFIG.INVALID', meta: { variable: 'YUNXIAO_ENDPOINT' } }),
    );
  });
});
