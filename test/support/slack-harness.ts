import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSlackAdapter, type SlackAdapter } from '../../src/adapters/slack/index.js';
import { loadConfig } from '../../src/app/config.js';
import { createProviders } from '../../src/app/providers.js';
import { type ApprovalService } from '../../src/core/approvals/service.js';
import { parsePolicy } from '../../src/core/authz.js';
import { type Core, createCore } from '../../src/core/core.js';
import type { Locale } from '../../src/core/i18n/index.js';
import type { Logger } from '../../src/core/ports.js';
import type { Store } from '../../src/core/store-ports.js';
import { type FakeCloud, startFakeCloud } from '../../src/fakes/cloud/fake-cloud.js';
import { type FakeSlackApi, type FakeSlackCall, startFakeSlackApi } from '../../src/fakes/slack-api.js';
import {
  buttonClickBody,
  fakeTriggerId,
  slashCommandBody,
  viewSubmissionBody,
} from '../../src/fakes/slack-payloads.js';
import { postSigned, type SignOptions } from '../../src/fakes/slack-signing.js';
import { createMemoryStore } from '../../src/store/memory/memory-store.js';
import { cloudEnv, RELEASER_POLICY } from './cloud-env.js';
import { SLACK_SIGNING_SECRET } from './known-secrets.js';
import { teeLogger, testLogger } from './test-logger.js';

export const SIGNING_SECRET = SLACK_SIGNING_SECRET;
/** Allowed by the policy in person (slack:UALICE) or through the channel (slack-channel:CREL). */
export const ALICE = 'UALICE';
export const BOB = 'UBOB';
export const MALLORY = 'UMALLORY';
export const RELEASES = 'CREL';
export const OTHER = 'COTHER';

export interface LogLine {
  level: string;
  obj: Record<string, unknown>;
  msg?: string;
}

function captureLogger(lines: LogLine[], bindings: Record<string, unknown> = {}): Logger {
  const at = (level: string) => (obj: Record<string, unknown>, msg?: string) =>
    void lines.push({ level, obj: { ...bindings, ...obj }, ...(msg ? { msg } : {}) });
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => captureLogger(lines, { ...bindings, ...more }),
  };
}

export interface SlackHarness {
  cloud: FakeCloud;
  slack: FakeSlackApi;
  core: Core;
  approvals: ApprovalService;
  store: Store;
  adapter: SlackAdapter;
  /** http://127.0.0.1:P/slack/events */
  eventsUrl: string;
  logs: LogLine[];
  /** Moves the bot's clock (approvals, dedupe, locks); Bolt's signature window keeps real time. */
  advance(ms: number): void;
  /** Sends `/ops <text>`; the response_url id is returned to find the answer. */
  command(
    text: string,
    options?: { user?: string; channel?: string; triggerId?: string; body?: string; sign?: SignOptions },
  ): Promise<{ status: number; text: string; body: string; responseUrlId: string }>;
  click(
    action: 'approve' | 'reject',
    target: { approvalId: string; channel: string; messageTs: string },
    options?: { user?: string; actionTs?: string; triggerId?: string },
  ): Promise<{ status: number; text: string; body: string }>;
  submitReason(
    privateMetadata: string,
    reason: string | null,
    options?: { user?: string; viewId?: string },
  ): Promise<{ status: number; text: string; body: string }>;
  /** Raw signed POST to the events URL (for replays, bad signatures, old timestamps). */
  post(body: string, sign?: SignOptions, signingSecret?: string): Promise<{ status: number; text: string }>;
  /** Resolves with the first log line with this message (bounded: rejects after timeoutMs). */
  waitForLog(msg: string, timeoutMs?: number): Promise<LogLine>;
  /** Decision calls (refuse/pass) the fake cloud received. */
  decisions(): FakeCloud['calls'];
  /** Waits for the approval message posted into a channel (a chat.postMessage without thread_ts). */
  approvalPosted(channel: string, after?: number): Promise<{ call: FakeSlackCall; ts: string; approvalId: string }>;
  close(): Promise<void>;
}

/**
 * The Slack adapter end to end on 127.0.0.1: fake cloud + fake Slack Web API + the real Bolt HTTPReceiver mounted on
 * a node:http server, fed signed requests in Slack's payload shapes.
 */
