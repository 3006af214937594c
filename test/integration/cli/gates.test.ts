import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeCloud, startFakeCloud } from '../../fakes/fake-cloud.js';
import { runCli } from '../../support/cli.js';
import { cloudEnv, writePolicy } from '../../support/cloud-env.js';
import { KNOWN_SECRETS } from '../../support/known-secrets.js';

/**
 * Every CodeArts gate kind decided by command (opsgate exec) against the fake cloud serving the real shapes
 * (three gates: official_devcloud_checkpoint, official_devcloud_delay, a stage `pre` check point), plus the errors
 * the clouds really send, regions, and `opsgate doctor`.
 */
let cloud: FakeCloud;
let policy: string;
beforeAll(async () => {
  cloud = await startFakeCloud();
  policy = writePolicy();
});
afterAll(() => cloud.close());

const posts = () => cloud.calls.filter((c) => c.method === 'POST' && c.service === 'pipeline').map((c) => c.path);

describe.each(['aksk', 'token'] as const)('CodeArts gates by command (%s)', (huawei) => {
  const env = () => ({ ...cloudEnv(cloud, { huawei, yunxiao: 'rdc' }), OPSGATE_POLICY: policy });
  const gatesRun = () =>
    cloud.huawei.addRun({ reviews: ['Release approval'], delays: ['Wait for the window'], stageChecks: ['Deploy'] });

  it('pending lists the three gates with their kinds', async () => {
    const run = gatesRun();
    const out = await runCli(['exec', 'pending', run.url], env());
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Release approval (manual review)');
    expect(out.stdout).toContain('Wait for the window (delayed execution)');
    expect(out.stdout).toContain('Deploy (stage check point)');
  });

  it('manual review: approve → …/jobs/{job}/steps/{step}/pass', async () => {
    const run = gatesRun();
    const out = await runCli(['exec', 'approve', run.url, '--step', 'Release approval'], env());
    expect(out.stderr).toBe('');
    expect(out.stdout).toContain('Approved "Release approval"');
    expect(cloud.huawei.review(run.runId, run.reviews[0]!.stepRunId).status).toBe('COMPLETED');
    expect(posts().at(-1)).toMatch(
      new RegExp(`/jobs/${run.reviews[0]!.jobRunId}/steps/${run.reviews[0]!.stepRunId}/pass$`),
    );
  });

  it('delayed execution: postpone keeps it waiting (…/delay), approve runs it now (…/delay-pass)', async () => {
    const run = gatesRun();
    const delay = run.delays[0]!;
    const later = await runCli(['exec', 'postpone', run.url], env());
    expect(later.stderr).toBe('');
    expect(later.stdout).toContain('Postponed one hour: "Wait for the window"');
    expect(posts().at(-1)).toMatch(/\/delay$/);
    expect(cloud.huawei.review(run.runId, delay.stepRunId)).toEqual({ status: 'RUNNING', postponed: 1 });
    const now = await runCli(['exec', 'approve', run.url, '--step', 'Wait for the window'], env());
    expect(now.stdout).toContain('Run now: "Wait for the window"');
    expect(posts().at(-1)).toMatch(new RegExp(`/jobs/${delay.jobRunId}/steps/${delay.stepRunId}/delay-pass$`));
    expect(cloud.huawei.review(run.runId, delay.stepRunId).status).toBe('COMPLETED');
  });

  it('delayed execution: reject stops it (…/delay-refuse) and the run fails', async () => {
    const run = gatesRun();
    const out = await runCli(['exec', 'reject', run.url, '--step', 'Wait for the window', 'not', 'today'], env());
    expect(out.stdout).toContain('Stopped: "Wait for the window"');
    expect(posts().at(-1)).toMatch(/\/delay-refuse$/);
    expect(cloud.huawei.review(run.runId, run.delays[0]!.stepRunId).status).toBe('FAILED');
    expect(cloud.huawei.run(run.runId).status).toBe('FAILED');
  });

  it('stage check point: approve → …/steps/{pre_step}/manual/pass (no job in the path)', async () => {
    const run = gatesRun();
    const check = run.stageChecks[0]!;
    const out = await runCli(['exec', 'approve', run.url, '--step', check.stepRunId], env());
    expect(out.stderr).toBe('');
    expect(out.stdout).toContain('Let ');
    expect(posts().at(-1)).toBe(
      `/v5/${run.projectId}/api/pipelines/${run.pipelineId}/pipeline-runs/${run.runId}/steps/${check.stepRunId}/manual/pass`,
    );
    expect(cloud.huawei.review(run.runId, check.stepRunId).status).toBe('COMPLETED');
  });

  it('stage check point: reject → …/manual/refuse', async () => {
    const run = gatesRun();
    const check = run.stageChecks[0]!;
    const out = await runCli(['exec', 'reject', run.url, '--step', check.stepRunId], env());
    expect(out.stdout).toContain('Refused entry to stage "Deploy"');
    expect(posts().at(-1)).toMatch(/\/manual\/refuse$/);
    expect(cloud.huawei.review(run.runId, check.stepRunId).status).toBe('FAILED');
  });

  it('postpone on a manual review is INPUT.BAD_ARGUMENT naming approve and reject; nothing is sent', async () => {
    const run = cloud.huawei.addRun({ reviews: ['Release approval'] });
    const before = posts().length;
    const out = await runCli(['exec', 'postpone', run.url], env());
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('INPUT.BAD_ARGUMENT');
    expect(out.stderr).toContain('approve | reject');
    expect(posts().length).toBe(before);
  });
});

