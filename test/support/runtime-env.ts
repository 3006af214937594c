import type { FakeCloud } from '../../src/fakes/cloud/fake-cloud.js';
import type { FakeSlackApi } from '../../src/fakes/slack-api.js';
import { cloudEnv, RELEASER_POLICY, writePolicy } from './cloud-env.js';
import { RUNTIME_SIGNING_SECRET, RUNTIME_WEBHOOK_SECRET } from './known-secrets.js';

export const SIGNING_SECRET = RUNTIME_SIGNING_SECRET;
export const WEBHOOK_SECRET = RUNTIME_WEBHOOK_SECRET;

/** Environment for a whole bot (startRuntime or `node dist/app/main.js`) against the fakes. */
export function runtimeEnv(
  cloud: FakeCloud,
  slack: FakeSlackApi,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...cloudEnv(cloud),
    OPSGATE_POLICY: writePolicy(`${RELEASER_POLICY}\n  - role: releaser\n    subjects: ["webhook:pipeline"]\n`),
    OPSGATE_STORE: 'memory:',
    OPSGATE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    OPSGATE_LOG_LEVEL: 'silent',
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    ...extra,
  };
}