export async function startSlackHarness(
  options: { locale?: Locale; policy?: string; socketMode?: boolean } = {},
): Promise<SlackHarness> {
  let offset = 0;
  const now = () => Date.now() + offset;
  const logs: LogLine[] = [];
  // Kept for assertions, and written to the run's log directory for the secret scan (test/global-setup.ts).
  const logger = teeLogger(captureLogger(logs), testLogger('slack-harness'));
  const cloud = await startFakeCloud();
  const slack = await startFakeSlackApi();
  const config = loadConfig({ ...cloudEnv(cloud), OPSGATE_HTTP_RETRIES: '0' });
  const { providers, http } = createProviders(config, { now, logger });
  const store = createMemoryStore(now);
  const locale = options.locale ?? 'en';
  const core = createCore({
    providers,
    store,
    locale,
    policy: parsePolicy(options.policy ?? RELEASER_POLICY),
    now,
    logger,
    ...(config.yunxiao?.organizationId ? { defaultYunxiaoOrganization: config.yunxiao.organizationId } : {}),
  });
  const approvals = core.approvals;
  const adapter = createSlackAdapter({
    core,
    approvals,
    store,
    logger,
    now,
    config: {
      botToken: slack.botToken,
      signingSecret: SIGNING_SECRET,
      apiUrl: slack.apiUrl,
      ...(options.socketMode ? { appToken: slack.appToken } : {}),
    },
    defaultLocale: locale,
    clientRetries: 0,
  });
  // HTTP mode: the product mounts requestListener on its server; Socket Mode: start() connects to the fake.
  const server: Server = createServer(adapter.requestListener ?? ((_req, res) => res.writeHead(404).end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const eventsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  await adapter.start();

  const post = (body: string, sign: SignOptions = {}, secret = SIGNING_SECRET) =>
    postSigned(eventsUrl, secret, body, sign);

  return {
    cloud,
    slack,
    core,
    approvals,
    store,
    adapter,
    eventsUrl,
    logs,
    advance(ms) {
      offset += ms;
    },
    async command(text, o = {}) {
      const responseUrlId = randomUUID();
      const body =
        o.body ??
        slashCommandBody({
          text,
          userId: o.user ?? ALICE,
          channelId: o.channel ?? RELEASES,
          responseUrl: slack.responseUrl(responseUrlId),
          triggerId: o.triggerId ?? fakeTriggerId(),
        });
      return { ...(await post(body, o.sign)), body, responseUrlId };
    },
    async click(action, target, o = {}) {
      const body = buttonClickBody({
        userId: o.user ?? ALICE,
        channelId: target.channel,
        messageTs: target.messageTs,
        actionId: action === 'approve' ? 'opsgate_approve' : 'opsgate_reject',
        value: target.approvalId,
        responseUrl: slack.responseUrl(randomUUID()),
        ...(o.actionTs ? { actionTs: o.actionTs } : {}),
        ...(o.triggerId ? { triggerId: o.triggerId } : {}),
      });
      return { ...(await post(body)), body };
    },
    async submitReason(privateMetadata, reason, o = {}) {
      const body = viewSubmissionBody({
        userId: o.user ?? ALICE,
        callbackId: 'opsgate_reject_reason',
        privateMetadata,
        values: { reason: { reason_input: reason } },
        ...(o.viewId ? { viewId: o.viewId } : {}),
      });
      return { ...(await post(body)), body };
    },
    post,
    async waitForLog(msg, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const line = logs.find((l) => l.msg === msg);
        if (line) return line;
        if (Date.now() >= deadline) throw new Error(`no log line "${msg}" within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    decisions: () => cloud.calls.filter((c) => c.method === 'POST' && /\/(refuse|pass)$/.test(c.path)),
    async approvalPosted(channel, after = 0) {
      const call = await slack.waitFor(
        (c) =>
          c.method === 'chat.postMessage' &&
          c.body.channel === channel &&
          !c.body.thread_ts &&
          slack.calls.indexOf(c) >= after &&
          JSON.stringify(c.body.blocks ?? '').includes('opsgate_approve'),
      );
      const actions = (call.body.blocks as Array<{ type: string; elements?: Array<{ value?: string }> }>).find(
        (b) => b.type === 'actions',
      );
      const approvalId = actions?.elements?.[0]?.value ?? '';
      const ts = String(call.response?.ts ?? '');
      // The service attaches the message to the approval right after chat.postMessage answers.
      for (let i = 0; i < 500; i++) {
        const approval = await approvals.get(approvalId);
        if (approval?.messages.some((m) => m.messageId === ts)) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return { call, ts, approvalId };
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await adapter.stop();
      await http.close();
      await slack.close();
      await cloud.close();
    },
  };
}
