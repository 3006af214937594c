import { registerSecrets } from '../../core/scrub.js';
import { type DWClientDownStream, TOPIC_CARD, TOPIC_ROBOT } from 'dingtalk-stream';
import type { ApprovalPoster } from '../../core/approvals/ports.js';
import type { ApprovalService } from '../../core/approvals/service.js';
import type { Core } from '../../core/core.js';
import type { Locale } from '../../core/i18n/index.js';
import type { Clock, Logger } from '../../core/ports.js';
import type { Store } from '../../core/store-ports.js';
import type { HttpClient } from '../../net/http-client.js';
import { createCardHandler } from './card-handler.js';
import { createNames } from './card-params.js';
import { type DingTalkConfig, validateDingTalkConfig } from './config.js';
import { createDecisionRunner, type DecisionInput } from './decisions.js';
import { isCredentialsRejected, openStreamConnection } from './gateway.js';
import { createDingTalkApi } from './openapi.js';
import { createDingTalkPoster } from './poster.js';
import { createReasonWaits } from './reason-waits.js';
import { createReplier } from './replier.js';
import { createRobotHandler } from './robot-handler.js';
import { errorName, GuardedStreamClient } from './stream-client.js';
import { createStreamTenure, leaseTiming } from './stream-lease.js';
import {
  createStreamSupervisor,
  realTimers,
  type StreamHealth,
  type StreamSupervisor,
  type StreamTiming,
  type Timers,
} from './supervisor.js';

export interface DingTalkAdapterDeps {
  core: Core;
  approvals: ApprovalService;
  store: Store;
  logger: Logger;
  now: Clock;
  /** The product's HTTP client (retries 429/503): OpenAPI, session webhooks and the gateway's connections/open. */
  http: HttpClient;
  config: DingTalkConfig;
  /** Language of every message (DingTalk frames carry no user locale). Default zh-CN. */
  defaultLocale?: Locale;
  /** Time zone of the HH:MM on cards. Default Asia/Shanghai. */
  timeZone?: string;
  /** How long a "reply with the reason" request waits. Default 10 minutes. */
  reasonTtlMs?: number;
  /** Origins a sessionWebhook may point at. Default: https://oapi.dingtalk.com and the API URL's origin. */
  webhookOrigins?: string[];
  timing?: Partial<StreamTiming>;
  timers?: Timers;
  random?: () => number;
}

export interface DingTalkAdapter {
  /**
   * Connects to the Stream gateway when this replica holds the stream lease, else stands by (and takes over when the
   * holder goes away); rejects only when the gateway refuses the credentials.
   */
  start(): Promise<void>;
  /** Closes the socket, cancels every timer and waits for work in flight. */
  stop(): Promise<void>;
  poster: ApprovalPoster;
  /** `standby`: another replica holds the app's one Stream connection. */
  health(): StreamHealth & { standby: boolean };
}

/**
 * The DingTalk face of opsgate over Stream mode: robot commands, approval cards and their clicks.
 * @example
 * const dingtalk = createDingTalkAdapter({ core, approvals, store, logger, now: Date.now, http, config });
 * await dingtalk.start();
 * // … on shutdown:
 * await dingtalk.stop();
 */
export function createDingTalkAdapter(deps: DingTalkAdapterDeps): DingTalkAdapter {
  const config = validateDingTalkConfig(deps.config);
  // Whoever holds a secret makes sure the scrubber knows it (loadServerConfig registers it too).
  registerSecrets([config.clientSecret]);
  const locale = deps.defaultLocale ?? 'zh-CN';
  const timeZone = deps.timeZone ?? 'Asia/Shanghai';
  const reasonTtlMs = deps.reasonTtlMs ?? 10 * 60_000;
  const logger = deps.logger.child({ adapter: 'dingtalk' });
  const { now } = deps;
  const api = createDingTalkApi({ http: deps.http, config, now });
  const names = createNames();
  const waits = createReasonWaits(now);
  const poster = createDingTalkPoster({ api, locale, timeZone, names });
  const replier = createReplier({
    api,
    now,
    logger,
    webhookOrigins: deps.webhookOrigins ?? ['https://oapi.dingtalk.com', config.apiUrl],
  });
  const runDecision = createDecisionRunner({ approvals: deps.approvals, poster, api, logger, locale });
  const tasks = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    const settled = work.catch((err) => logger.error({ error: errorName(err) }, 'dingtalk: background work failed'));
    tasks.add(settled);
    void settled.finally(() => tasks.delete(settled));
  };
  const robot = createRobotHandler({ ...deps, replier, names, waits, decide: runDecision, logger, locale });
  const cards = createCardHandler({
    ...deps,
    api,
    names,
    waits,
    logger,
    locale,
    reasonTtlMs,
    // After the answer has gone out: setImmediate runs after the microtask that sends it.
    schedule: (input: DecisionInput) => track(new Promise((r) => setImmediate(r)).then(() => runDecision(input))),
  });

  let supervisor: StreamSupervisor | undefined;
  const client = new GuardedStreamClient(
    { clientId: config.clientId, clientSecret: config.clientSecret },
    {
      open: (body) => openStreamConnection(deps.http, config.gatewayUrl, body),
      onActivity: (kind) => supervisor?.activity(kind),
      onDisconnectNotice: () => supervisor?.disconnectNotice(),
      logger,
    },
  );

  /** Every listener: a sync throw or a rejected promise is logged and the socket keeps working. */
  const guard = (label: string, fn: (frame: DWClientDownStream) => Promise<void>) => (frame: DWClientDownStream) => {
    try {
      track(fn(frame));
    } catch (err) {
      logger.error({ label, error: errorName(err) }, 'dingtalk: handler threw');
    }
  };

  client.registerCallbackListener(
    TOPIC_ROBOT,
    guard('robot', (frame) => {
      // Ack first: a late ack gets the message delivered again (docs/reference/dingtalk.md "Redelivery").
      client.answer(frame.headers.messageId, {});
      return robot.handle(frame.data);
    }),
  );
  client.registerCallbackListener(
    TOPIC_CARD,
    guard('card', (frame) =>
      cards.onClick(frame.data, frame.headers.messageId, (response) => {
        client.answer(frame.headers.messageId, response);
      }),
    ),
  );

  const makeSupervisor = () =>
    createStreamSupervisor({
      client,
      logger,
      now,
      ...(deps.timing ? { timing: deps.timing } : {}),
      ...(deps.timers ? { timers: deps.timers } : {}),
      ...(deps.random ? { random: deps.random } : {}),
      fatal: isCredentialsRejected,
    });
  // One Stream connection per app across replicas: only the holder of the store's lease connects (stream-lease.ts).
  const tenure = createStreamTenure({
    leases: deps.store.leases,
    key: `dingtalk:stream:${config.clientId}`,
    timing: leaseTiming(config.streamLeaseMs),
    timers: deps.timers ?? realTimers,
    now,
    logger,
    async hold() {
      supervisor = makeSupervisor();
      await supervisor.start();
    },
    async drop() {
      const current = supervisor;
      supervisor = undefined;
      await current?.stop();
    },
  });
  deps.approvals.registerPoster(poster);

  return {
    start: () => tenure.start(),
    async stop() {
      await tenure.stop();
      while (tasks.size > 0) await Promise.allSettled([...tasks]);
    },
    poster,
    health: () => ({ ...(supervisor?.health() ?? { connected: false, reconnects: 0 }), standby: !tenure.holding() }),
  };
}
