import { type DingTalkConfig, parseDingTalkConfig } from '../adapters/dingtalk/config.js';
import type { SlackConfig } from '../adapters/slack/config.js';
import { registerSecrets } from '../core/scrub.js';
import { bad, type Env, int, need, readVar, url } from './env.js';

/** Settings of the long-running bot (`npm start`), beyond the clouds (see config.ts). All in the README table. */
export interface ServerConfig {
  port: number;
  host: string;
  store?: string;
  webhookSecret?: string;
  logLevel: string;
  approvalTtlMs: number;
  shutdownTimeoutMs: number;
  sweepIntervalMs: number;
  refreshIntervalMs: number;
  /** OPSGATE_TIMEZONE: IANA zone of times written on cards; unset → each adapter's default (DingTalk Asia/Shanghai). */
  timeZone?: string;
  /** Bytes all unauthenticated request bodies may hold together (OPSGATE_BODY_BUDGET_BYTES). */
  bodyBudgetBytes: number;
  /** Listen queue length (OPSGATE_LISTEN_BACKLOG). */
  listenBacklog: number;
  decisionLeaseMs: number;
  slack?: SlackConfig;
  dingtalk?: DingTalkConfig;
}

export function loadServerConfig(env: Env, readFile?: (path: string) => string): ServerConfig {
  const v = (name: string) => readVar(env, name, readFile);
  const config: ServerConfig = {
    port: int(v, 'PORT', 3000, 0, 65535),
    host: v('HOST') ?? '0.0.0.0',
    logLevel: v('OPSGATE_LOG_LEVEL') ?? 'info',
    approvalTtlMs: int(v, 'OPSGATE_APPROVAL_TTL_SECONDS', 7200, 60, 30 * 86400) * 1000,
    shutdownTimeoutMs: int(v, 'OPSGATE_SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    sweepIntervalMs: int(v, 'OPSGATE_SWEEP_INTERVAL_MS', 30_000, 100, 3_600_000),
    refreshIntervalMs: int(v, 'OPSGATE_REFRESH_INTERVAL_MS', 60_000, 100, 86_400_000),
    bodyBudgetBytes: int(v, 'OPSGATE_BODY_BUDGET_BYTES', 32 * 1024 * 1024, 1024 * 1024, 1024 * 1024 * 1024),
    listenBacklog: int(v, 'OPSGATE_LISTEN_BACKLOG', 4096, 1, 65535),
    decisionLeaseMs: int(v, 'OPSGATE_DECISION_LEASE_MS', 30_000, 3000, 600_000),
  };
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(config.logLevel)) {
    bad('OPSGATE_LOG_LEVEL', 'error, warn, info, debug or silent');
  }
  const timeZone = v('OPSGATE_TIMEZONE');
  if (timeZone) {
    if (!isTimeZone(timeZone)) bad('OPSGATE_TIMEZONE', 'an IANA time zone such as Asia/Shanghai or UTC');
    config.timeZone = timeZone;
  }
  const store = v('OPSGATE_STORE');
  if (store) config.store = store;
  const webhookSecret = v('OPSGATE_WEBHOOK_SECRET');
  if (webhookSecret) {
    if (webhookSecret.length < 16) bad('OPSGATE_WEBHOOK_SECRET', 'at least 16 characters');
    config.webhookSecret = webhookSecret;
  }
  const botToken = v('SLACK_BOT_TOKEN');
  if (botToken) {
    const appToken = v('SLACK_APP_TOKEN');
    const apiUrl = url(v, 'SLACK_API_URL');
    if (appToken !== undefined && !appToken.startsWith('xapp-')) bad('SLACK_APP_TOKEN', 'an app-level token (xapp-…)');
    config.slack = {
      botToken,
      // Socket Mode authenticates the WebSocket with the app token; only HTTP mode needs the signing secret.
      signingSecret: appToken ? (v('SLACK_SIGNING_SECRET') ?? '') : need(v, 'SLACK_SIGNING_SECRET'),
      ...(appToken ? { appToken } : {}),
      ...(apiUrl ? { apiUrl: `${apiUrl}/` } : {}),
    };
  }
  const dingtalk = parseDingTalkConfig(v);
  if (dingtalk) config.dingtalk = dingtalk;
  // The scrubber (src/core/scrub.ts) knows every secret from the start; a store URL's password as well.
  registerSecrets([
    config.webhookSecret,
    config.slack?.botToken,
    config.slack?.signingSecret,
    config.slack?.appToken,
    config.dingtalk?.clientSecret,
    storePassword(config.store),
  ]);
  return config;
}

function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z0-9_+/-]{1,64}$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function storePassword(store: string | undefined): string | undefined {
  if (!store || !/^rediss?:/.test(store)) return undefined;
  try {
    const password = decodeURIComponent(new URL(store).password);
    return password || undefined;
  } catch {
    return undefined;
  }
}
