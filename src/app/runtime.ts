import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { createDingTalkAdapter } from '../adapters/dingtalk/index.js';
import { createHttpServer, type ReadinessCheck } from '../adapters/http/server.js';
import { createSlackAdapter, SLACK_BODY_LIMIT } from '../adapters/slack/index.js';
import { settleAudit } from '../core/audit-settle.js';
import type { Core } from '../core/core.js';
import { toOpsError } from '../core/errors.js';
import { type Clock, type Logger, realTimers, type Timers } from '../core/ports.js';
import type { Store } from '../core/store-ports.js';
import { openStore } from '../store/open-store.js';
import { type CloudHealth, trackCloudHealth } from './cloud-health.js';
import type { Env } from './env.js';
import { createInflight } from './inflight.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';
import { loadSettings } from './config-load.js';
import { storeReadiness } from './store-readiness.js';
import { wire } from './wire.js';

export interface RuntimeOptions {
  env: Env;
  now?: Clock;
  /** The sweeper's and the run watcher's timers (default: real, unref'd). */
  timers?: Timers;
  logger?: Logger;
  /** Test and sandbox hooks (e.g. Slack client retries off). */
  slackClientRetries?: number;
}

export interface Runtime {
  port: number;
  core: Core;
  store: Store;
  logger: Logger;
  server: Server;
  stop(): Promise<void>;
}

/**
 * Starts the bot: validated configuration, store, core, approval service, every configured adapter, one HTTP server
 * (/healthz, /readyz, /metrics, /v1/approvals, /slack/events) and the approval sweeper. `stop()` is the SIGTERM path:
 * stop taking work, finish what is in flight up to the deadline, close adapters and stores.
 */
