import type { Clock, Logger, Providers } from '../core/ports.js';
import { createYunxiaoProvider } from '../providers/aliyun/index.js';
import { createHttpClient, type HttpClient } from '../net/http-client.js';
import { createHuaweiProviders } from '../providers/huawei/index.js';
import type { AppConfig } from './config.js';

/** Builds the cloud clients that the configuration enables, sharing one HTTP client (one pool per origin). */
export function createProviders(
  config: AppConfig,
  deps: { now?: Clock; logger?: Logger; http?: HttpClient } = {},
): { providers: Providers; http: HttpClient } {
  const now = deps.now ?? Date.now;
  const http =
    deps.http ??
    createHttpClient({
      connectTimeoutMs: config.http.connectTimeoutMs,
      headersTimeoutMs: config.http.requestTimeoutMs,
      bodyTimeoutMs: config.http.requestTimeoutMs,
      totalTimeoutMs: config.http.requestTimeoutMs,
      retries: config.http.retries,
      now,
      ...(deps.logger ? { logger: deps.logger } : {}),
    });
  const providers: Providers = { pipelines: {}, enableHints: config.enableHints };
  const logger = deps.logger ? { logger: deps.logger } : {};
  if (config.huawei) {
    const huawei = createHuaweiProviders(config.huawei, { http, now, ...logger });
    providers.pipelines.huawei = huawei.pipeline;
    providers.build = huawei.build;
    providers.check = huawei.check;
  }
  if (config.yunxiao) providers.pipelines.yunxiao = createYunxiaoProvider(config.yunxiao, { http, now, ...logger });
  return { providers, http };
}
