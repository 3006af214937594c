import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import type { Env } from '../app/env.js';
import { createLogger } from '../app/logger.js';
import { type Runtime, startRuntime } from '../app/runtime.js';
import { type FakeCloud, startFakeCloud } from '../fakes/cloud/fake-cloud.js';
import { type DemoSeed, seedDemo } from '../fakes/cloud/seed.js';
import { type FakeDingTalkGateway, startFakeDingTalkGateway } from '../fakes/dingtalk-gateway.js';
import { type FakeDingTalkOpenApi, startFakeDingTalkOpenApi } from '../fakes/dingtalk-openapi.js';
import { type FakeSlackApi, startFakeSlackApi } from '../fakes/slack-api.js';

/** Who may do what in the sandbox: alice decides, bob may only look (so a denial can be tried), anyone else nothing. */
export const SANDBOX_POLICY = `
roles:
  releaser:
    allow: [review.pending, review.approve, review.reject, approval.watch, "notice.*"]
    scope:
      huawei: { projects: ["*"], buildJobs: ["*"], domains: ["*"] }
      yunxiao: { organizations: ["*"], pipelines: ["*"] }
  viewer:
    allow: [review.pending, notice.show]
    scope:
      huawei: { projects: ["*"], domains: ["*"] }
      yunxiao: { organizations: ["*"], pipelines: ["*"] }
bindings:
  - role: releaser
    subjects: ["slack:UALICE", "dingtalk:alice"]
  - role: viewer
    subjects: ["slack:UBOB", "dingtalk:bob"]
`;

export const SLACK_CHANNEL = { id: 'CRELEASES', name: 'releases' };
export const DINGTALK_GROUP = { id: 'cidSandboxReleases', title: 'Releases' };

export interface World {
  runtime: Runtime;
  cloud: FakeCloud;
  demo: DemoSeed;
  slack: FakeSlackApi;
  gateway: FakeDingTalkGateway;
  openapi: FakeDingTalkOpenApi;
  /** http://127.0.0.1:<port>/slack/events of the running bot. */
  eventsUrl: string;
  signingSecret: string;
  dir: string;
  logPath: string;
  stop(): Promise<void>;
}

/** What the bot is configured with: every endpoint at a fake, its own store and policy in the temp dir. */
function botEnv(
  world: Pick<World, 'cloud' | 'slack' | 'gateway' | 'openapi' | 'signingSecret'>,
  dir: string,
  outer: Env,
): Env {
  const { cloud, slack, gateway, openapi } = world;
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    OPSGATE_POLICY: join(dir, 'policy.yaml'),
    OPSGATE_STORE: `sqlite:${join(dir, 'opsgate.db')}`,
    // The bot's log goes to a file (printed at start): info shows each operation, as in production.
    OPSGATE_LOG_LEVEL: 'info',
    OPSGATE_SHUTDOWN_TIMEOUT_MS: '3000',
    // OPSGATE_LOCALE=en shows DingTalk in English too; unset, DingTalk speaks Chinese as the real bot does.
    ...(outer.OPSGATE_LOCALE ? { OPSGATE_LOCALE: outer.OPSGATE_LOCALE } : {}),
    HUAWEI_REGION: 'cn-north-4',
    HUAWEI_AUTH: 'aksk',
    HUAWEI_AK: cloud.huawei.credentials.ak,
    HUAWEI_SK: cloud.huawei.credentials.sk,
    HUAWEI_PROJECT_ID: cloud.huawei.iamProjectId,
    HUAWEI_IAM_ENDPOINT: cloud.url,
    HUAWEI_PIPELINE_ENDPOINT: cloud.url,
    HUAWEI_BUILD_ENDPOINT: cloud.url,
    HUAWEI_CHECK_ENDPOINT: cloud.url,
    YUNXIAO_API: 'devops',
    YUNXIAO_ENDPOINT: cloud.url,
    YUNXIAO_ORGANIZATION_ID: cloud.yunxiao.organizationId,
    ALIYUN_ACCESS_KEY_ID: cloud.yunxiao.credentials.accessKeyId,
    ALIYUN_ACCESS_KEY_SECRET: cloud.yunxiao.credentials.accessKeySecret,
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: world.signingSecret,
    SLACK_API_URL: slack.apiUrl,
    DINGTALK_CLIENT_ID: gateway.credentials.clientId,
    DINGTALK_CLIENT_SECRET: gateway.credentials.clientSecret,
    DINGTALK_CARD_TEMPLATE_ID: 'opsgate-approval.schema',
    DINGTALK_API_URL: openapi.url,
    DINGTALK_GATEWAY_URL: gateway.openUrl,
  };
}

/**
 * Starts the fakes (cloud seeded with waiting reviews, Slack Web API, DingTalk gateway and OpenAPI) and the real bot
 * against them, logging to a file in a fresh temp dir. The SDKs' console output goes to that file too, so nothing but
 * the chat reaches the terminal.
 * @example
 * const world = await startWorld(process.env);
 * console.log(world.demo.huaweiSingle.url, world.logPath);
 * await world.stop();
 */
export async function startWorld(outer: Env): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'opsgate-sandbox-'));
  const logPath = join(dir, 'opsgate.log');
  const log = createWriteStream(logPath, { flags: 'a' });
  const consoleBefore = { ...console };
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    console[level] = (...args: unknown[]) => void log.write(`${format(...args)}\n`);
  }
  writeFileSync(join(dir, 'policy.yaml'), SANDBOX_POLICY);
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) await s().catch(() => undefined);
    Object.assign(console, consoleBefore);
    await new Promise<void>((resolve) => log.end(() => resolve()));
  };
  try {
    const cloud = await startFakeCloud();
    stops.push(() => cloud.close());
    const demo = seedDemo(cloud);
    const slack = await startFakeSlackApi();
    stops.push(() => slack.close());
    const gateway = await startFakeDingTalkGateway();
    stops.push(() => gateway.close());
    const openapi = await startFakeDingTalkOpenApi({
      appKey: gateway.credentials.clientId,
      appSecret: gateway.credentials.clientSecret,
    });
    stops.push(() => openapi.close());
    const signingSecret = randomBytes(16).toString('hex');
    const env = botEnv({ cloud, slack, gateway, openapi, signingSecret }, dir, outer);
    const logger = createLogger({ level: 'warn', destination: log, base: { service: 'opsgate-sandbox' } });
    const runtime = await startRuntime({ env, logger, slackClientRetries: 0 });
    stops.push(() => runtime.stop());
    await gateway.waitForConnection(10_000);
    return {
      runtime,
      cloud,
      demo,
      slack,
      gateway,
      openapi,
      eventsUrl: `http://127.0.0.1:${runtime.port}/slack/events`,
      signingSecret,
      dir,
      logPath,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