export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const now = options.now ?? Date.now;
  const timers = options.timers ?? realTimers;
  const settings = loadSettings(options.env);
  const server = settings.server;
  const logger = options.logger ?? createLogger({ level: server.logLevel ?? 'info' });
  for (const warning of settings.warnings) logger.warn({ code: 'CONFIG.WARNING' }, warning);
  const metrics = createMetrics();
  const inflight = createInflight(metrics.inflight);
  const store = await openStore(server.store, { now, logger });
  await store.ping();
  let health: CloudHealth | undefined;
  const wired = wire(settings.app, {
    logger,
    now,
    wrapProviders: (providers) => {
      const tracked = trackCloudHealth(providers, now);
      health = tracked.health;
      return tracked.providers;
    },
    audit: store.audit,
    store,
    core: {
      observe: (e) => metrics.observe(e),
      approvalTtlMs: server.approvalTtlMs,
      decisionLeaseMs: server.decisionLeaseMs,
      watch: { timers },
    },
  });
  const core: Core = { ...wired.core, execute: (request) => inflight.track(wired.core.execute(request)) };
  const locale = wired.config.locale;
  const approvals = wired.core.approvals;
  const readiness: Record<string, ReadinessCheck> = { store: storeReadiness(store) };
  for (const cloud of ['huawei', 'yunxiao'] as const) {
    readiness[cloud] = async () => ({
      ...(health?.check(cloud) ?? { ready: true, detail: 'unknown' }),
      informational: true,
    });
  }
  const stops: Array<() => Promise<void>> = [];
  let slackListener: Parameters<typeof createHttpServer>[0]['slackListener'];
  if (server.slack) {
    const slack = createSlackAdapter({
      core,
      approvals,
      store,
      logger,
      now,
      config: server.slack,
      defaultLocale: locale,
      clientRetries: options.slackClientRetries,
      // OPSGATE_TIMEZONE: the zone of times in Slack text (UTC unless set).
      timezone: server.timeZone,
    });
    slackListener = slack.requestListener;
    await slack.start();
    stops.push(() => slack.stop());
    readiness.slack = async () => ({ ready: true, detail: server.slack?.appToken ? 'socket mode' : 'http' });
  }
  if (server.dingtalk) {
    const dingtalk = createDingTalkAdapter({
      core,
      approvals,
      store,
      logger,
      now,
      http: wired.http,
      config: server.dingtalk,
      // DingTalk teams mostly read Chinese: zh-CN unless OPSGATE_LOCALE says otherwise.
      defaultLocale: wired.config.localeSet ? locale : 'zh-CN',
      timeZone: server.timeZone ?? 'Asia/Shanghai',
    });
    await dingtalk.start();
    stops.push(() => dingtalk.stop());
    readiness.dingtalk = async () => {
      const h = dingtalk.health();
      // A standby replica is ready: another replica holds the app's one Stream connection (stream-lease.ts).
      if (h.standby) return { ready: true, detail: 'standby (another replica holds the stream connection)' };
      return { ready: h.connected, detail: h.connected ? 'connected' : `disconnected (${h.reconnects} reconnects)` };
    };
  }
  const http = createHttpServer({
    core,
    approvals,
    dedupe: store.dedupe,
    logger,
    now,
    newId: randomUUID,
    webhookSecret: server.webhookSecret,
    readiness,
    metrics: () => metrics.render(),
    slackListener,
    slackMaxBodyBytes: slackListener ? SLACK_BODY_LIMIT : undefined,
    bodyBudgetBytes: server.bodyBudgetBytes,
    backlog: server.listenBacklog,
    track: (w) => inflight.track(w),
  });
  const port = await http.listen(server.port, server.host);
  // A crash between an audit intent and its outcome is settled first, by reading the runs; the decisions it finds
  // close their approvals as decided by the person who clicked. Then the sweeper starts.
  let sweeper: unknown;
  let restoreTimer: unknown;
  let stopped = false;
  const settled = settleAudit({ audit: store.audit, providers: wired.providers, now, logger })
    .then(async (result) => {
      for (const decision of result.decisions) await approvals.closeSettled(decision);
      // Messages left at "Processing" by a crash get their buttons back (and a note where the decision was lost);
      // those whose dead holder's lease still runs are redrawn once it has lapsed.
      const skipped = await approvals.restoreAfterRestart(result.notApplied);
      if (skipped.length > 0 && !stopped) {
        restoreTimer = timers.setTimeout(() => {
          approvals
            .restoreAfterRestart(result.notApplied, skipped)
            .catch((err) => logger.warn({ code: toOpsError(err).code }, 'approval restore failed'));
        }, server.decisionLeaseMs + 1000);
      }
    })
    .catch((err) => logger.error({ code: toOpsError(err).code, err }, 'audit settlement failed'))
    .finally(() => {
      if (!stopped) scheduleSweep();
    });
  // Expire old approvals, and reflect decisions made in the cloud console (each approval read at most once a minute).
  // One sweep at a time: the next is scheduled when this one ends, so a slow store never stacks sweeps.
  function scheduleSweep(): void {
    sweeper = timers.setTimeout(() => {
      approvals
        .sweep()
        .then(() => approvals.remind())
        .then(() => approvals.refreshOpen({ limit: 100, everyMs: server.refreshIntervalMs }))
        .then(async () => metrics.openApprovals.set((await store.approvals.listOpen(10_000)).length))
        .catch((err) => logger.warn({ code: toOpsError(err).code }, 'approval sweep failed'))
        .finally(() => {
          if (!stopped) scheduleSweep();
        });
    }, server.sweepIntervalMs);
  }
  logger.info({ port, store: store.kind, slack: !!server.slack, dingtalk: !!server.dingtalk }, 'opsgate ready');

  let stopping: Promise<void> | undefined;
  return {
    port,
    core,
    store,
    logger,
    server: http.server,
    stop: () => {
      stopping ??= (async () => {
        stopped = true;
        await settled;
        if (sweeper !== undefined) timers.clearTimeout(sweeper);
        if (restoreTimer !== undefined) timers.clearTimeout(restoreTimer);
        const closed = new Promise<void>((resolve) => http.server.close(() => resolve()));
        http.server.closeIdleConnections();
        const drained = await inflight.drain(server.shutdownTimeoutMs);
        if (!drained) logger.warn({ inflight: inflight.count }, 'shutdown deadline passed with work in flight');
        for (const stop of stops) await stop().catch(() => undefined);
        http.server.closeAllConnections();
        await closed;
        await wired.close();
        await store.close();
        logger.info({ drained }, 'opsgate stopped');
      })();
      return stopping;
    },
  };
}
