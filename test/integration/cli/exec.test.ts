import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeCloud, startFakeCloud } from '../../fakes/fake-cloud.js';
import { runCli } from '../../support/cli.js';
import { cloudEnv, writePolicy } from '../../support/cloud-env.js';

let cloud: FakeCloud;
let policy: string;
beforeAll(async () => {
  cloud = await startFakeCloud();
  policy = writePolicy();
});
afterAll(() => cloud.close());

const decisions = () => cloud.calls.filter((c) => c.method === 'POST' && /\/(refuse|pass)$/.test(c.path));

describe.each([
  { huawei: 'aksk', yunxiao: 'devops' },
  { huawei: 'token', yunxiao: 'rdc' },
] as const)('opsgate exec against the fake cloud ($huawei, $yunxiao)', (modes) => {
  const env = () => ({ ...cloudEnv(cloud, modes), OPSGATE_POLICY: policy });

  it('rejects the waiting CodeArts review with a reason', async () => {
    const run = cloud.huawei.addRun({ reviews: ['Release approval'] });
    const out = await runCli(['exec', 'reject', run.url, 'smoke', 'tests', 'failed'], env());
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Rejected "Release approval"');
    expect(out.stdout).toContain('Reason: smoke tests failed');
    expect(cloud.huawei.review(run.runId, run.reviews[0]!.stepRunId).status).toBe('FAILED');
  });

  it('approves the waiting Yunxiao review, then a second approve says it is no longer waiting', async () => {
    const run = cloud.yunxiao.addRun({ jobs: ['Manual check'] });
    const out = await runCli(['exec', 'approve', run.url], env());
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Approved "Manual check"');
    expect(cloud.yunxiao.job(run.runId, run.jobs[0]!.jobId).status).toBe('SUCCESS');
    const before = decisions().length;
    const again = await runCli(['exec', 'approve', run.url], env());
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/REVIEW.NONE_WAITING|APPROVAL.ALREADY_DECIDED/);
    expect(decisions().length).toBe(before);
  });

  it('lists pending reviews, asks to choose between two, and --step picks one', async () => {
    const run = cloud.huawei.addRun({ reviews: ['Release approval', 'Security approval'] });
    const list = await runCli(['exec', 'pending', run.url], env());
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('Release approval');
    expect(list.stdout).toContain('Security approval');
    const ambiguous = await runCli(['exec', 'approve', run.url], env());
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toContain('REVIEW.CHOOSE_STEP');
    expect(ambiguous.stderr).toContain('Security approval');
    const picked = await runCli(['exec', 'approve', run.url, '--step', 'Security approval'], env());
    expect(picked.code).toBe(0);
    expect(cloud.huawei.review(run.runId, run.reviews[1]!.stepRunId).status).toBe('COMPLETED');
    expect(cloud.huawei.review(run.runId, run.reviews[0]!.stepRunId).status).toBe('RUNNING');
  });

  it('accepts explicit IDs for both clouds', async () => {
    const hw = cloud.huawei.addRun({ reviews: ['Gate'] });
    const r = hw.reviews[0]!;
    const out = await runCli(
      ['exec', 'approve', 'huawei', hw.projectId, hw.pipelineId, hw.runId, r.jobRunId, r.stepRunId],
      env(),
    );
    expect(out.code).toBe(0);
    const yx = cloud.yunxiao.addRun({ jobs: ['Gate'] });
    const out2 = await runCli(
      ['exec', 'reject', 'yunxiao', yx.organizationId, yx.pipelineId, yx.runId, yx.jobs[0]!.jobId, 'nope'],
      env(),
    );
    expect(out2.code).toBe(0);
    expect(cloud.yunxiao.job(yx.runId, yx.jobs[0]!.jobId).status).toBe('FAIL');
  });

  it('disables and updates a build notification and shows a check notification config', async () => {
    const job = cloud.huawei.addBuildJob();
    const off = await runCli(['exec', 'notify', 'disable', job, 'email'], env());
    expect(off.code).toBe(0);
    expect(off.stdout).toContain(`email notifications of build job ${job} are off`);
    const upd = await runCli(['exec', 'notify', 'update', job, 'dingtalk', 'buildJobSuccess,buildJobFail'], env());
    expect(upd.code).toBe(0);
    expect(upd.stdout).toContain('buildJobSuccess, buildJobFail');
    const cfg = cloud.huawei.setCheckConfig({ projectId: 'a'.repeat(32) });
    const show = await runCli(['exec', 'notify', 'show', 'project', 'a'.repeat(32)], env());
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('codeGateFailed');
    const tenant = await runCli(['exec', '--json', 'notify', 'show', 'tenant', cfg.domainId], env());
    expect(tenant.code).toBe(0);
    expect(JSON.parse(tenant.stdout)).toMatchObject({ ok: true, result: { kind: 'notice-config' } });
  });
});

