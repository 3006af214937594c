import type { Locale } from '../core/i18n/index.js';
import type { YunxiaoConfig } from '../providers/aliyun/index.js';
import type { HuaweiConfig } from '../providers/huawei/index.js';
import { loadSettings } from './config-load.js';
import type { Env } from './env.js';

export { HUAWEI_HINT, YUNXIAO_HINT } from './config-load.js';

/**
 * The clouds, language and policy part of the configuration (loadSettings in config-load.ts reads it with the rest,
 * from the one table of variables in config-variables.ts). Only configured clouds are enabled.
 */
export interface AppConfig {
  locale: Locale;
  /** OPSGATE_LOCALE was set (DingTalk speaks Chinese unless it was). */
  localeSet?: boolean;
  policyPath?: string;
  huawei?: HuaweiConfig;
  yunxiao?: YunxiaoConfig;
  /** Which variables enable each cloud, for CONFIG.CLOUD_DISABLED messages. */
  enableHints: { huawei: string; yunxiao: string };
  http: { connectTimeoutMs: number; requestTimeoutMs: number; retries: number };
}

/** The AppConfig part of loadSettings (tests and tools that only need the clouds). */
export function loadConfig(env: Env, readFile?: (path: string) => string): AppConfig {
  return loadSettings(env, readFile).app;
}
