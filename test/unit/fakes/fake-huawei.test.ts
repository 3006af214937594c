import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeCloud, startFakeCloud } from '../../../src/fakes/cloud/fake-cloud.js';
import { seedDemo } from '../../../src/fakes/cloud/seed.js';
import { huaweiSigned, iamToken, send } from './fake-client.js';

let clock = Date.UTC(2025, 0, 1, 8, 0, 0);
let cloud: FakeCloud;

beforeEach(async () => {
  clock = Date.UTC(2025, 0, 1, 8, 0, 0);
  cloud = await startFakeCloud({ huawei: { tokenTtlMs: 60_000 }, now: () => clock });
});
afterEach(() => cloud.close());

function runPath(seed: { projectId: string; pipelineId: string; runId: string }): string {
  return `/v5/${seed.projectId}/api/pipelines/${seed.pipelineId}/pipeline-runs`;
}

describe('fake Huawei: IAM token and manual reviews', () => {
  it('issues a token, accepts a refuse with it, then answers the documented second-decision error', async () => {
    const run = cloud.huawei.addRun();
    const token = await iamToken(cloud);
    expect(token.status).toBe(201);
    expect(token.json).toMatchObject({ token: { expires_at: new Date(clock + 60_000).toISOString() } });
    const auth = { 'x-auth-token': token.headers.get('x-subject-token') as string };
    const review = run.reviews[0]!;
    const refuse = `${runPath(run)}/${run.runId}/jobs/${review.jobRunId}/steps/${review.stepRunId}/refuse`;

    const first = await send(cloud, 'POST', refuse, auth);
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ success: true });
    expect(first.headers.get('x-request-id')).toBeTruthy();
    expect(cloud.huawei.review(run.runId, review.stepRunId)).toEqual({ status: 'FAILED', postponed: 0 });
    expect(cloud.huawei.run(run.runId).status).toBe('FAILED');

    const second = await send(cloud, 'POST', refuse, auth);
    expect(second.status).toBe(400);
    expect(second.json).toMatchObject({ error_code: 'DEVPIPE.00011104' });
    expect(cloud.iamTokenRequests).toBe(1);
    expect(cloud.calls.map((c) => [c.service, c.action, c.auth, c.status])).toEqual([
      ['iam', 'token', 'none', 201],
      ['pipeline', 'refuse', 'token', 200],
      ['pipeline', 'refuse', 'token', 400],
    ]);
  });

  it('refuses bad passwords, unknown and expired tokens', async () => {
    expect((await iamToken(cloud, 'wrong')).status).toBe(401);
    const run = cloud.huawei.addRun();
    const detail = `${runPath(run)}/detail?pipeline_run_id=${run.runId}`;
    expect((await send(cloud, 'GET', detail, { 'x-auth-token': 'nope' })).json).toMatchObject({
      error_code: 'APIGW.0307',
    });
    const token = (await iamToken(cloud)).headers.get('x-subject-token') as string;
    expect((await send(cloud, 'GET', detail, { 'x-auth-token': token })).status).toBe(200);
    clock += 60_000;
    const expired = await send(cloud, 'GET', detail, { 'x-auth-token': token });
    expect(expired.status).toBe(401);
    expect(expired.json).toEqual({ error_code: 'APIGW.0307', error_msg: 'The token must be updated.' });
  });

  it('passes two reviews with AK/SK: RUNNING → RUNNING → COMPLETED', async () => {
    const run = cloud.huawei.addRun({ reviews: 2 });
    const detail = `${runPath(run)}/detail?pipeline_run_id=${run.runId}`;
    const read = await send(cloud, 'GET', detail, huaweiSigned(cloud, 'GET', detail, '', clock));
    expect(read.status).toBe(200);
    const body = read.json as { status: string; stages: Array<{ jobs: Array<{ steps: Array<{ task: string }> }> }> };
    expect(body.status).toBe('RUNNING');
    expect(body.stages[1]?.jobs[0]?.steps[0]?.task).toBe('official_devcloud_checkpoint');
    const statuses: string[] = [];
    for (const review of run.reviews) {
      const pass = `${runPath(run)}/${run.runId}/jobs/${review.jobRunId}/steps/${review.stepRunId}/pass`;
      expect((await send(cloud, 'POST', pass, huaweiSigned(cloud, 'POST', pass, '', clock))).status).toBe(200);
      statuses.push(cloud.huawei.run(run.runId).status);
    }
    expect(statuses).toEqual(['RUNNING', 'COMPLETED']);
    expect(cloud.calls.every((c) => c.auth === 'aksk')).toBe(true);
  });

  it('refuses a bad AK/SK signature, a stale date and a missing X-Project-Id', async () => {
    const run = cloud.huawei.addRun();
    const detail = `${runPath(run)}/detail`;
    const signed = huaweiSigned(cloud, 'GET', detail, '', clock);
    const tampered = await send(cloud, 'GET', `${detail}?x=1`, signed);
    expect(tampered.status).toBe(401);
    expect(tampered.json).toMatchObject({
      error_code: 'APIGW.0301',
      error_msg: 'Incorrect IAM authentication information: verify aksk signature fail',
    });
    clock += 16 * 60_000;
    expect((await send(cloud, 'GET', detail, signed)).status).toBe(401);
    const { 'x-project-id': _, ...noProject } = huaweiSigned(cloud, 'GET', detail, '', clock);
    expect((await send(cloud, 'GET', detail, noProject)).status).toBe(401);
    expect((await send(cloud, 'GET', detail, huaweiSigned(cloud, 'GET', detail, '', clock))).status).toBe(200);
  });

  it('answers 404 for unknown runs and APIs', async () => {
    const token = (await iamToken(cloud)).headers.get('x-subject-token') as string;
    const missing = `/v5/${'a'.repeat(32)}/api/pipelines/${'b'.repeat(32)}/pipeline-runs/detail`;
    expect((await send(cloud, 'GET', missing, { 'x-auth-token': token })).json).toMatchObject({
      error_code: 'DEVPIPE.00011401',
    });
    expect((await send(cloud, 'GET', '/v5/x/nothing', { 'x-auth-token': token })).json).toMatchObject({
      error_code: 'APIGW.0101',
    });
  });
});

