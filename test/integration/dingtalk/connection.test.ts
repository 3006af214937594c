import { afterEach, describe, expect, it } from 'vitest';
import { createDingTalkAdapter } from '../../../src/adapters/dingtalk/index.js';
import { createCore } from '../../../src/core/core.js';
import { OpsError } from '../../../src/core/errors.js';
import { startFakeDingTalkGateway } from '../../../src/fakes/dingtalk-gateway.js';
import { createHttpClient } from '../../../src/net/http-client.js';
import { createMemoryStore } from '../../../src/store/memory/memory-store.js';
import {
  captureLogger,
  countingTimers,
  type DingTalkHarness,
  FAST_TIMING,
  type LogLine,
  startDingTalkHarness,
} from '../../support/dingtalk-harness.js';

let h: DingTalkHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const webhookReplies = (x: DingTalkHarness) => x.openapi.messages.filter((m) => m.kind === 'webhook');

describe('DingTalk Stream connection', () => {
  it('subscribes explicitly to the robot and card callback topics, once per connection', async () => {
    h = await startDingTalkHarness();
    expect(h.gateway.openCalls).toBe(1);
    expect(h.gateway.openRequests[0]?.subscriptions).toEqual([
      { type: 'CALLBACK', topic: '/v1.0/im/bot/messages/get' },
      { type: 'CALLBACK', topic: '/v1.0/card/instances/callback' },
    ]);
    expect(h.adapter.health()).toMatchObject({ connected: true, reconnects: 0 });
  });

  it('echoes SYSTEM pings and acks a robot message before working on it', async () => {
    h = await startDingTalkHarness();
    const ping = h.gateway.ping();
    const echo = await h.gateway.waitForResponse(ping);
    expect(echo.code).toBe(200);
    const { messageId } = h.say('help');
    const ack = await h.gateway.waitForResponse(messageId);
    expect(ack).toMatchObject({ code: 200, data: { response: {} } });
    await h.waitFor(() => webhookReplies(h!).length === 1, 'help reply');
  });

  it('drops a malformed frame and frames without headers, and the same socket keeps delivering', async () => {
    h = await startDingTalkHarness();
    h.gateway.pushRaw('{"specVersion":"1.0","type":"CALLBACK", not json');
    h.gateway.pushRaw('[1,2,3]');
    h.gateway.pushRaw(JSON.stringify({ type: 'CALLBACK', data: '{}' }));
    h.gateway.push('CALLBACK', '/v1.0/im/bot/messages/get', '{"msgId": 5, broken');
    h.gateway.push('CALLBACK', '/v1.0/card/instances/callback', { outTrackId: 'opsgate-x', content: '{{{' });
    h.say('help');
    await h.waitFor(() => webhookReplies(h!).length === 1, 'reply after malformed frames');
    expect(h.gateway.upgrades).toBe(1);
    expect(h.gateway.openCalls).toBe(1);
    expect(h.lines.some((l) => l.text.includes('malformed stream frame dropped'))).toBe(true);
    // A malformed frame is logged by size only, never by content.
    expect(h.lines.some((l) => l.text.includes('not json'))).toBe(false);
  });

  it('a handler that fails after the ack is logged, and the connection keeps serving', async () => {
    h = await startDingTalkHarness();
    h.openapi.failNext(1);
    h.say('help', { session: 'expired' });
    await h.waitFor(() => h!.lines.some((l) => l.text.includes('background work failed')), 'failure logged');
    h.say('help');
    await h.waitFor(() => webhookReplies(h!).length === 1, 'next reply');
    expect(h.gateway.upgrades).toBe(1);
  });

  it('a store that throws inside a handler is contained: robot and card callers get an error, the socket lives', async () => {
    const broken = new Set<string>();
    h = await startDingTalkHarness({
      wrapStore: (store) => ({
        ...store,
        dedupe: {
          claim: (key, ttl) => {
            if ([...broken].some((b) => key.includes(b))) throw new Error('store exploded');
            return store.dedupe.claim(key, ttl);
          },
        },
      }),
    });
    broken.add('msgboom');
    broken.add('card');
    h.say('help', { msgId: 'msgboom1' });
    await h.waitFor(() => webhookReplies(h!).length === 1, 'error reply');
    const click = h.click('opsgate-00000000-0000-0000-0000-000000000000', 'alice', 'approve');
    const answer = (await h.gateway.waitForResponse(click)).data as { response: Record<string, unknown> };
    expect(answer.response.cardData).toBeUndefined();
    expect(answer.response.userPrivateData).toBeDefined();
    h.say('help');
    await h.waitFor(() => webhookReplies(h!).length === 2, 'next reply');
    expect(h.gateway.upgrades).toBe(1);
  });

  it('reconnects once after a gateway drop and serves messages again', async () => {
    h = await startDingTalkHarness();
    h.gateway.dropAll();
    await h.waitFor(() => h!.gateway.upgrades === 2 && h!.gateway.liveConnections === 1, 'reconnected');
    expect(h.gateway.openCalls).toBe(2);
    h.say('help');
    await h.waitFor(() => webhookReplies(h!).length === 1, 'reply after reconnect');
    await sleep(150);
    expect(h.gateway.openCalls).toBe(2);
    expect(h.adapter.health()).toMatchObject({ connected: true, reconnects: 1 });
  });

  it('backs off while the socket cannot connect: one gateway call per attempt, no storm', async () => {
    h = await startDingTalkHarness();
    h.gateway.refuseUpgrades(4);
    h.gateway.dropAll();
    await h.waitFor(() => h!.gateway.upgrades === 2 && h!.gateway.liveConnections === 1, 'reconnected', 10_000);
    // The SDK's own reconnect doubles the calls on every failure (1, 3, 7, 15…); here: 4 refused + 1 that worked.
    expect(h.gateway.openCalls).toBe(1 + 5);
    await sleep(300);
    expect(h.gateway.openCalls).toBe(6);
    expect(h.adapter.health().reconnects).toBe(5);
  });

  it('backs off when connections/open itself fails', async () => {
    h = await startDingTalkHarness();
    h.gateway.refuseOpen(3);
    h.gateway.dropAll();
    await h.waitFor(() => h!.gateway.upgrades === 2, 'reconnected', 10_000);
    expect(h.gateway.openCalls).toBe(1 + 4);
  });

  it('replaces a silent socket (no pong, no frame) through its own watchdog', async () => {
    h = await startDingTalkHarness({ timing: { pingIntervalMs: 50, silenceMs: 300 } });
    h.gateway.setSilent(true);
    await h.waitFor(() => h!.gateway.upgrades >= 2, 'watchdog reconnect');
    h.gateway.setSilent(false);
    await h.waitFor(() => h!.gateway.liveConnections === 1, 'one live connection');
    expect(h.lines.some((l) => l.text.includes('stream silent'))).toBe(true);
  });

  it('moves to a new socket after a SYSTEM disconnect without waiting for the gateway to close', async () => {
    h = await startDingTalkHarness();
    h.gateway.disconnect(60_000);
    await h.waitFor(() => h!.gateway.upgrades === 2 && h!.gateway.liveConnections === 1, 'reconnected');
    expect(h.gateway.openCalls).toBe(2);
  });

  it('stop() closes the socket, leaves no timer pending and makes no further gateway call', async () => {
    h = await startDingTalkHarness();
    h.gateway.dropAll();
    await h.waitFor(() => h!.gateway.upgrades === 2, 'reconnected');
    await h.adapter.stop();
    expect(h.timers.live.size).toBe(0);
    await h.waitFor(() => h!.gateway.liveConnections === 0, 'socket closed');
    const calls = h.gateway.openCalls;
    await sleep(300);
    expect(h.gateway.openCalls).toBe(calls);
    expect(h.adapter.health().connected).toBe(false);
  });

  it('stop() during the backoff wait cancels the pending reconnect', async () => {
    h = await startDingTalkHarness({ timing: { baseDelayMs: 400, maxDelayMs: 400 } });
    h.gateway.dropAll();
    await h.waitFor(() => h!.timers.live.size > 0 && !h!.adapter.health().connected, 'reconnect scheduled');
    await h.adapter.stop();
    expect(h.timers.live.size).toBe(0);
    await sleep(600);
    expect(h.gateway.openCalls).toBe(1);
  });

  it('start() rejects when the gateway refuses the credentials, and retries nothing', async () => {
    const gateway = await startFakeDingTalkGateway({ clientSecret: 'the-right-secret' });
    const lines: LogLine[] = [];
    const logger = captureLogger(lines);
    const http = createHttpClient({ retries: 0, logger });
    const store = createMemoryStore();
    const core = createCore({ providers: { pipelines: {} }, store, newId: () => 'x', logger, locale: 'zh-CN' });
    const approvals = core.approvals;
    const timers = countingTimers();
    const adapter = createDingTalkAdapter({
      core,
      approvals,
      store,
      logger,
      now: Date.now,
      http,
      timers,
      timing: FAST_TIMING,
      config: {
        clientId: gateway.credentials.clientId,
        clientSecret: 'a-wrong-secret-value',
        robotCode: 'robot',
        cardTemplateId: 'tpl.schema',
        apiUrl: 'http://127.0.0.1:9',
        gatewayUrl: gateway.openUrl,
      },
    });
    try {
      await expect(adapter.start()).rejects.toBeInstanceOf(OpsError);
      await sleep(100);
      expect(gateway.openCalls).toBe(1);
      expect(timers.live.size).toBe(0);
      expect(lines.map((l) => l.text).join('\n')).not.toContain('a-wrong-secret-value');
    } finally {
      await adapter.stop();
      await http.close();
      await gateway.close();
    }
  });

  it('never logs the client secret, an access token, a ticket or a session webhook', async () => {
    h = await startDingTalkHarness();
    h.say('help', { session: 'revoked' });
    h.gateway.dropAll();
    await h.waitFor(() => h!.gateway.upgrades === 2, 'reconnected');
    await h.waitFor(() => h!.openapi.messages.length === 1, 'fallback reply');
    const text = h.lines.map((l) => l.text).join('\n');
    for (const secret of h.secrets()) expect(text).not.toContain(secret);
    expect(text).not.toContain('sendBySession');
    expect(text).not.toContain('ticket=');
  });
});
