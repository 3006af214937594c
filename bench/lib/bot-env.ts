import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudProcess } from './cloud-process.js';

/** The Slack user and channel, and the DingTalk staff id, that the benchmark policy lets decide everything. */
export const BENCH_SLACK_USER = 'UALICE';
export const BENCH_SLACK_CHANNEL = 'CREL';
export const BENCH_DINGTALK_USER = 'alice';
export const BENCH_DINGTALK_GROUP = 'cidBenchReleases';
export const BENCH_SIGNING_SECRET = 'bench-slack-signing-secret-0123456789';

export const BENCH_POLICY = `
roles:
  releaser:
    allow: [review.reject, review.approve, review.pending, approval.watch, "notice.*"]
    scope:
      huawei: { projects: ["*"], buildJobs: ["*"], domains: ["*"] }
      yunxiao: { organizations: ["*"], pipelines: ["*"] }
bindings:
  - role: releaser
    subjects: ["slack:${BENCH_SLACK_USER}", "dingtalk:${BENCH_DINGTALK_USER}", "cli:bench"]
`;

/** A temp dir holding the policy (and, if asked, the SQLite store and the bot's log). */
export interface BenchDir {
  dir: string;
  policyPath: string;
  path(name: string): string;
  remove(): void;
}

/**
 * @example
 * const dir = createBenchDir(); // dir.policyPath → …/policy.yaml
 * dir.remove();
 */
export function createBenchDir(prefix = 'opsgate-bench-'): BenchDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const policyPath = join(dir, 'policy.yaml');
  writeFileSync(policyPath, BENCH_POLICY);
  return {
    dir,
    policyPath,
    path: (name) => join(dir, name),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Environment for the bot (startRuntime / `node dist/app/main.js`): both clouds at the fake cloud child (Huawei AK/SK,
 * Yunxiao devops), the benchmark policy, 127.0.0.1 and port 0 unless `extra` says otherwise.
 * @example
 * const env = { ...botCloudEnv(cloud, dir), SLACK_BOT_TOKEN: slack.botToken, … };
 */
export function botCloudEnv(cloud: CloudProcess, dir: BenchDir): Record<string, string> {
  const hw = cloud.huawei;
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    OPSGATE_POLICY: dir.policyPath,
    OPSGATE_LOG_LEVEL: 'info',
    HUAWEI_REGION: 'cn-north-4',
    HUAWEI_AUTH: 'aksk',
    HUAWEI_AK: hw.credentials.ak,
    HUAWEI_SK: hw.credentials.sk,
    HUAWEI_PROJECT_ID: hw.iamProjectId,
    HUAWEI_IAM_ENDPOINT: cloud.url,
    HUAWEI_PIPELINE_ENDPOINT: cloud.url,
    HUAWEI_BUILD_ENDPOINT: cloud.url,
    HUAWEI_CHECK_ENDPOINT: cloud.url,
    YUNXIAO_API: 'devops',
    YUNXIAO_ENDPOINT: cloud.url,
    YUNXIAO_ORGANIZATION_ID: cloud.yunxiao.organizationId,
    ALIYUN_ACCESS_KEY_ID: cloud.yunxiao.accessKeyId,
    ALIYUN_ACCESS_KEY_SECRET: cloud.yunxiao.accessKeySecret,
  };
}

/** Slack in HTTP mode against a fake Web API. */
export function botSlackEnv(slack: { botToken: string; apiUrl: string }): Record<string, string> {
  return { SLACK_BOT_TOKEN: slack.botToken, SLACK_SIGNING_SECRET: BENCH_SIGNING_SECRET, SLACK_API_URL: slack.apiUrl };
}

/** DingTalk Stream mode against a fake gateway and a fake OpenAPI. */
export function botDingTalkEnv(
  gateway: { credentials: { clientId: string; clientSecret: string }; openUrl: string },
  openapiUrl: string,
): Record<string, string> {
  return {
    DINGTALK_CLIENT_ID: gateway.credentials.clientId,
    DINGTALK_CLIENT_SECRET: gateway.credentials.clientSecret,
    DINGTALK_CARD_TEMPLATE_ID: 'opsgate-approval.schema',
    DINGTALK_API_URL: openapiUrl,
    DINGTALK_GATEWAY_URL: gateway.openUrl,
  };
}