describe('opsgate exec refusals', () => {
  const env = () => ({ ...cloudEnv(cloud), OPSGATE_POLICY: policy });

  it('denies a subject without a role, names the permission, and makes no cloud call', async () => {
    const run = cloud.huawei.addRun({ reviews: ['Gate'] });
    const before = cloud.calls.length;
    const out = await runCli(['exec', '--as', 'cli:mallory', 'reject', run.url], env());
    expect(out.code).toBe(4);
    expect(out.stderr).toContain('AUTH.DENIED');
    expect(out.stderr).toContain('review.reject');
    expect(cloud.calls.length).toBe(before);
  });

  it('answers malformed input of every kind with a coded message and no cloud call', async () => {
    const before = cloud.calls.length;
    const cases: Array<[string[], string]> = [
      [['rejcet', 'x'], 'INPUT.UNKNOWN_COMMAND'],
      [['reject'], 'INPUT.MISSING_ARGUMENT'],
      [['reject', 'huawei', 'short', 'b', 'c'], 'INPUT.BAD_ID'],
      [['pending', 'https://example.com/x'], 'INPUT.BAD_TARGET'],
      [['notify', 'disable', 'a'.repeat(32), 'carrier-pigeon'], 'INPUT.BAD_ARGUMENT'],
      [['notify', 'update', 'a'.repeat(32), 'email', 'ev', '--param-config', '{nope'], 'INPUT.BAD_ARGUMENT'],
      [['pending', 'yunxiao', 'org', '../1', '2'], 'INPUT.BAD_ID'],
    ];
    for (const [words, code] of cases) {
      const out = await runCli(['exec', ...words], env());
      expect(out.code, words.join(' ')).toBe(2);
      expect(out.stderr, words.join(' ')).toContain(code);
    }
    expect(cloud.calls.length).toBe(before);
  });

  it('says which variables enable a cloud that is not configured', async () => {
    const run = cloud.yunxiao.addRun({ jobs: ['Gate'] });
    const out = await runCli(['exec', 'pending', run.url], {
      ...cloudEnv(cloud, { yunxiao: 'off' }),
      OPSGATE_POLICY: policy,
    });
    expect(out.code).toBe(3);
    expect(out.stderr).toContain('ALIYUN_ACCESS_KEY_ID');
  });

  it('maps a cloud error to a coded, readable error with the request reference', async () => {
    const run = cloud.huawei.addRun({ reviews: ['Gate'] });
    cloud.inject({
      match: '/refuse',
      kind: 'status',
      status: 403,
      body: { error_code: 'DEVPIPE.00011403', error_msg: 'no permission' },
    });
    const out = await runCli(['exec', 'reject', run.url], env());
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('PROVIDER.FORBIDDEN');
    expect(out.stderr).toContain('DEVPIPE.00011403');
  });

  it('after a reset that applied the decision reports success without a second decision', async () => {
    const run = cloud.huawei.addRun({ reviews: ['Gate'] });
    cloud.inject({ match: '/pass', kind: 'reset', applyBeforeFailing: true });
    const before = decisions().length;
    const out = await runCli(['exec', 'approve', run.url], env());
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('confirmed');
    expect(decisions().length - before).toBe(1);
  });

  it('after a reset that did not apply reports an unknown outcome', async () => {
    const run = cloud.huawei.addRun({ reviews: ['Gate'] });
    cloud.inject({ match: '/pass', kind: 'reset' });
    const out = await runCli(['exec', 'approve', run.url], env());
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('OUTCOME.UNKNOWN');
    expect(cloud.huawei.review(run.runId, run.reviews[0]!.stepRunId).status).toBe('RUNNING');
  });
});

describe('opsgate check-config and policy explain', () => {
  it('prints what is enabled without any secret', async () => {
    const env = { ...cloudEnv(cloud), OPSGATE_POLICY: policy };
    const out = await runCli(['check-config'], env);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('huawei: enabled');
    expect(out.stdout).toContain('yunxiao: enabled');
    for (const secret of [cloud.huawei.credentials.sk, cloud.yunxiao.credentials.accessKeySecret]) {
      expect(out.stdout + out.stderr).not.toContain(secret);
    }
  });

  it('names a bad key and never echoes its value', async () => {
    const out = await runCli(['check-config'], { HUAWEI_AUTH: 'aksk', HUAWEI_AK: 'AKVALUE', HUAWEI_SK: 'SUPERSECRET' });
    expect(out.code).toBe(3);
    expect(out.stderr).toContain('HUAWEI_PROJECT_ID');
    expect(out.stderr).not.toContain('SUPERSECRET');
    const region = await runCli(['check-config'], { HUAWEI_REGION: 'mars', HUAWEI_AUTH: 'token' });
    expect(region.stderr).toContain('HUAWEI_REGION');
  });

  it('explains allow and deny decisions', async () => {
    const env = { ...cloudEnv(cloud), OPSGATE_POLICY: policy };
    const run = cloud.huawei.addRun({ reviews: ['Gate'] });
    const allow = await runCli(['policy', 'explain', '--as', 'slack:UALICE', 'reject', run.url], env);
    expect(allow.code).toBe(0);
    expect(allow.stdout).toContain('ALLOW slack:UALICE review.reject');
    const deny = await runCli(['policy', 'explain', '--as', 'slack:UBOB', 'approve', run.url], env);
    expect(deny.code).toBe(4);
    expect(deny.stdout).toContain('DENY');
    expect(deny.stdout).toContain('no role');
  });
});

describe('check-config covers the bot settings too', () => {
  it('reports Slack, DingTalk, store and webhook without secrets, and names a bad Slack key', async () => {
    const env = {
      ...cloudEnv(cloud),
      SLACK_BOT_TOKEN: 'xoxb-secret-token-value',
      SLACK_SIGNING_SECRET: 'signing-secret-value',
      OPSGATE_STORE: 'redis://:hunter2@redis.internal:6379/0',
    };
    const out = await runCli(['check-config'], env);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('slack: enabled (HTTP, POST /slack/events)');
    expect(out.stdout).toContain('dingtalk: disabled');
    expect(out.stdout).toContain('redis://***@redis.internal');
    expect(out.stdout + out.stderr).not.toMatch(/xoxb-secret|signing-secret-value|hunter2/);
    const bad = await runCli(['check-config'], { SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('SLACK_SIGNING_SECRET');
  });
});
