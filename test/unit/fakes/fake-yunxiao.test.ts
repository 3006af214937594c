import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeCloud, startFakeCloud } from '../../../src/fakes/cloud/fake-cloud.js';
import { acs3Signed, send } from './fake-client.js';

let clock = Date.UTC(2025, 0, 1, 8, 0, 0);
let cloud: FakeCloud;

beforeEach(async () => {
  clock = Date.UTC(2025, 0, 1, 8, 0, 0);
  cloud = await startFakeCloud({ now: () => clock });
});
afterEach(() => cloud.close());

function devopsRun(seed: { organizationId: string; pipelineId: string; runId: string }): string {
  return `/organization/${seed.organizationId}/pipelines/${seed.pipelineId}/pipelineRuns/${seed.runId}`;
}

describe('fake Yunxiao devops (ACS3)', () => {
  it('serves a hand-signed GetPipelineRun and RefusePipelineValidate, then the second-decision error', async () => {
    const run = cloud.yunxiao.addRun({ validators: ['bob'] });
    const target = devopsRun(run);
    const get = acs3Signed(cloud, {
      method: 'GET',
      target,
      body: '',
      action: 'GetPipelineRun',
      nonce: 'n1',
      at: clock,
    });
    const read = await send(cloud, 'GET', target, get);
    expect(read.status).toBe(200);
    expect(read.headers.get('x-acs-request-id')).toBe((read.json as { requestId: string }).requestId);
    const job = (read.json as { pipelineRun: { stages: Array<{ stageInfo: { jobs: unknown[] } }> } }).pipelineRun
      .stages[1]?.stageInfo.jobs[0];
    expect(job).toMatchObject({
      id: Number(run.jobs[0]?.jobId),
      status: 'RUNNING',
      actions: [{ type: 'PassPipelineValidate', disable: false, params: { validators: ['bob'] } }, {}],
    });

    const refuse = `${target}/jobs/${run.jobs[0]?.jobId}/refuse`;
    const sign = (nonce: string) =>
      acs3Signed(cloud, {
        method: 'POST',
        target: refuse,
        body: '',
        action: 'RefusePipelineValidate',
        nonce,
        at: clock,
      });
    const first = await send(cloud, 'POST', refuse, sign('n2'));
    expect(first.json).toMatchObject({ success: true, errorCode: '', errorMessage: '' });
    expect(cloud.yunxiao.run(run.runId).status).toBe('FAIL');
    expect(cloud.yunxiao.job(run.runId, run.jobs[0]?.jobId as string)).toEqual({ status: 'FAIL', waiting: false });
    const second = await send(cloud, 'POST', refuse, sign('n3'));
    expect(second.status).toBe(400);
    expect(second.json).toMatchObject({ success: false, errorCode: 'InvalidParam.ParamNotPresent' });
    expect(cloud.calls.map((c) => [c.action, c.auth, c.status])).toEqual([
      ['GetPipelineRun', 'acs3', 200],
      ['RefusePipelineValidate', 'acs3', 200],
      ['RefusePipelineValidate', 'acs3', 400],
    ]);
  });

  it('refuses a reused nonce, a stale date, a wrong signature and an unknown organization', async () => {
    const run = cloud.yunxiao.addRun();
    const target = devopsRun(run);
    const headers = acs3Signed(cloud, {
      method: 'GET',
      target,
      body: '',
      action: 'GetPipelineRun',
      nonce: 'x',
      at: clock,
    });
    expect((await send(cloud, 'GET', target, headers)).status).toBe(200);
    expect((await send(cloud, 'GET', target, headers)).json).toMatchObject({ Code: 'SignatureNonceUsed' });
    const old = acs3Signed(cloud, {
      method: 'GET',
      target,
      body: '',
      action: 'GetPipelineRun',
      nonce: 'y',
      at: clock - 16 * 60_000,
    });
    expect((await send(cloud, 'GET', target, old)).json).toMatchObject({ Code: 'InvalidTimeStamp.Expired' });
    const wrong = { ...headers, 'x-acs-signature-nonce': 'z' };
    expect((await send(cloud, 'GET', target, wrong)).json).toMatchObject({ Code: 'SignatureDoesNotMatch' });
    const other = devopsRun({ ...run, organizationId: 'nope' });
    const h = acs3Signed(cloud, {
      method: 'GET',
      target: other,
      body: '',
      action: 'GetPipelineRun',
      nonce: 'w',
      at: clock,
    });
    const missing = await send(cloud, 'GET', other, h);
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ errorCode: 'InvalidOrganization.NotFound' });
  });
});

describe('fake Yunxiao openapi-rdc (token)', () => {
  it('passes a job in the cloud edition and reads the run in the region edition', async () => {
    const run = cloud.yunxiao.addRun({ jobs: 2 });
    const token = { 'x-yunxiao-token': cloud.yunxiao.credentials.token };
    const org = `/oapi/v1/flow/organizations/${run.organizationId}`;
    const pass = `${org}/pipelines/${run.pipelineId}/pipelineRuns/${run.runId}/jobs/${run.jobs[0]?.jobId}/pass`;
    const ok = await send(cloud, 'POST', pass, token);
    expect(ok.json).toBe(true);
    expect(ok.headers.get('x-request-id')).toBeTruthy();
    const read = await send(cloud, 'GET', `/oapi/v1/flow/pipelines/${run.pipelineId}/runs/${run.runId}`, token);
    expect(read.json).toMatchObject({ pipelineRunId: Number(run.runId), status: 'RUNNING' });
    const again = await send(cloud, 'POST', pass, token);
    expect(again.status).toBe(400);
    expect(again.json).toMatchObject({ errorCode: 'InvalidParam.ParamNotPresent' });
    const bad = await send(cloud, 'POST', pass, { 'x-yunxiao-token': 'pt-wrong' });
    expect(bad.status).toBe(401);
    expect(bad.json).toMatchObject({ errorCode: 'Unauthorized', errorMessage: 'invalid token' });
  });
});