describe('errors as the clouds send them', () => {
  const env = () => ({ ...cloudEnv(cloud, { huawei: 'aksk', yunxiao: 'rdc' }), OPSGATE_POLICY: policy });

  it('an HTTP 200 with error_code is a coded error with the provider code; DEVPIPE.00011170 is PROVIDER.QUEUED', async () => {
    const run = cloud.huawei.addRun({ reviews: ['Release approval'] });
    cloud.inject({
      match: /\/pass$/,
      kind: 'status',
      status: 200,
      // terraform-provider-huaweicloud resource_huaweicloud_codearts_pipeline_action.go (queuingError2).
      body: {
        error_code: 'DEVPIPE.00011170',
        error_msg: 'Maximun concurrency of single pipelines under a tenant is limited, enter the queue state',
      },
    });
    const out = await runCli(['exec', 'approve', run.url], env());
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('error PROVIDER.QUEUED');
    expect(out.stderr).toContain('DEVPIPE.00011170');
    expect(out.stderr).not.toContain('could not find');
  });

  it('a run in a region that is not configured names the region and HUAWEI_PROJECT_IDS; configured, it works', async () => {
    const run = cloud.huawei.addRun({ region: 'ap-southeast-1', reviews: ['Release approval'] });
    const out = await runCli(['exec', 'pending', run.url], env());
    expect(out.code).toBe(3);
    expect(out.stderr).toContain('CONFIG.REGION_NOT_CONFIGURED');
    expect(out.stderr).toContain('ap-southeast-1');
    expect(out.stderr).toContain('HUAWEI_PROJECT_IDS');
    const projectId = cloud.huawei.addIamProject('ap-southeast-1');
    const tokenEnv = { ...cloudEnv(cloud, { huawei: 'token', yunxiao: 'off' }), OPSGATE_POLICY: policy };
    const ok = await runCli(['exec', 'pending', run.url], {
      ...tokenEnv,
      HUAWEI_PROJECT_IDS: `ap-southeast-1:${projectId}`,
    });
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toContain('Release approval');
    // One token per region, scoped to that region's IAM project.
    expect(cloud.huawei.tokenScopes).toContain(`id:${projectId}`);
  });

  it('Yunxiao without an organization names YUNXIAO_ORGANIZATION_ID; an unconfigured cloud is CONFIG.CLOUD_DISABLED', async () => {
    const run = cloud.yunxiao.addRun();
    const { YUNXIAO_ORGANIZATION_ID: _, ...noOrg } = env() as Record<string, string>;
    const out = await runCli(
      ['exec', 'pending', `https://flow.aliyun.com/pipelines/${run.pipelineId}/builds/${run.runId}`],
      noOrg,
    );
    expect(out.stderr).toContain('YUNXIAO_ORGANIZATION_ID');
    const hw = cloud.huawei.addRun();
    const off = { ...cloudEnv(cloud, { huawei: 'off', yunxiao: 'rdc' }), OPSGATE_POLICY: policy };
    const disabled = await runCli(['exec', 'pending', hw.url], off);
    expect(disabled.stderr).toContain('CONFIG.CLOUD_DISABLED');
  });

  it('notify show build lists the job notice settings (ListNotice)', async () => {
    const job = cloud.huawei.addBuildJob();
    const out = await runCli(['exec', 'notify', 'show', 'build', job], env());
    expect(out.stderr).toBe('');
    expect(out.stdout).toContain(`Notifications of build job ${job}:`);
    expect(out.stdout).toMatch(/MESSAGE: on for .*buildJobFail/);
  });
});

