import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../../../src/adapters/http/webhook-signature.js';
import { type Runtime, startRuntime } from '../../../src/app/runtime.js';
import { type FakeCloud, startFakeCloud } from '../../../src/fakes/cloud/fake-cloud.js';
import { type FakeSlackApi, startFakeSlackApi } from '../../../src/fakes/slack-api.js';
import { buttonClickBody } from '../../../src/fakes/slack-payloads.js';
import { postSigned } from '../../../src/fakes/slack-signing.js';
import { runtimeEnv, SIGNING_SECRET, WEBHOOK_SECRET } from '../../support/runtime-env.js';
import { testLogger } from '../../support/test-logger.js';

let cloud: FakeCloud;
let slack: FakeSlackApi;
let runtime: Runtime;
let base: string;

beforeAll(async () => {
  cloud = await startFakeCloud();
  slack = await startFakeSlackApi();
  runtime = await startRuntime({ env: runtimeEnv(cloud, slack), slackClientRetries: 0, logger: testLogger('runtime') });
  base = `http://127.0.0.1:${runtime.port}`;
});
afterAll(async () => {
  await runtime?.stop();
  await slack?.close();
  await cloud?.close();
});

async function requestApproval(body: unknown, secret = WEBHOOK_SECRET, at = Math.floor(Date.now() / 1000)) {
  const text = JSON.stringify(body);
  const res = await fetch(`${base}/v1/approvals`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-opsgate-timestamp': String(at),
      'x-opsgate-signature': signWebhook(secret, at, text),
    },
    body: text,
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('the running bot', () => {
  it('answers health, readiness and Prometheus metrics', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      ready: true,
      checks: { store: { ready: true }, slack: { ready: true } },
    });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('opsgate_operations_total');
    expect(metrics).toContain('opsgate_inflight_requests');
  });

  it('opens an approval from a signed pipeline request, posts it, and a click decides it once', async () => {
    const run = cloud.yunxiao.addRun({ jobs: ['Release gate'] });
    const answer = await requestApproval({
      target: run.url,
      channels: { slack: ['CREL'] },
      title: 'Release 1.2',
      requester: 'slack:UBOB',
    });
    expect(answer.status).toBe(201);
    const id = String(answer.json.id);
    const posted = await slack.waitFor((c) => c.method === 'chat.postMessage' && JSON.stringify(c.body).includes(id));
    const ts = String(posted.response?.ts);
    const click = buttonClickBody({
      userId: 'UALICE',
      channelId: 'CREL',
      messageTs: ts,
      actionId: 'opsgate_approve',
      value: id,
      responseUrl: slack.responseUrl('r1'),
    });
    expect((await postSigned(`${base}/slack/events`, SIGNING_SECRET, click)).status).toBe(200);
    await slack.waitFor((c) => c.method === 'chat.postMessage' && c.body.thread_ts === ts);
    expect(cloud.yunxiao.job(run.runId, run.jobs[0]!.jobId).status).toBe('SUCCESS');
    // The requester hears the outcome directly (a message to the user id: the app's Messages tab).
    const dm = await slack.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === 'UBOB');
    expect(String(dm.body.text)).toContain('was approved by');
    // The decision is counted once it has finished (after its messages).
    await expect
      .poll(async () => (await fetch(`${base}/metrics`)).text())
      .toMatch(/opsgate_operations_total\{operation="review.approve",outcome="ok",code=""\} 1/);
  });

  it('refuses unsigned, stale, replayed and malformed approval requests', async () => {
    const run = cloud.huawei.addRun({ reviews: ['Gate'] });
    const body = { target: run.url, channels: { slack: ['CREL'] } };
    expect((await requestApproval(body, 'wrong-secret-wrong-secret')).status).toBe(401);
    expect((await requestApproval(body, WEBHOOK_SECRET, Math.floor(Date.now() / 1000) - 600)).status).toBe(401);
    const at = Math.floor(Date.now() / 1000);
    expect((await requestApproval(body, WEBHOOK_SECRET, at)).status).toBe(201);
    const text = JSON.stringify(body);
    const replay = await fetch(`${base}/v1/approvals`, {
      method: 'POST',
      headers: { 'x-opsgate-timestamp': String(at), 'x-opsgate-signature': signWebhook(WEBHOOK_SECRET, at, text) },
      body: text,
    });
    expect(replay.status).toBe(401);
    const bad = await requestApproval({ target: 'huawei ../../x a b', channels: { slack: ['CREL'] } });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: { code: 'INPUT.BAD_ID' } });
    const none = await requestApproval({ target: run.url, channels: {} });
    expect(none.status).toBe(400);
  });

  it('stops gracefully: in-flight work finishes, then the server closes', async () => {
    const run = cloud.huawei.addRun({ reviews: ['Gate'] });
    cloud.setLatency(300);
    const pending = runtime.core.execute({ subject: 'cli:alice', text: `approve ${run.url}` });
    await new Promise((r) => setTimeout(r, 50));
    await runtime.stop();
    cloud.setLatency(0);
    const outcome = await pending;
    expect(outcome.ok).toBe(true);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });
});

describe('readiness reports each cloud from its last calls', () => {
  it('marks a cloud not ready after a cloud-side failure, without making the bot unready', async () => {
    const c2 = await startFakeCloud();
    const s2 = await startFakeSlackApi();
    const rt = await startRuntime({ env: runtimeEnv(c2, s2), slackClientRetries: 0 });
    try {
      const url = `http://127.0.0.1:${rt.port}/readyz`;
      expect(await (await fetch(url)).json()).toMatchObject({ checks: { huawei: { ready: true } } });
      const run = c2.huawei.addRun({ reviews: ['Gate'] });
      c2.inject({ match: 'pipeline-runs/detail', kind: 'status', status: 503, times: 10 });
      const out = await rt.core.execute({ subject: 'cli:alice', text: `pending ${run.url}` });
      expect(!out.ok && out.error.code).toBe('PROVIDER.UNAVAILABLE');
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        ready: true,
        checks: {
          huawei: { ready: false, detail: 'last call failed: PROVIDER.UNAVAILABLE' },
          yunxiao: { ready: true },
        },
      });
      c2.clearFaults();
      await rt.core.execute({ subject: 'cli:alice', text: `pending ${run.url}` });
      expect(await (await fetch(url)).json()).toMatchObject({ checks: { huawei: { ready: true } } });
    } finally {
      await rt.stop();
      await s2.close();
      await c2.close();
    }
  });
});
