import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeCloud, startFakeCloud } from '../fakes/fake-cloud.js';
import { runCliWithLogs } from '../support/cli-logs.js';
import { cloudEnv, writePolicy } from '../support/cloud-env.js';
import { WRONG_CREDENTIALS as WRONG } from '../support/known-secrets.js';

/**
 * Shapes of secrets no output may carry: IAM tokens the fake issues (`MIIfake` + 64 hex, see fake-huawei-iam.ts; the
 * fake does not list them), signatures (`Signature=…`, bare 64-hex HMACs) and signed Authorization headers.
 */
const SECRET_SHAPES = [
  /MIIfake[0-9a-f]{8,}/,
  /Signature=[0-9a-fA-F]{16,}/,
  /\b[0-9a-f]{64}\b/,
  /SDK-HMAC-SHA256/,
  /ACS3-HMAC/,
];

let cloud: FakeCloud;
let policy: string;
/** Every stdout, stderr and log line of every run, with the command that produced it. */
const captured: Array<{ command: string; text: string }> = [];
let debugLines = 0;

beforeAll(async () => {
  cloud = await startFakeCloud();
  policy = writePolicy();
});
afterAll(() => cloud.close());

async function run(argv: string[], env: Record<string, string>, expected: 'ok' | 'fail') {
  const out = await runCliWithLogs(argv, env);
  const command = argv.join(' ');
  expect(out.code === 0, `${command}: ${out.stderr}`).toBe(expected === 'ok');
  for (const text of [out.stdout, out.stderr, ...out.logs]) captured.push({ command, text });
  debugLines += out.logs.filter((l) => l.startsWith('debug: ')).length;
  return out;
}

describe.each([
  { huawei: 'aksk', yunxiao: 'devops' },
  { huawei: 'token', yunxiao: 'rdc' },
] as const)('CLI runs with debug logs ($huawei, $yunxiao)', (modes) => {
  const env = () => ({ ...cloudEnv(cloud, modes), OPSGATE_POLICY: policy, OPSGATE_HTTP_RETRIES: '1' });

  it('succeeds at every operation', async () => {
    const hw = cloud.huawei.addRun({ reviews: ['Release approval'] });
    const hw2 = cloud.huawei.addRun({ reviews: ['A', 'B'] });
    const yx = cloud.yunxiao.addRun({ jobs: ['Manual check'] });
    const job = cloud.huawei.addBuildJob();
    const check = cloud.huawei.setCheckConfig({ projectId: hw.projectId });
    await run(['exec', 'reject', hw.url, 'smoke', 'failed'], env(), 'ok');
    await run(['exec', 'approve', yx.url, 'ship'], env(), 'ok');
    await run(['exec', '--json', 'pending', hw2.url], env(), 'ok');
    await run(['exec', 'notify', 'disable', job, 'email'], env(), 'ok');
    await run(['exec', 'notify', 'update', job, 'dingtalk', 'buildJobFail', '--param-config', '{"a":1}'], env(), 'ok');
    await run(['exec', '--json', 'notify', 'show', 'tenant', check.domainId], env(), 'ok');
    await run(['check-config'], env(), 'ok');
    await run(['policy', 'explain', '--as', 'cli:alice', 'reject', hw2.url], env(), 'ok');
  });

  it('fails in every way with coded errors', async () => {
    const hw = cloud.huawei.addRun({ reviews: ['Gate'] });
    const yx = cloud.yunxiao.addRun({ jobs: ['Gate'] });
    await run(['exec', 'reject', 'huawei', '../x', 'a', 'b'], env(), 'fail');
    await run(['exec', '--as', 'cli:mallory', 'approve', hw.url], env(), 'fail');
    await run(['exec', '--json', 'pending', 'huawei', 'c'.repeat(32), 'c'.repeat(32), 'c'.repeat(32)], env(), 'fail');
    await run(['exec', 'approve', hw.url, '--step', 'Nope'], env(), 'fail');
    cloud.inject({ match: 'GET ', kind: 'status', status: 500, times: Number.POSITIVE_INFINITY });
    await run(['exec', 'pending', yx.url], env(), 'fail');
    cloud.clearFaults();
    cloud.inject({ match: /\/refuse|RefusePipelineValidate|\/pass|PassPipelineValidate/, kind: 'reset' });
    await run(['exec', '--json', 'reject', hw.url], env(), 'fail');
    cloud.clearFaults();
    cloud.inject({ kind: 'status', status: 401, times: 2 });
    await run(['exec', 'pending', yx.url], env(), 'fail');
    cloud.clearFaults();
    cloud.huawei.expireTokens();
    await run(['exec', 'pending', hw.url], env(), 'ok');
  });

  it('fails on wrong credentials and bad configuration without echoing a value', async () => {
    const hw = cloud.huawei.addRun({ reviews: ['Gate'] });
    const yx = cloud.yunxiao.addRun({ jobs: ['Gate'] });
    const wrong = { ...env() };
    for (const [name, value] of Object.entries(WRONG)) if (name in wrong) wrong[name as keyof typeof wrong] = value;
    await run(['exec', 'pending', hw.url], wrong, 'fail');
    await run(['exec', '--json', 'pending', yx.url], wrong, 'fail');
    const secretName = modes.huawei === 'aksk' ? 'HUAWEI_SK' : 'HUAWEI_IAM_PASSWORD';
    await run(['exec', 'pending', hw.url], { ...wrong, [`${secretName}_FILE`]: '/nonexistent/secret' }, 'fail');
    await run(['check-config'], { ...env(), OPSGATE_LOCALE: WRONG.HUAWEI_SK }, 'fail');
    await run(['check-config'], { ...env(), HUAWEI_REGION: WRONG.YUNXIAO_TOKEN }, 'fail');
  });
});

describe('what the runs wrote', () => {
  it('captured debug log lines (the capture works)', () => {
    expect(debugLines).toBeGreaterThan(10);
    expect(captured.some((c) => c.text.startsWith('debug: http response'))).toBe(true);
  });

  it('no output or log line carries a secret, a token or a signature', () => {
    const hw = cloud.huawei.credentials;
    const al = cloud.yunxiao.credentials;
    const secrets = [hw.sk, hw.iamPassword, al.accessKeySecret, al.token, ...Object.values(WRONG)];
    expect(captured.length).toBeGreaterThan(50);
    for (const { command, text } of captured) {
      for (const secret of secrets) expect(text.includes(secret), `${command}: ${text}`).toBe(false);
      for (const shape of SECRET_SHAPES) expect(shape.test(text), `${command}: ${text}`).toBe(false);
    }
  });
});