describe('opsgate doctor', () => {
  it('checks the credentials and classifies every step of a run with all three gates and an unknown plugin', async () => {
    const run = cloud.huawei.addRun({
      reviews: ['Release approval'],
      delays: ['Wait for the window'],
      stageChecks: ['Deploy'],
      unknownPlugins: ['thirdparty_acme_approval'],
    });
    const before = posts().length;
    for (const huawei of ['aksk', 'token'] as const) {
      const env = cloudEnv(cloud, { huawei, yunxiao: 'rdc' });
      const out = await runCli(['doctor', run.url], env);
      expect(out.stdout).toMatch(/ok {3}huawei cn-north-4: IAM .* credentials accepted/);
      expect(out.stdout).toMatch(/ok {3}yunxiao rdc: .* token accepted \(ListPipelines\)/);
      expect(out.stdout).toMatch(
        /step Release approval · task official_devcloud_checkpoint · RUNNING · GATE review \(waiting\)/,
      );
      expect(out.stdout).toMatch(
        /step Wait for the window · task official_devcloud_delay · RUNNING · GATE delay \(waiting\)/,
      );
      expect(out.stdout).toMatch(
        /entry check - · task official_devcloud_manualTrigger · RUNNING · GATE stage-check \(waiting\)/,
      );
      expect(out.stdout).toMatch(/step Build · task official_devcloud_cloudBuild · COMPLETED · not a gate/);
      expect(out.stdout).toContain('LOOKS LIKE A GATE, MATCHED NOTHING: stage Approval, job thirdparty_acme_approval');
      const { ak: _ak, iamUser: _user, iamDomain: _domain, ...secretCreds } = cloud.huawei.credentials;
      const secrets = [
        ...KNOWN_SECRETS.map((k) => k.value),
        ...Object.values(secretCreds),
        ...Object.values(cloud.yunxiao.credentials),
      ];
      for (const secret of secrets) {
        if (typeof secret === 'string' && secret.length > 6) expect(out.stdout + out.stderr).not.toContain(secret);
      }
      const json = await runCli(['doctor', run.url, '--json'], env);
      const report = JSON.parse(json.stdout) as { unmatched: Array<{ task: string }>; run: { stages: unknown[] } };
      expect(report.unmatched.map((u) => u.task)).toEqual(['thirdparty_acme_approval']);
      expect(report.run.stages).toHaveLength(3);
    }
    // Read-only: doctor never decides anything.
    expect(posts().length).toBe(before);
  });

  it('reports a bad credential without showing it', async () => {
    const env = { ...cloudEnv(cloud, { huawei: 'token', yunxiao: 'off' }), HUAWEI_IAM_PASSWORD: 'wrong-password-123' };
    const out = await runCli(['doctor'], env);
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/FAIL huawei cn-north-4: IAM .*PROVIDER.AUTH_FAILED/);
    expect(out.stdout).not.toContain('wrong-password-123');
  });
});
