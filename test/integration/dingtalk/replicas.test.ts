import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type FakeCloud, startFakeCloud } from '../../../src/fakes/cloud/fake-cloud.js';
import { type FakeDingTalkGateway, startFakeDingTalkGateway } from '../../../src/fakes/dingtalk-gateway.js';
import { type FakeDingTalkOpenApi, startFakeDingTalkOpenApi } from '../../../src/fakes/dingtalk-openapi.js';
import { robotMessageData } from '../../../src/fakes/dingtalk-payloads.js';
import { type BotProcess, startBotProcess } from '../../support/bot-process.js';
import { cloudEnv, writePolicy } from '../../support/cloud-env.js';

/**
 * Two real bot processes (`node dist/app/main.js`) on one real redis-server and the fake Stream gateway: DingTalk wants
 * one live Stream connection per client id (dingtalk-card-examples README, troubleshooting item 4), so the replicas
 * elect a holder through a lease in Redis.
 */
const LEASE_MS = 2_000;
const GROUP = 'cidrel';
let cloud: FakeCloud;
let gateway: FakeDingTalkGateway;
let openapi: FakeDingTalkOpenApi;
let bots: BotProcess[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await sleep(20);
  }
}
const holds = (bot: BotProcess) => bot.logs.some((l) => l.includes('dingtalk: stream lease held'));

beforeAll(async () => {
  cloud = await startFakeCloud();
  gateway = await startFakeDingTalkGateway();
  openapi = await startFakeDingTalkOpenApi();
  const env = {
    ...cloudEnv(cloud),
    OPSGATE_POLICY: writePolicy(`
roles:
  releaser:
    allow: [review.reject, review.approve, review.pending]
    scope: { huawei: { projects: ["*"] }, yunxiao: { organizations: ["*"], pipelines: ["*"] } }
bindings:
  - role: releaser
    subjects: ["dingtalk:alice"]
`),
    // A database of its own keeps this test's lease and approvals apart from the other Redis tests.
    OPSGATE_STORE: `${inject('redisUrl')}/7`,
    OPSGATE_SHUTDOWN_TIMEOUT_MS: '3000',
    PORT: '0',
    HOST: '127.0.0.1',
    DINGTALK_CLIENT_ID: gateway.credentials.clientId,
    DINGTALK_CLIENT_SECRET: gateway.credentials.clientSecret,
    DINGTALK_CARD_TEMPLATE_ID: 'opsgate-approval.schema',
    DINGTALK_API_URL: openapi.url,
    DINGTALK_GATEWAY_URL: gateway.openUrl,
    DINGTALK_STREAM_LEASE_MS: String(LEASE_MS),
  };
  bots = await Promise.all([startBotProcess(env), startBotProcess(env)]);
}, 40_000);

afterAll(async () => {
  for (const bot of bots) if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
  await gateway?.close();
  await openapi?.close();
  await cloud?.close();
});

/** `@opsgate pending <url>` in the group, then alice's Approve click on the card; resolves when the cloud passed. */
async function approveByCard(url: string): Promise<void> {
  const before = openapi.cards.size;
  const session = openapi.createSession();
  gateway.pushRobotMessage(
    robotMessageData({
      staffId: 'alice',
      text: `pending ${url}`,
      conversationId: GROUP,
      robotCode: gateway.credentials.clientId,
      session,
    }),
  );
  await until(() => openapi.cards.size === before + 1, 'card delivered');
  const card = [...openapi.cards.values()].at(-1)!;
  const content = JSON.stringify({ cardPrivateData: { actionIds: ['approve'], params: { action: 'approve' } } });
  const click = {
    type: 'actionCallback',
    outTrackId: card.outTrackId,
    corpId: 'dingcorp',
    userId: 'alice',
    spaceType: 'IM_GROUP',
    spaceId: GROUP,
    content,
  };
  // The card is recorded on the approval right after delivery; a click before that is answered "not found".
  await sleep(200);
  const answer = await gateway.waitForResponse(gateway.pushCardCallback(click));
  expect(JSON.stringify(answer.data)).toContain('status_text');
  await until(() => card.params.status === 'approved', 'card shows approved');
}

describe('two bot processes and one DingTalk app', () => {
  it('hold one Stream connection at a time, hand it over when the holder dies, and keep working', async () => {
    const passes = () => cloud.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/pass')).length;
    await until(() => gateway.liveConnections === 1, 'one connection');
    // Several lease periods later there is still only one: the other replica stands by.
    await sleep(LEASE_MS * 2);
    expect(gateway.liveConnections).toBe(1);
    expect(gateway.upgrades).toBe(1);
    expect(bots.filter(holds)).toHaveLength(1);
    const holder = bots.find(holds)!;
    const standby = bots.find((b) => b !== holder)!;
    expect(standby.logs.some((l) => l.includes('standing by'))).toBe(true);

    await approveByCard(cloud.huawei.addRun({ reviews: ['Release approval'] }).url);
    expect(passes()).toBe(1);

    // The holder dies without a word: its lease runs out and the standby connects.
    const opensBefore = gateway.openCalls;
    const killedAt = Date.now();
    holder.child.kill('SIGKILL');
    await until(() => holds(standby) && gateway.liveConnections === 1, 'standby connected', LEASE_MS * 5);
    const takeoverMs = Date.now() - killedAt;
    expect(gateway.upgrades).toBe(2);

    await approveByCard(cloud.huawei.addRun({ reviews: ['Release approval'] }).url);
    expect(passes()).toBe(2);

    // No reconnect storm: the takeover cost one connections/open call (a second at most, for a retry).
    await sleep(LEASE_MS);
    expect(gateway.openCalls - opensBefore).toBeLessThanOrEqual(2);
    expect(gateway.liveConnections).toBe(1);
    // SIGTERM hands over at once: the lease is released, not left to run out.
    const redis = new Redis(`${inject('redisUrl')}/7`);
    try {
      const key = `opsgate:lease:dingtalk:stream:${gateway.credentials.clientId}`;
      expect(await redis.get(key)).not.toBeNull();
      expect(await standby.stop()).toBe(0);
      expect(await redis.get(key)).toBeNull();
    } finally {
      redis.disconnect();
    }
    console.log(`dingtalk stream takeover after SIGKILL: ${takeoverMs} ms (lease ${LEASE_MS} ms)`);
  }, 60_000);
});
