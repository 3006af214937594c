import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signWebhook } from '../../../src/adapters/http/webhook-signature.js';
import { type FakeCloud, startFakeCloud } from '../../../src/fakes/cloud/fake-cloud.js';
import { type FakeSlackApi, startFakeSlackApi } from '../../../src/fakes/slack-api.js';
import { buttonClickBody } from '../../../src/fakes/slack-payloads.js';
import { postSigned } from '../../../src/fakes/slack-signing.js';
import { type BotProcess, startBotProcess } from '../../support/bot-process.js';
import { runtimeEnv, SIGNING_SECRET, WEBHOOK_SECRET } from '../../support/runtime-env.js';

let cloud: FakeCloud;
let slack: FakeSlackApi;
let bots: BotProcess[] = [];

beforeAll(async () => {
  cloud = await startFakeCloud();
  slack = await startFakeSlackApi();
  const env = runtimeEnv(cloud, slack, {
    OPSGATE_STORE: `${inject('redisUrl')}`,
    OPSGATE_SHUTDOWN_TIMEOUT_MS: '5000',
  });
  bots = await Promise.all([startBotProcess(env), startBotProcess(env)]);
}, 30_000);

afterAll(async () => {
  for (const bot of bots) if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
  await slack?.close();
  await cloud?.close();
});

describe('two bot processes sharing Redis', () => {
  it('make exactly one cloud call for 50 concurrent clicks on one approval, agree afterwards, and exit 0 on SIGTERM', async () => {
    const [a, b] = bots as [BotProcess, BotProcess];
    const run = cloud.huawei.addRun({ reviews: ['Release approval'] });
    const body = JSON.stringify({ target: run.url, channels: { slack: ['CREL'] } });
    const at = Math.floor(Date.now() / 1000);
    const opened = await fetch(`http://127.0.0.1:${a.port}/v1/approvals`, {
      method: 'POST',
      headers: { 'x-opsgate-timestamp': String(at), 'x-opsgate-signature': signWebhook(WEBHOOK_SECRET, at, body) },
      body,
    });
    expect(opened.status).toBe(201);
    const { id } = (await opened.json()) as { id: string };
    const posted = await slack.waitFor((c) => c.method === 'chat.postMessage' && JSON.stringify(c.body).includes(id));
    const ts = String(posted.response?.ts);

    const click = (port: number, n: number, userId = 'UALICE') =>
      postSigned(
        `http://127.0.0.1:${port}/slack/events`,
        SIGNING_SECRET,
        buttonClickBody({
          userId,
          channelId: 'CREL',
          messageTs: ts,
          actionId: 'opsgate_approve',
          value: id,
          responseUrl: slack.responseUrl(`click-${n}`),
          actionTs: `${at}.${String(n).padStart(6, '0')}`,
        }),
      );
    const answers = await Promise.all(Array.from({ length: 50 }, (_, n) => click(n % 2 === 0 ? a.port : b.port, n)));
    expect(answers.every((r) => r.status === 200)).toBe(true);
    // The decision's thread reply marks the end of the winner's work.
    await slack.waitFor((c) => c.method === 'chat.postMessage' && c.body.thread_ts === ts, 10_000);
    const passes = () => cloud.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/pass'));
    expect(passes()).toHaveLength(1);
    expect(cloud.huawei.review(run.runId, run.reviews[0]!.stepRunId).status).toBe('COMPLETED');

    // Both replicas now see the approval as decided: a further click on each gets a private "already decided" note.
    // Two other people of the channel (the policy binds slack-channel:CREL), one per replica, so their notes cannot be
    // confused with the notes of the 49 losing clicks.
    await Promise.all([click(a.port, 100, 'UCHECKA'), click(b.port, 101, 'UCHECKB')]);
    const noteFor = (user: string) =>
      slack.calls.find(
        (c) => c.method === 'chat.postEphemeral' && c.body.user === user && /already/i.test(JSON.stringify(c.body)),
      );
    await expect.poll(() => noteFor('UCHECKA'), { timeout: 5_000, interval: 25 }).toBeTruthy();
    await expect.poll(() => noteFor('UCHECKB'), { timeout: 5_000, interval: 25 }).toBeTruthy();
    expect(passes()).toHaveLength(1);

    expect(await a.stop()).toBe(0);
    expect(await b.stop()).toBe(0);
  }, 60_000);
});
