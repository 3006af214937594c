import { vi } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createDingTalkAdapter, type DingTalkAdapter, type StreamTiming } from '../../src/adapters/dingtalk/index.js';
import { loadConfig } from '../../src/app/config.js';
import { createProviders } from '../../src/app/providers.js';
import type { ApprovalService } from '../../src/core/approvals/service.js';
import { parsePolicy } from '../../src/core/authz.js';
import { createCore } from '../../src/core/core.js';
import type { Logger } from '../../src/core/ports.js';
import type { Store } from '../../src/core/store-ports.js';
import { type FakeCloud, startFakeCloud } from '../../src/fakes/cloud/fake-cloud.js';
import { type DemoSeed, seedDemo } from '../../src/fakes/cloud/seed.js';
import { type FakeDingTalkGateway, startFakeDingTalkGateway } from '../../src/fakes/dingtalk-gateway.js';
import { type FakeDingTalkOpenApi, startFakeDingTalkOpenApi } from '../../src/fakes/dingtalk-openapi.js';
import { createHttpClient } from '../../src/net/http-client.js';
import { robotMessageData } from '../../src/fakes/dingtalk-payloads.js';
import { createMemoryStore } from '../../src/store/memory/memory-store.js';
import { cloudEnv } from './cloud-env.js';
import { recordSecrets, teeLogger, testLogger } from './test-logger.js';

export const GROUP = 'cidOpsGroup+releases==';
export const OTHER_GROUP = 'cidRandomChat';
/** A group whose members may decide reviews through the group's binding (carol has no role of her own). */
export const LEADS_GROUP = 'cidReleaseLeads';

/** alice and bob may decide reviews anywhere; the leads group grants it to whoever acts in it; mallory has nothing. */
export const DINGTALK_POLICY = `
roles:
  releaser:
    allow: [review.reject, review.approve, review.pending]
    scope: { huawei: { projects: ["*"] }, yunxiao: { organizations: ["*"], pipelines: ["*"] } }
bindings:
  - role: releaser
    subjects: ["dingtalk:alice", "dingtalk:bob", "dingtalk-group:cidReleaseLeads"]
`;

/** Reconnects in tens of milliseconds so connection tests finish quickly. */
export const FAST_TIMING: Partial<StreamTiming> = {
  baseDelayMs: 20,
  maxDelayMs: 200,
  stableMs: 60_000,
  pingIntervalMs: 100,
  // Generous, so a loaded test machine never trips the watchdog; the watchdog test shrinks it.
  silenceMs: 2_000,
  connectTimeoutMs: 2_000,
  disconnectGraceMs: 30,
};

export interface LogLine {
  level: string;
  text: string;
}

/** A logger that keeps every line as text, so tests can look for secrets in it. */
export function captureLogger(lines: LogLine[] = [], bindings: Record<string, unknown> = {}): Logger {
  const write = (level: string) => (obj: Record<string, unknown>, msg?: string) => {
    lines.push({ level, text: `${msg ?? ''} ${JSON.stringify({ ...bindings, ...obj })}` });
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (more) => captureLogger(lines, { ...bindings, ...more }),
  };
}

/** Timers that remember which are still pending (stop() must leave none). */
export function countingTimers() {
  const live = new Set<NodeJS.Timeout>();
  return {
    live,
    setTimeout(fn: () => void, ms: number): unknown {
      const handle = setTimeout(() => {
        live.delete(handle);
        fn();
      }, ms);
      live.add(handle);
      return handle;
    },
    clearTimeout(handle: unknown): void {
      live.delete(handle as NodeJS.Timeout);
      clearTimeout(handle as NodeJS.Timeout);
    },
  };
}

export interface SayOptions {
  staffId?: string;
  nick?: string;
  conversationId?: string;
  /** '2' group (default), '1' one-to-one. */
  conversationType?: '1' | '2';
  /** 'valid' (default), 'expired' (the message says so), 'revoked' (the message says valid, the webhook refuses). */
  session?: 'valid' | 'expired' | 'revoked';
  msgId?: string;
  /** Frame messageId (a redelivery may reuse the first one or carry a new one). */
  messageId?: string;
}

/**
 * Everything a DingTalk integration test needs: fake cloud (seeded), fake Stream gateway, fake OpenAPI, and the real
 * adapter (real dingtalk-stream client) wired to a core, an approval service and a memory store.
 * @example
 * const h = await startDingTalkHarness();
 * h.say(`pending ${h.demo.huaweiSingle.url}`);
 * await h.waitFor(() => h.openapi.cards.size === 1, 'card delivered');
 */
