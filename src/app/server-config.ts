import type { DingTalkConfig } from '../adapters/dingtalk/config.js';
import type { SlackConfig } from '../adapters/slack/config.js';
import { loadSettings } from './config-load.js';
import type { Env } from './env.js';

/** Settings of the long-running bot beyond the clouds (read by loadSettings in config-load.ts). */
export interface ServerConfig {
  port: number;
  host: string;
  /** OPSGATE_STORE as set; unset means the default SQLite file. */
  store?: string;
  webhookSecret?: string;
  /** OPSGATE_LOG_LEVEL as set; unset means info for the bot, warn for the CLI. */
  logLevel?: string;
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

/** The ServerConfig part of loadSettings. */
export function loadServerConfig(env: Env, readFile?: (path: string) => string): ServerConfig {
  return loadSettings(env, readFile).server;
}
