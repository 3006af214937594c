import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slashCommandBody } from '../../src/fakes/slack-payloads.js';
import { HTTP_WEBHOOK_SECRET } from '../support/known-secrets.js';
import { ALICE, RELEASES, type SlackHarness, startSlackHarness } from '../support/slack-harness.js';
import { signed, startHttpHarness } from './http-harness.js';

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('Slack: timestamps are refused in both directions, in front of Bolt', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness();
  });
  afterAll(() => h.close());

  const help = (id: string, triggerId = `${Date.now()}.1.${randomUUID().slice(0, 8)}`) =>
    slashCommandBody({
      text: 'help',
      userId: ALICE,
      channelId: RELEASES,
      responseUrl: h.slack.responseUrl(id),
      triggerId,
    });

  it.each([6 * 60, 3600])(
    'answers 401 to a correctly signed request %i s in the future, and runs nothing',
    async (ahead) => {
      const id = randomUUID();
      const res = await h.post(help(id), { timestamp: nowSeconds() + ahead });
      expect(res.status).toBe(401);
      expect(JSON.parse(res.text)).toEqual({
        error: { code: 'AUTH.BAD_SIGNATURE', message: expect.stringContaining('5-minute window') },
      });
      const control = randomUUID();
      expect((await h.post(help(control))).status).toBe(200);
      await h.slack.waitFor((c) => c.method === 'response_url' && c.responseUrlId === control);
      expect(h.slack.calls.filter((c) => c.responseUrlId === id)).toHaveLength(0);
    },
  );

  it('a request signed 4 minutes ahead runs once, and its replay is still deduped 10.5 minutes later', async () => {
    const id = randomUUID();
    const body = help(id);
    const timestamp = nowSeconds() + 240;
    expect((await h.post(body, { timestamp })).status).toBe(200);
    await h.slack.waitFor((c) => c.method === 'response_url' && c.responseUrlId === id);
    // The bot's clock (dedupe) moves on; the timestamp is still acceptable for Bolt (real time: 4 minutes old).
    h.advance(10.5 * 60_000);
    expect((await h.post(body, { timestamp })).status).toBe(200);
    await h.waitForLog('slack command redelivery ignored');
    expect(h.slack.calls.filter((c) => c.responseUrlId === id)).toHaveLength(1);
  });
});

describe('webhook: the replay memory outlives the acceptable timestamps', () => {
  let clock = Math.floor(Date.now() / 1000) * 1000;
  let h: Awaited<ReturnType<typeof startHttpHarness>>;
  beforeAll(async () => {
    h = await startHttpHarness(HTTP_WEBHOOK_SECRET, { now: () => clock });
  });
  afterAll(() => h.close());

  it('a request signed 299 s ahead is accepted once and refused as a replay until its timestamp expires', async () => {
    const run = h.cloud.huawei.addRun({ reviews: ['Release approval'] });
    const body = JSON.stringify({ target: run.url, channels: { slack: ['C0123'] } });
    const timestamp = Math.floor(clock / 1000) + 299;
    const headers = signed(HTTP_WEBHOOK_SECRET, body, timestamp);
    expect((await h.call('POST', '/v1/approvals', body, headers)).status).toBe(201);
    clock += 599_000; // the timestamp is now 300 s old: still inside the window
    const replay = await h.call('POST', '/v1/approvals', body, headers);
    expect(replay.status).toBe(401);
    expect(replay.json().error?.message).toMatch(/already received/);
    clock += 2_000; // past the window: refused for its timestamp
    const late = await h.call('POST', '/v1/approvals', body, headers);
    expect(late.json().error?.message).toMatch(/5-minute window/);
  });

  it('a request signed 6 minutes ahead is refused', async () => {
    const body = '{}';
    const answer = await h.call(
      'POST',
      '/v1/approvals',
      body,
      signed(HTTP_WEBHOOK_SECRET, body, Math.floor(clock / 1000) + 360),
    );
    expect(answer.status).toBe(401);
    expect(answer.json().error?.code).toBe('AUTH.BAD_SIGNATURE');
  });
});
