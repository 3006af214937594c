import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../../src/adapters/http/webhook-signature.js';
import { createLogger } from '../../src/app/logger.js';
import { type Runtime, startRuntime } from '../../src/app/runtime.js';
import { type FakeCloud, startFakeCloud } from '../../src/fakes/cloud/fake-cloud.js';
import { type FakeSlackApi, startFakeSlackApi } from '../../src/fakes/slack-api.js';
import { buttonClickBody, slashCommandBody } from '../../src/fakes/slack-payloads.js';
import { postSigned } from '../../src/fakes/slack-signing.js';
import { runCli } from '../support/cli.js';
import { cloudEnv, writePolicy } from '../support/cloud-env.js';
import { startDingTalkHarness } from '../support/dingtalk-harness.js';
import { runtimeEnv, SIGNING_SECRET, WEBHOOK_SECRET } from '../support/runtime-env.js';
import { testLogSink } from '../support/test-logger.js';

/**
 * A hostile cloud echoes opsgate's own secrets in its errors: Huawei in `error_code`/`error_msg`
 * (reference/huawei-codearts.md "Errors"), Yunxiao devops in `errorMessage` (reference/aliyun-yunxiao.md, A). None
 * may reach a Slack reply, a Slack approval thread, a DingTalk reply, an HTTP answer, the CLI or a log line.
 */
/** The secrets this deployment is configured with (only those are the scrubber's to know). */
function configured(cloud: FakeCloud, modes: { huawei: 'aksk' | 'token'; yunxiao: 'devops' | 'rdc' }): string[] {
  return [
    modes.huawei === 'aksk' ? cloud.huawei.credentials.sk : cloud.huawei.credentials.iamPassword,
    modes.yunxiao === 'devops' ? cloud.yunxiao.credentials.accessKeySecret : cloud.yunxiao.credentials.token,
  ];
}

function huaweiEcho(secrets: string[]) {
  return {
    error_code: secrets[0],
    error_msg: `bad request: ${secrets.join(' ')} Authorization: SDK-HMAC-SHA256 Signature=0f0f0f0f0f0f0f0f via http://ops:hunter2hunter2@proxy:3128`,
  };
}

function yunxiaoEcho(secrets: string[]) {
  return { requestId: 'r1', success: false, errorCode: secrets[1], errorMessage: `refused: ${secrets.join(' ')}` };
}

function expectClean(text: string, secrets: string[]) {
  for (const secret of secrets) expect(text).not.toContain(secret);
  expect(text).not.toContain('hunter2hunter2');
  expect(text).not.toContain('0f0f0f0f0f0f0f0f');
}

