import { OpsError } from '../core/errors.js';
import { type Env, readVar } from './env.js';

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
  slack?: { botToken: string; signingSecret: string; appToken?: string; apiUrl?: string };
  dingtalk?: {
    clientId: string;
    clientSecret: string;
    robotCode: string;
    cardTemplateId: string;
    apiUrl: string;
    gatewayUrl: string;
  };
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
  };
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(config.logLevel)) {
    bad('OPSGATE_LOG_LEVEL', 'error, warn, info, debug or silent');
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
      ...(apiUrl ? { apiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/` } : {}),
    };
  }
  const clientId = v('DINGTALK_CLIENT_ID');
  if (clientId) {
    const apiUrl = url(v, 'DINGTALK_API_URL') ?? 'https://api.dingtalk.com';
    config.dingtalk = {
      clientId,
      clientSecret: need(v, 'DINGTALK_CLIENT_SECRET'),
      robotCode: v('DINGTALK_ROBOT_CODE') ?? clientId,
      cardTemplateId: need(v, 'DINGTALK_CARD_TEMPLATE_ID'),
      apiUrl: apiUrl.replace(/\/+$/, ''),
      gatewayUrl: url(v, 'DINGTALK_GATEWAY_URL') ?? `${apiUrl.replace(/\/+$/, '')}/v1.0/gateway/connections/open`,
    };
  }
  return config;
}

type Get = (name: string) => string | undefined;

function need(v: Get, name: string): string {
  const value = v(name);
  if (value === undefined) throw new OpsError('CONFIG.INVALID', `${name} is required`, { key: name });
  return value;
}

function url(v: Get, name: string): string | undefined {
  const value = v(name);
  if (value === undefined) return undefined;
  if (!/^https?:\/\/[^\s]+$/.test(value)) bad(name, 'an http(s) URL');
  return value;
}

function int(v: Get, name: string, fallback: number, min: number, max: number): number {
  const value = v(name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d{1,10}$/.test(value) || n < min || n > max) bad(name, `a whole number from ${min} to ${max}`);
  return n;
}

function bad(name: string, expected: string): never {
  throw new OpsError('CONFIG.INVALID', `${name} must be ${expected}`, { key: name, expected });
}
