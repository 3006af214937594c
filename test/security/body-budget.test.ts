import { type ClientRequest, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_BODY_LIMIT } from '../../src/adapters/slack/index.js';
import { type Runtime, startRuntime } from '../../src/app/runtime.js';
import { type FakeCloud, startFakeCloud } from '../../src/fakes/cloud/fake-cloud.js';
import { type FakeSlackApi, startFakeSlackApi } from '../../src/fakes/slack-api.js';
import { slashCommandBody } from '../../src/fakes/slack-payloads.js';
import { postSigned } from '../../src/fakes/slack-signing.js';
import { runtimeEnv, SIGNING_SECRET } from '../support/runtime-env.js';
import { testLogger } from '../support/test-logger.js';

/** Unauthenticated bodies cannot pin memory: a cap per request, and a budget for all of them together. */
const BUDGET = 1024 * 1024;
let cloud: FakeCloud;
let slack: FakeSlackApi;
let runtime: Runtime;
const held: ClientRequest[] = [];

beforeAll(async () => {
  cloud = await startFakeCloud();
  slack = await startFakeSlackApi();
  const env = runtimeEnv(cloud, slack, { OPSGATE_BODY_BUDGET_BYTES: String(BUDGET) });
  runtime = await startRuntime({ env, slackClientRetries: 0, logger: testLogger('body-budget') });
});
afterAll(async () => {
  for (const req of held) req.destroy();
  await runtime?.stop();
  await slack?.close();
  await cloud?.close();
});

/** Sends the headers (and `sent` bytes of the body), then keeps the request open; resolves the answer, if any. */
function hold(path: string, declared: number | 'chunked', sent: number) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (declared !== 'chunked') headers['content-length'] = String(declared);
  const req = request({ host: '127.0.0.1', port: runtime.port, path, method: 'POST', headers, agent: false });
  held.push(req);
  const answered = new Promise<{ status: number; body: { error: { code: string; message: string } } }>((resolve) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d) => (text += String(d)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    // A request we destroyed ourselves ends without an answer.
    req.on('error', () => resolve({ status: 0, body: { error: { code: '', message: '' } } }));
  });
  req.flushHeaders();
  if (sent > 0) req.write(Buffer.alloc(sent, 'a'));
  return { req, answered };
}

describe('the HTTP server bounds unauthenticated request bodies', () => {
  it('answers 413 INPUT.TOO_LARGE at once to a Slack body declared one byte over the cap', async () => {
    const { answered } = hold('/slack/events', SLACK_BODY_LIMIT + 1, 0);
    const answer = await answered;
    expect(answer.status).toBe(413);
    expect(answer.body.error.code).toBe('INPUT.TOO_LARGE');
  });

  it('answers 413 to a chunked Slack body that grows past the cap', async () => {
    const { answered } = hold('/slack/events', 'chunked', SLACK_BODY_LIMIT + 10);
    expect((await answered).status).toBe(413);
  });

  it('answers 503 SERVER.BUSY at once when held bodies fill the budget, and recovers when they go', async () => {
    const size = SLACK_BODY_LIMIT - 1;
    const fit = Math.floor(BUDGET / size);
    const holders = Array.from({ length: fit }, () => hold('/slack/events', size, 1024));
    const over = hold('/slack/events', size, 0);
    const answer = await over.answered;
    expect(answer.status).toBe(503);
    expect(answer.body.error).toEqual({ code: 'SERVER.BUSY', message: expect.any(String) });
    // The webhook shares the budget.
    const webhook = await hold('/v1/approvals', 1000, 0).answered;
    expect(webhook.status).toBe(503);
    // The holders go away: their reservations are given back and a signed command is served again.
    for (const h of holders) h.req.destroy();
    const body = slashCommandBody({
      text: 'help',
      userId: 'UALICE',
      channelId: 'CREL',
      responseUrl: slack.responseUrl('budget'),
      triggerId: '1.2.budget',
    });
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = (await postSigned(`http://127.0.0.1:${runtime.port}/slack/events`, SIGNING_SECRET, body)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 20));
    }
    expect(status).toBe(200);
  });
});
