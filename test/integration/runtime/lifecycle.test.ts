import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { signWebhook } from '../../../src/adapters/http/webhook-signature.js';
import { loadConfig } from '../../../src/app/config.js';
import { createProviders } from '../../../src/app/providers.js';
import { type Runtime, startRuntime } from '../../../src/app/runtime.js';
import { type FakeCloud, startFakeCloud } from '../../../src/fakes/cloud/fake-cloud.js';
import { type FakeSlackApi, startFakeSlackApi } from '../../../src/fakes/slack-api.js';
import { buttonClickBody, slashCommandBody } from '../../../src/fakes/slack-payloads.js';
import { postSigned } from '../../../src/fakes/slack-signing.js';
import { cloudEnv } from '../../support/cloud-env.js';
import { runtimeEnv, SIGNING_SECRET, WEBHOOK_SECRET } from '../../support/runtime-env.js';
import { testLogger } from '../../support/test-logger.js';

let cloud: FakeCloud;
let slack: FakeSlackApi;
const running: Runtime[] = [];

beforeAll(async () => {
  cloud = await startFakeCloud();
  slack = await startFakeSlackApi();
});
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
});
afterAll(async () => {
  await slack?.close();
  await cloud?.close();
});

async function start(extra: Record<string, string> = {}, now?: () => number): Promise<Runtime> {
  const runtime = await startRuntime({
    env: runtimeEnv(cloud, slack, extra),
    slackClientRetries: 0,
    logger: testLogger('runtime'),
    ...(now ? { now } : {}),
  });
  running.push(runtime);
  return runtime;
}

async function openApproval(runtime: Runtime, url: string, now = Date.now(), extra: Record<string, unknown> = {}) {
  const body = JSON.stringify({ target: url, channels: { slack: ['CREL'] }, ...extra });
  const at = Math.floor(now / 1000);
  const res = await fetch(`http://127.0.0.1:${runtime.port}/v1/approvals`, {
    method: 'POST',
    headers: { 'x-opsgate-timestamp': String(at), 'x-opsgate-signature': signWebhook(WEBHOOK_SECRET, at, body) },
    body,
  });
  expect(res.status).toBe(201);
  const { id } = (await res.json()) as { id: string };
  const posted = await slack.waitFor((c) => c.method === 'chat.postMessage' && JSON.stringify(c.body).includes(id));
  return { id, ts: String(posted.response?.ts) };
}

const updatesOf = (ts: string) => slack.calls.filter((c) => c.method === 'chat.update' && c.body.ts === ts);

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  await vi.waitFor(
    () => {
      if (!check()) throw new Error('condition not met in time');
    },
    { timeout: ms, interval: 20 },
  );
}

describe('approval lifecycle', () => {
  it('reflects a decision made in the cloud console into the message at the next read', async () => {
    const runtime = await start({ OPSGATE_SWEEP_INTERVAL_MS: '100', OPSGATE_REFRESH_INTERVAL_MS: '100' });
    const run = cloud.huawei.addRun({ reviews: ['Gate'] });
    const { ts } = await openApproval(runtime, run.url);
    // Someone approves in the console: a direct call to the cloud, not through opsgate.
    const { providers, http } = createProviders(loadConfig(cloudEnv(cloud)));
    const read = await providers.pipelines.huawei!.getRun({
      cloud: 'huawei',
      projectId: run.projectId,
      pipelineId: run.pipelineId,
      runId: run.runId,
    });
    await providers.pipelines.huawei!.decide(read.ref, read.reviews[0]!, 'approve');
    await http.close();
    await until(() => updatesOf(ts).some((u) => !JSON.stringify(u.body).includes('opsgate_approve')));
    const last = updatesOf(ts).at(-1)!;
    expect(JSON.stringify(last.body)).not.toContain('opsgate_reject');
  });

  it('expires approvals nobody decided and updates their message; a late click changes nothing', async () => {
    let offset = 0;
    const now = () => Date.now() + offset;
    const runtime = await start({ OPSGATE_SWEEP_INTERVAL_MS: '100' }, now);
    const run = cloud.yunxiao.addRun({ jobs: ['Gate'] });
    const { id, ts } = await openApproval(runtime, run.url, now(), { expires_in: 60 });
    offset += 61_000;
    await until(() => updatesOf(ts).length > 0);
    expect(JSON.stringify(updatesOf(ts).at(-1)!.body)).not.toContain('opsgate_approve');
    const before = cloud.calls.length;
    const click = buttonClickBody({
      userId: 'UALICE',
      channelId: 'CREL',
      messageTs: ts,
      actionId: 'opsgate_approve',
      value: id,
      responseUrl: slack.responseUrl('late'),
    });
    expect((await postSigned(`http://127.0.0.1:${runtime.port}/slack/events`, SIGNING_SECRET, click)).status).toBe(200);
    await until(() =>
      slack.calls.some((c) => c.method === 'chat.postEphemeral' && /expired/i.test(JSON.stringify(c.body))),
    );
    expect(cloud.calls.filter((c) => c.method === 'POST').length).toBe(
      cloud.calls.slice(0, before).filter((c) => c.method === 'POST').length,
    );
    expect(cloud.yunxiao.job(run.runId, run.jobs[0]!.jobId).waiting).toBe(true);
  });

  it("keeps pending approvals across a restart: the old message's button still decides", async () => {
    const store = `sqlite:${join(mkdtempSync(join(tmpdir(), 'opsgate-restart-')), 'state.db')}`;
    const first = await start({ OPSGATE_STORE: store });
    const run = cloud.huawei.addRun({ reviews: ['Gate'] });
    const { id, ts } = await openApproval(first, run.url);
    await first.stop();
    running.splice(running.indexOf(first), 1);
    const second = await start({ OPSGATE_STORE: store });
    const click = buttonClickBody({
      userId: 'UALICE',
      channelId: 'CREL',
      messageTs: ts,
      actionId: 'opsgate_approve',
      value: id,
      responseUrl: slack.responseUrl('after-restart'),
    });
    expect((await postSigned(`http://127.0.0.1:${second.port}/slack/events`, SIGNING_SECRET, click)).status).toBe(200);
    await until(() => cloud.huawei.review(run.runId, run.reviews[0]!.stepRunId).status === 'COMPLETED');
    await slack.waitFor((c) => c.method === 'chat.postMessage' && c.body.thread_ts === ts);
  });

  it('watch polls a run and opens an approval when a manual review starts waiting', async () => {
    const runtime = await start();
    const run = cloud.yunxiao.addRun({ jobs: ['Gate'] });
    const body = slashCommandBody({
      userId: 'UALICE',
      channelId: 'CREL',
      text: `watch ${run.url}`,
      responseUrl: slack.responseUrl('watch'),
    });
    expect((await postSigned(`http://127.0.0.1:${runtime.port}/slack/events`, SIGNING_SECRET, body)).status).toBe(200);
    const posted = await slack.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.body.channel === 'CREL' &&
        JSON.stringify(c.body).includes('opsgate_approve') &&
        JSON.stringify(c.body).includes(run.pipelineId),
      5_000,
    );
    expect(posted).toBeTruthy();
  });
});
