import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeCloud } from '../../src/fakes/cloud/fake-cloud.js';

/** Environment that points every cloud endpoint at the fake cloud, in the auth mode asked for. */
export function cloudEnv(
  cloud: FakeCloud,
  modes: { huawei?: 'aksk' | 'token' | 'off'; yunxiao?: 'devops' | 'rdc' | 'off' } = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  const hw = cloud.huawei.credentials;
  const huawei = modes.huawei ?? 'aksk';
  if (huawei !== 'off') {
    Object.assign(env, {
      HUAWEI_REGION: 'cn-north-4',
      HUAWEI_AUTH: huawei,
      HUAWEI_IAM_ENDPOINT: cloud.url,
      HUAWEI_PIPELINE_ENDPOINT: cloud.url,
      HUAWEI_BUILD_ENDPOINT: cloud.url,
      HUAWEI_CHECK_ENDPOINT: cloud.url,
    });
    if (huawei === 'aksk')
      Object.assign(env, { HUAWEI_AK: hw.ak, HUAWEI_SK: hw.sk, HUAWEI_PROJECT_ID: cloud.huawei.iamProjectId });
    else
      Object.assign(env, {
        HUAWEI_IAM_USER: hw.iamUser,
        HUAWEI_IAM_PASSWORD: hw.iamPassword,
        HUAWEI_IAM_DOMAIN: hw.iamDomain,
      });
  }
  const yunxiao = modes.yunxiao ?? 'devops';
  if (yunxiao !== 'off') {
    const al = cloud.yunxiao.credentials;
    Object.assign(env, {
      YUNXIAO_API: yunxiao,
      YUNXIAO_ENDPOINT: cloud.url,
      YUNXIAO_ORGANIZATION_ID: cloud.yunxiao.organizationId,
    });
    if (yunxiao === 'devops')
      Object.assign(env, { ALIYUN_ACCESS_KEY_ID: al.accessKeyId, ALIYUN_ACCESS_KEY_SECRET: al.accessKeySecret });
    else env.YUNXIAO_TOKEN = al.token;
  }
  return env;
}

export const RELEASER_POLICY = `
roles:
  releaser:
    allow: [review.reject, review.approve, review.pending, approval.watch]
    scope: { huawei: { projects: ["*"] }, yunxiao: { organizations: ["*"], pipelines: ["*"] } }
  notifier:
    allow: ["notice.*"]
    scope: { huawei: { projects: ["*"], domains: ["*"] } }
bindings:
  - role: releaser
    subjects: ["cli:alice", "slack:UALICE", "slack-channel:CREL", "dingtalk:alice", "dingtalk-group:cidrel"]
  - role: notifier
    subjects: ["cli:alice", "cli:nora"]
`;

/** Writes a policy file to a fresh temp dir and returns its path. */
export function writePolicy(text = RELEASER_POLICY): string {
  const dir = mkdtempSync(join(tmpdir(), 'opsgate-policy-'));
  const path = join(dir, 'policy.yaml');
  writeFileSync(path, text);
  return path;
}
