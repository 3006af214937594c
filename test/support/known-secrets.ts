import { DEFAULT_HUAWEI_CREDENTIALS } from '../../src/fakes/cloud/fake-huawei-iam.js';
import { DEFAULT_ALIYUN_CREDENTIALS } from '../../src/fakes/cloud/fake-yunxiao.js';
import { FAKE_DINGTALK_CREDENTIALS } from '../../src/fakes/dingtalk-gateway.js';
import { FAKE_SLACK_APP_TOKEN, FAKE_SLACK_BOT_TOKEN } from '../../src/fakes/slack-api.js';

/**
 * Every secret value the fakes accept and the test environments configure, in one place: harnesses import their
 * secrets from here, and the global teardown scans every log line of the run for them (test/global-setup.ts).
 */

/** Signing secret of the Slack harness (test/support/slack-harness.ts). */
export const SLACK_SIGNING_SECRET = 'fake-signing-secret-0123456789abcdef';
/** Slack signing secret and pipeline webhook secret of whole-bot runs (test/support/runtime-env.ts). */
export const RUNTIME_SIGNING_SECRET = 'runtime-signing-secret-0123456789';
export const RUNTIME_WEBHOOK_SECRET = 'runtime-webhook-secret-0123456789';
/** Webhook secret of the HTTP server security tests (test/security/http-server.test.ts). */
export const HTTP_WEBHOOK_SECRET = 'whsec-opsgate-test-9f4c2a7be31d';
/** Wrong credentials the CLI secrecy test configures on purpose (they must not be echoed either). */
export const WRONG_CREDENTIALS = {
  HUAWEI_SK: 'wrong-huawei-sk-5f1e0c9d',
  HUAWEI_IAM_PASSWORD: 'wrong-iam-password-77aa31',
  ALIYUN_ACCESS_KEY_SECRET: 'wrong-aliyun-secret-31bd02',
  YUNXIAO_TOKEN: 'pt-wrong-yunxiao-token-9c4e',
};

/** Literal secret values; a log line containing one of them is a leak. */
export const KNOWN_SECRETS: ReadonlyArray<{ name: string; value: string }> = [
  { name: 'huawei sk', value: DEFAULT_HUAWEI_CREDENTIALS.sk },
  { name: 'huawei iam password', value: DEFAULT_HUAWEI_CREDENTIALS.iamPassword },
  { name: 'aliyun access key secret', value: DEFAULT_ALIYUN_CREDENTIALS.accessKeySecret },
  { name: 'yunxiao token', value: DEFAULT_ALIYUN_CREDENTIALS.token },
  { name: 'slack bot token', value: FAKE_SLACK_BOT_TOKEN },
  { name: 'slack app token', value: FAKE_SLACK_APP_TOKEN },
  { name: 'slack signing secret', value: SLACK_SIGNING_SECRET },
  { name: 'runtime signing secret', value: RUNTIME_SIGNING_SECRET },
  { name: 'runtime webhook secret', value: RUNTIME_WEBHOOK_SECRET },
  { name: 'http webhook secret', value: HTTP_WEBHOOK_SECRET },
  { name: 'dingtalk client secret', value: FAKE_DINGTALK_CREDENTIALS.clientSecret },
  ...Object.entries(WRONG_CREDENTIALS).map(([name, value]) => ({ name: `wrong ${name}`, value })),
];

/**
 * Shapes of secrets whose values are made at run time: IAM tokens of the fake (`MIIfake` + hex), signatures
 * (`Signature=` of AK/SK and ACS3, Slack `v0=`, opsgate webhook `v1=`), bare 64-hex HMACs, session webhook
 * capabilities (`session=`), Slack response URLs, and token-shaped Slack strings.
 */
export const SECRET_SHAPES: ReadonlyArray<{ name: string; pattern: RegExp }> = [
  { name: 'iam token', pattern: /MIIfake[0-9a-f]{8,}/ },
  { name: 'signature', pattern: /Signature=[0-9a-fA-F]{16,}/ },
  { name: 'slack v0 signature', pattern: /v0=[0-9a-f]{16,}/ },
  { name: 'webhook v1 signature', pattern: /v1=[0-9a-f]{16,}/ },
  { name: 'bare hmac', pattern: /(?<![0-9A-Za-z])[0-9a-f]{64}(?![0-9A-Za-z])/ },
  { name: 'session webhook', pattern: /session=[0-9A-Za-z]{8,}/ },
  { name: 'slack response url', pattern: /response_url\/[A-Za-z0-9_-]+/ },
  { name: 'slack token', pattern: /\bxox[a-z]-[A-Za-z0-9-]{6,}|\bxapp-[A-Za-z0-9-]{6,}/ },
];