describe('fake Huawei: Build and Check notifications', () => {
  it('disables and updates build notices in both spellings and serves the check config', async () => {
    const demo = seedDemo(cloud);
    const auth = { 'x-auth-token': (await iamToken(cloud)).headers.get('x-subject-token') as string };
    const job = demo.buildJobId;
    const disabled = await send(cloud, 'POST', `/v3/jobs/notice/${job}/disable?notice_type=email`, auth);
    expect(disabled.json).toEqual({ result: { job_id: job }, error: null, status: 'success' });
    const json = { ...auth, 'content-type': 'application/json' };
    // Without send_switch an update leaves sending as it was (off); with send_switch "true" it switches it on.
    const quiet = JSON.stringify({ notice_type: 'WECOM', enabled_event_type_names: ['buildJobFail'] });
    expect((await send(cloud, 'POST', `/v3/jobs/notice/${job}/update`, json, quiet)).status).toBe(200);
    expect(cloud.huawei.buildJob(job).notices.WECOM.enabled).toBe(false);
    const update = JSON.stringify({
      notice_type: 'WECOM',
      enabled_event_type_names: ['buildJobFail'],
      send_switch: 'true',
      use_project_notice: 'false',
    });
    expect((await send(cloud, 'POST', `/v3/jobs/notice/${job}/update`, json, update)).status).toBe(200);
    const state = cloud.huawei.buildJob(job);
    expect(state.notices.MAIL.enabled).toBe(false);
    expect(state.notices.WECOM).toEqual({ enabled: true, events: ['buildJobFail'], useProjectNotice: 'false' });
    expect(state.history.map((h) => h.spelling)).toEqual(['legacy', 'current', 'current']);
    const listed = await send(cloud, 'GET', `/v3/jobs/notice/${job}/query`, auth);
    expect(listed.json).toMatchObject({ status: 'success', error: null });
    const wecom = (
      listed.json as { result: Array<{ notice_type: string; enable_map: Record<string, boolean> }> }
    ).result.find((r) => r.notice_type === 'WECOM');
    expect(wecom?.enable_map).toMatchObject({ buildJobFail: true, buildJobSuccess: false, deleteJob: false });
    expect((await send(cloud, 'POST', `/v3/jobs/notice/${'c'.repeat(32)}/disable?notice_type=MAIL`, auth)).status).toBe(
      404,
    );

    const q = `is_check_project=1&project_id=${demo.check.projectId}&domain_id=${demo.check.domainId}`;
    const check = await send(cloud, 'GET', `/v2/transmission/notification?${q}`, auth);
    expect(check.json).toMatchObject({
      httpStatus: 'OK',
      status: 'success',
      result: { codeGateFailed: { sendMail: 1 } },
    });
    const bad = await send(cloud, 'GET', '/v2/transmission/notification?project_id=x', auth);
    expect(bad.json).toMatchObject({ error_code: 'CC.00000001.400' });
  });

  it('seeds the demo runs with the documented URLs', () => {
    const demo = seedDemo(cloud);
    expect(demo.huaweiSingle.reviews).toHaveLength(1);
    expect(demo.huaweiDouble.reviews.map((r) => r.name)).toEqual(['Release approval', 'Security approval']);
    expect(demo.huaweiSingle.url).toMatch(
      /^https:\/\/devcloud\.cn-north-4\.huaweicloud\.com\/cicd\/project\/[0-9a-f]{32}\/pipeline\/detail\/[0-9a-f]{32}\/[0-9a-f]{32}\?v=1$/,
    );
    expect(demo.yunxiao.url).toBe(
      `https://flow.aliyun.com/pipelines/${demo.yunxiao.pipelineId}/builds/${demo.yunxiao.runId}?organizationId=${demo.yunxiao.organizationId}`,
    );
  });
});