export async function startDingTalkHarness(
  options: {
    start?: boolean;
    timing?: Partial<StreamTiming>;
    wrapStore?: (store: Store) => Store;
    /** Decorates the approval service the adapter gets (tests watch what the adapter asks the core for). */
    wrapApprovals?: (approvals: ApprovalService) => ApprovalService;
  } = {},
) {
  const cloud: FakeCloud = await startFakeCloud();
  const demo: DemoSeed = seedDemo(cloud);
  const gateway: FakeDingTalkGateway = await startFakeDingTalkGateway();
  const openapi: FakeDingTalkOpenApi = await startFakeDingTalkOpenApi();
  const lines: LogLine[] = [];
  // Kept for assertions, and written to the run's log directory for the secret scan (test/global-setup.ts).
  const logger = teeLogger(captureLogger(lines), testLogger('dingtalk-harness'));
  const http = createHttpClient({ retries: 1, baseDelayMs: 5, maxDelayMs: 20, logger });
  const { providers } = createProviders(loadConfig(cloudEnv(cloud)), { logger, http });
  const memory = createMemoryStore();
  const store = options.wrapStore ? options.wrapStore(memory) : memory;
  const core = createCore({
    providers,
    store,
    // English on purpose: DingTalk messages must still be Chinese (the adapter's locale reaches the follow-ups).
    locale: 'en',
    policy: parsePolicy(DINGTALK_POLICY),
    logger,
    defaultYunxiaoOrganization: cloud.yunxiao.organizationId,
  });
  const approvals = core.approvals;
  const timers = countingTimers();
  const adapter: DingTalkAdapter = createDingTalkAdapter({
    core,
    approvals: options.wrapApprovals ? options.wrapApprovals(approvals) : approvals,
    store,
    logger,
    now: Date.now,
    http,
    config: {
      clientId: gateway.credentials.clientId,
      clientSecret: gateway.credentials.clientSecret,
      robotCode: gateway.credentials.clientId,
      cardTemplateId: 'opsgate-approval.schema',
      apiUrl: openapi.url,
      gatewayUrl: gateway.openUrl,
    },
    defaultLocale: 'zh-CN',
    timing: { ...FAST_TIMING, ...options.timing },
    timers,
  });
  if (options.start !== false) {
    await adapter.start();
    await gateway.waitForConnection();
  }

  async function waitFor(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
    await vi.waitFor(
      () => {
        if (!check()) throw new Error(`timed out waiting for: ${what}`);
      },
      { timeout: timeoutMs, interval: 5 },
    );
  }

  return {
    cloud,
    demo,
    gateway,
    openapi,
    adapter,
    store,
    approvals,
    core,
    lines,
    timers,
    waitFor,
    /** Pushes `@bot <text>`; returns the frame messageId, the msgId and the session id. */
    say(text: string, o: SayOptions = {}) {
      const session = openapi.createSession(o.session === 'expired' ? -1_000 : 90 * 60_000);
      if (o.session === 'revoked') openapi.expireSession(session.id);
      const msgId = o.msgId ?? `msg${randomUUID()}`;
      const staffId = o.staffId ?? 'alice';
      const data = robotMessageData({
        staffId,
        text,
        conversationId: o.conversationId ?? GROUP,
        robotCode: gateway.credentials.clientId,
        session,
        msgId,
        ...(o.conversationType ? { conversationType: o.conversationType } : {}),
        ...(o.nick ? { nick: o.nick } : {}),
      });
      return { messageId: gateway.pushRobotMessage(data, o.messageId), msgId, session: session.id, data };
    },
    /**
     * Pushes a card click as the Stream gateway delivers it (TOPIC_CARD data: dingtalk-stream-sdk-go `card/model.go`
     * CardRequest, content as dingtalk-card-examples `examples/helloworld/nodejs/index.ts` reads it). `reason` is what
     * the card's input put into the local variable the button passes; `space` is where the card was clicked (default:
     * the release group).
     */
    click(
      outTrackId: string,
      userId: string,
      action: string,
      reason?: string,
      messageId?: string,
      space: { type: string; id: string } = { type: 'IM_GROUP', id: GROUP },
    ): string {
      const params: Record<string, string> = { action };
      if (reason !== undefined) params.reject_reason = reason;
      const content = JSON.stringify({ cardPrivateData: { actionIds: [action], params } });
      return gateway.pushCardCallback(
        {
          type: 'actionCallback',
          outTrackId,
          corpId: 'dingcorp',
          userId,
          spaceType: space.type,
          spaceId: space.id,
          content,
        },
        messageId,
      );
    },
    /** Cloud calls that decide a review (Huawei pass/refuse, Yunxiao Pass/RefusePipelineValidate). */
    decisionCalls(): number {
      return cloud.calls.filter((c) =>
        /^(pass|refuse|PassPipelineValidate|RefusePipelineValidate)$/.test(c.action ?? ''),
      ).length;
    },
    /** Secrets that must appear in no log line. */
    secrets(): string[] {
      return [gateway.credentials.clientSecret, ...openapi.issuedTokens()];
    },
    async close(): Promise<void> {
      await adapter.stop();
      // Access tokens are random: the run's secret scan looks for the ones this harness saw issued.
      recordSecrets('dingtalk-harness', openapi.issuedTokens());
      await gateway.close();
      await openapi.close();
      await http.close();
      await cloud.close();
    },
  };
}

export type DingTalkHarness = Awaited<ReturnType<typeof startDingTalkHarness>>;
