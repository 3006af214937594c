import type { Policy } from '../core/authz.js';
import { type Core, type CoreDeps, createCore } from '../core/core.js';
import type { AuditSink, Clock, Logger, Providers } from '../core/ports.js';
import type { Store } from '../core/store-ports.js';
import { createMemoryStore } from '../store/memory/memory-store.js';
import type { HttpClient } from '../net/http-client.js';
import type { AppConfig } from './config.js';
import { loadPolicy } from './policy.js';
import { createProviders } from './providers.js';

export interface Wired {
  config: AppConfig;
  providers: Providers;
  policy: Policy;
  core: Core;
  http: HttpClient;
  close(): Promise<void>;
}

/** Validated configuration (loadSettings) → policy → cloud clients → core. Shared by the CLI, the server and the sandbox. */
export function wire(
  config: AppConfig,
  deps: {
    logger: Logger;
    now?: Clock;
    audit?: AuditSink;
    /** Where approvals live (default: in memory, for commands that decide nothing, like check-config). */
    store?: Store;
    readFile?: (path: string) => string;
    core?: Partial<CoreDeps>;
    /** Decorates the providers (e.g. health tracking) before the core gets them. */
    wrapProviders?: (providers: Providers) => Providers;
  },
): Wired {
  const policy = loadPolicy(config.policyPath, deps.readFile);
  const created = createProviders(config, { logger: deps.logger, now: deps.now });
  const http = created.http;
  const providers = deps.wrapProviders ? deps.wrapProviders(created.providers) : created.providers;
  const core = createCore({
    providers,
    store: deps.store ?? createMemoryStore(deps.now),
    locale: config.locale,
    policy,
    logger: deps.logger,
    now: deps.now,
    audit: deps.audit,
    defaultYunxiaoOrganization: config.yunxiao?.organizationId,
    ...deps.core,
  });
  return {
    config,
    providers,
    policy,
    core,
    http,
    close: async () => {
      core.stop();
      await http.close();
    },
  };
}
