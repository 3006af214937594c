import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeCloud, startFakeCloud } from '../../../src/fakes/cloud/fake-cloud.js';
import { createHttpClient } from '../../../src/net/http-client.js';
import { send } from './fake-client.js';

let cloud: FakeCloud;
let pass: string;
let seed: { runId: string; jobId: string };
let token: Record<string, string>;

beforeEach(async () => {
  cloud = await startFakeCloud();
  const run = cloud.yunxiao.addRun();
  const jobId = run.jobs[0]?.jobId as string;
  seed = { runId: run.runId, jobId };
  pass = `/oapi/v1/flow/organizations/${run.organizationId}/pipelines/${run.pipelineId}/pipelineRuns/${run.runId}/jobs/${jobId}/pass`;
  token = { 'x-yunxiao-token': cloud.yunxiao.credentials.token };
});
afterEach(() => cloud.close());

const waiting = () => cloud.yunxiao.job(seed.runId, seed.jobId).waiting;

describe('fake cloud faults', () => {
  it('status: answers the injected status, body and Retry-After `times` times, applying nothing', async () => {
    cloud.inject({ match: /\/pass$/, kind: 'status', status: 503, retryAfter: '2', body: { busy: true }, times: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await send(cloud, 'POST', pass, token);
      expect([res.status, res.headers.get('retry-after'), res.json]).toEqual([503, '2', { busy: true }]);
      expect(waiting()).toBe(true);
    }
    expect((await send(cloud, 'POST', pass, token)).status).toBe(200);
    expect(cloud.calls.map((c) => c.fault ?? '-')).toEqual(['status', 'status', '-']);
  });

  it('status with applyBeforeFailing: the decision is applied, the caller sees 502', async () => {
    cloud.inject({ match: 'POST ', kind: 'status', status: 502, applyBeforeFailing: true });
    expect((await send(cloud, 'POST', pass, token)).status).toBe(502);
    expect(waiting()).toBe(false);
  });

  it('reset: the socket dies after the request arrived, with or without the decision applied', async () => {
    cloud.inject({ match: '/pass', kind: 'reset' });
    await expect(send(cloud, 'POST', pass, token)).rejects.toThrow();
    expect(waiting()).toBe(true);
    cloud.inject({ match: '/pass', kind: 'reset', applyBeforeFailing: true });
    await expect(send(cloud, 'POST', pass, token)).rejects.toThrow();
    expect(waiting()).toBe(false);
    expect(cloud.calls.map((c) => [c.fault, c.status])).toEqual([
      ['reset', 0],
      ['reset', 0],
    ]);
  });

  it('reset reaches the product HTTP client as PROVIDER.AMBIGUOUS; a 503 is retried', async () => {
    const client = createHttpClient({ sleep: async () => {}, retries: 2 });
    const req = {
      origin: cloud.url,
      method: 'POST' as const,
      path: pass,
      headers: token,
      idempotent: false,
      label: 't',
    };
    try {
      cloud.inject({ kind: 'reset', applyBeforeFailing: true });
      await expect(client.request(req)).rejects.toMatchObject({ code: 'PROVIDER.AMBIGUOUS' });
      cloud.inject({ kind: 'status', status: 503, retryAfter: '0' });
      const res = await client.request(req);
      expect([res.status, res.json]).toEqual([
        400,
        expect.objectContaining({ errorCode: 'InvalidParam.ParamNotPresent' }),
      ]);
    } finally {
      await client.close();
    }
  });

  it('latency and base latency delay but still answer; clearFaults drops pending faults', async () => {
    cloud.setLatency(5);
    cloud.inject({ kind: 'latency', ms: 20 });
    expect((await send(cloud, 'POST', pass, token)).status).toBe(200);
    cloud.inject({ kind: 'status', status: 500, times: Number.POSITIVE_INFINITY });
    cloud.clearFaults();
    expect((await send(cloud, 'POST', pass, token)).status).toBe(400);
    expect(cloud.calls.map((c) => c.fault ?? '-')).toEqual(['latency', '-']);
  });

  it('timeout: the request hangs until close(), which ends the socket and resolves', async () => {
    cloud.inject({ kind: 'timeout', applyBeforeFailing: true });
    const hanging = send(cloud, 'POST', pass, token).then(
      () => 'answered',
      () => 'failed',
    );
    await expect.poll(() => cloud.calls.length, { timeout: 2_000, interval: 5 }).toBeGreaterThan(0);
    expect(cloud.calls).toHaveLength(1);
    expect(waiting()).toBe(false);
    await cloud.close();
    expect(await hanging).toBe('failed');
    expect(cloud.calls[0]).toMatchObject({ fault: 'timeout', status: 0 });
  });
});