describe('secrets echoed by a cloud reach no message: Slack, HTTP and logs', () => {
  let cloud: FakeCloud;
  let slack: FakeSlackApi;
  let runtime: Runtime;
  let base: string;
  let secrets: string[];
  const lines: string[] = [];

  beforeAll(async () => {
    cloud = await startFakeCloud();
    slack = await startFakeSlackApi();
    secrets = [
      ...configured(cloud, { huawei: 'aksk', yunxiao: 'devops' }),
      slack.botToken,
      SIGNING_SECRET,
      WEBHOOK_SECRET,
    ];
    const file = testLogSink('secret-echo');
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        file.write(String(chunk));
        done();
      },
    });
    const env = runtimeEnv(cloud, slack, { OPSGATE_HTTP_RETRIES: '0' });
    runtime = await startRuntime({ env, slackClientRetries: 0, logger: createLogger({ level: 'debug', destination }) });
    base = `http://127.0.0.1:${runtime.port}`;
  });
  afterAll(async () => {
    await runtime?.stop();
    await slack?.close();
    await cloud?.close();
  });

  it('a Slack command reply', async () => {
    const run = cloud.huawei.addRun({ reviews: ['Gate'] });
    cloud.inject({ match: 'GET /', kind: 'status', status: 400, body: huaweiEcho(secrets), times: Infinity });
    const body = slashCommandBody({
      text: `pending ${run.url}`,
      userId: 'UALICE',
      channelId: 'CREL',
      responseUrl: slack.responseUrl('echo'),
      triggerId: '1.2.echo',
    });
    expect((await postSigned(`${base}/slack/events`, SIGNING_SECRET, body)).status).toBe(200);
    const reply = await slack.waitFor((c) => c.responseUrlId === 'echo');
    expect(JSON.stringify(reply.body)).toContain('[redacted]');
    expectClean(JSON.stringify(reply.body), secrets);
    cloud.clearFaults();
  });

  it('an HTTP answer', async () => {
    const run = cloud.huawei.addRun({ reviews: ['Gate'] });
    cloud.inject({ match: 'GET /', kind: 'status', status: 400, body: huaweiEcho(secrets), times: Infinity });
    const text = JSON.stringify({ target: run.url, channels: { slack: ['CREL'] } });
    const at = Math.floor(Date.now() / 1000);
    const res = await fetch(`${base}/v1/approvals`, {
      method: 'POST',
      headers: { 'x-opsgate-timestamp': String(at), 'x-opsgate-signature': signWebhook(WEBHOOK_SECRET, at, text) },
      body: text,
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expectClean(await res.text(), secrets);
    cloud.clearFaults();
  });

  it('a Slack approval thread, after a decision the cloud refused with an echo', async () => {
    const run = cloud.yunxiao.addRun({ jobs: ['Release gate'] });
    const text = JSON.stringify({ target: run.url, channels: { slack: ['CREL'] } });
    const at = Math.floor(Date.now() / 1000);
    const res = await fetch(`${base}/v1/approvals`, {
      method: 'POST',
      headers: { 'x-opsgate-timestamp': String(at), 'x-opsgate-signature': signWebhook(WEBHOOK_SECRET, at, text) },
      body: text,
    });
    const id = String(((await res.json()) as { id: string }).id);
    const posted = await slack.waitFor((c) => c.method === 'chat.postMessage' && JSON.stringify(c.body).includes(id));
    const ts = String(posted.response?.ts);
    const clickBody = (n: number) =>
      buttonClickBody({
        userId: 'UALICE',
        channelId: 'CREL',
        messageTs: ts,
        actionId: 'opsgate_approve',
        value: id,
        responseUrl: slack.responseUrl(`echo-click-${n}`),
        actionTs: `${Math.floor(Date.now() / 1000)}.00000${n}`,
      });
    // A refused decision: the clicker's note (ephemeral) carries the cloud's error.
    cloud.inject({ match: /\/pass$/, kind: 'status', status: 400, body: yunxiaoEcho(secrets) });
    expect((await postSigned(`${base}/slack/events`, SIGNING_SECRET, clickBody(1))).status).toBe(200);
    const note = await slack.waitFor(
      (c) => c.method === 'chat.postEphemeral' && JSON.stringify(c.body).includes('redacted'),
    );
    expectClean(JSON.stringify({ ...note.body, token: undefined }), secrets);
    // An applied decision whose answer echoes secrets in its request id: the thread reply shows the request id.
    cloud.inject({
      match: /\/pass$/,
      kind: 'status',
      status: 200,
      applyBeforeFailing: true,
      body: { requestId: `req-${secrets.join('-')}`, success: true, errorCode: '', errorMessage: '' },
    });
    await slack.waitFor(
      (c) => c.method === 'chat.update' && c.body.ts === ts && JSON.stringify(c.body).includes('opsgate_approve'),
    );
    expect((await postSigned(`${base}/slack/events`, SIGNING_SECRET, clickBody(2))).status).toBe(200);
    await slack.waitFor((c) => c.method === 'chat.postMessage' && c.body.thread_ts === ts);
    cloud.clearFaults();
    // The `token` form field is the bot's own credential, sent to Slack on purpose.
    for (const call of slack.calls) expectClean(JSON.stringify({ ...call.body, token: undefined }), secrets);
  });

  it('the log lines of all of the above, and a line that carries a secret and a URL with credentials', () => {
    // Code logs only safe fields; a field that is not (a library's error text, a proxy URL) is scrubbed at the end.
    runtime.logger.warn({ detail: `echo ${secrets[0]}`, proxy: 'http://ops:hunter2hunter2@proxy:3128/' }, 'echo');
    const echoed = lines.find((l) => l.includes('"msg":"echo"'));
    expect(echoed).toContain('http://[redacted]@proxy:3128/');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expectClean(line, secrets);
  });
});

describe('secrets echoed by a cloud reach no message: DingTalk and the CLI', () => {
  it('a DingTalk reply', async () => {
    const h = await startDingTalkHarness();
    try {
      const secrets = [
        ...configured(h.cloud, { huawei: 'aksk', yunxiao: 'devops' }),
        h.gateway.credentials.clientSecret,
      ];
      const run = h.cloud.huawei.addRun({ reviews: ['Gate'] });
      h.cloud.inject({ match: 'GET /', kind: 'status', status: 400, body: huaweiEcho(secrets), times: Infinity });
      h.say(`pending ${run.url}`);
      await h.waitFor(() => h.openapi.messages.length > 0, 'a reply');
      const sent = JSON.stringify(h.openapi.messages);
      expect(sent).toContain('[redacted]');
      expectClean(sent, secrets);
    } finally {
      await h.close();
    }
  });

  it('the CLI, with each Yunxiao generation', async () => {
    const cloud = await startFakeCloud();
    try {
      const policy = writePolicy();
      for (const modes of [
        { huawei: 'aksk', yunxiao: 'devops' },
        { huawei: 'token', yunxiao: 'rdc' },
      ] as const) {
        const secrets = configured(cloud, modes);
        const run = cloud.yunxiao.addRun({ jobs: ['Gate'] });
        cloud.inject({ match: 'GET /', kind: 'status', status: 400, body: yunxiaoEcho(secrets), times: Infinity });
        const env = { ...cloudEnv(cloud, modes), OPSGATE_POLICY: policy, OPSGATE_HTTP_RETRIES: '0' };
        const out = await runCli(['exec', 'pending', run.url], env);
        expect(out.code).not.toBe(0);
        expectClean(out.stdout + out.stderr, secrets);
        cloud.clearFaults();
      }
    } finally {
      await cloud.close();
    }
  });
});
