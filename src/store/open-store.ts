import { OpsError } from '../core/errors.js';
import type { Clock, Logger } from '../core/ports.js';
import type { Store } from '../core/store-ports.js';
import { createMemoryStore } from './memory/memory-store.js';
import { createRedisStore } from './redis/redis-store.js';
import { createSqliteStore } from './sqlite/sqlite-store.js';

export interface OpenStoreDeps {
  now?: Clock;
  logger?: Logger;
  /** Redis key prefix (default 'opsgate:'). */
  redisKeyPrefix?: string;
}

/** Where the store lives when OPSGATE_STORE is unset. */
export const DEFAULT_SQLITE_PATH = './data/opsgate.db';

const FORMS = 'sqlite:<path> | sqlite::memory: | memory: | redis://host:port | rediss://host:port';

/**
 * Opens the store named by an OPSGATE_STORE value: unset → sqlite at ./data/opsgate.db, `sqlite:<path>`,
 * `sqlite::memory:`, `memory:`, `redis://…`, `rediss://…`. A bad value is CONFIG.INVALID and is never echoed (a
 * Redis URL may carry a password).
 * @example
 * const store = await openStore(env.OPSGATE_STORE, { logger });
 */
export async function openStore(spec: string | undefined, deps: OpenStoreDeps = {}): Promise<Store> {
  const value = spec?.trim() ?? '';
  if (value === '') return createSqliteStore({ path: DEFAULT_SQLITE_PATH, now: deps.now, logger: deps.logger });
  if (value === 'memory:') return createMemoryStore(deps.now);
  if (value.startsWith('sqlite:')) {
    const path = value.slice('sqlite:'.length);
    if (path === '') throw invalid('sqlite: needs a file path or :memory:');
    return createSqliteStore({ path, now: deps.now, logger: deps.logger });
  }
  if (/^rediss?:\/\//i.test(value)) {
    checkRedisUrl(value);
    return createRedisStore({ url: value, keyPrefix: deps.redisKeyPrefix, now: deps.now, logger: deps.logger });
  }
  throw invalid('unknown store', schemeOf(value));
}

function checkRedisUrl(value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid('not a valid Redis URL', schemeOf(value));
  }
  if (url.hostname === '') throw invalid('Redis URL has no host', url.protocol.slice(0, -1));
  if (url.pathname !== '' && url.pathname !== '/' && !/^\/\d{1,2}$/.test(url.pathname)) {
    throw invalid('Redis URL path must be a database number', url.protocol.slice(0, -1));
  }
}

/** Only a plain scheme word is safe to show; with an `@` the word might be a user name, so nothing is shown. */
function schemeOf(value: string): string | undefined {
  if (value.includes('@')) return undefined;
  const scheme = /^([a-z][a-z0-9+.-]{0,15}):/i.exec(value)?.[1];
  return scheme?.toLowerCase();
}

function invalid(reason: string, scheme?: string): OpsError {
  return new OpsError('CONFIG.INVALID', `OPSGATE_STORE: ${reason} (expected ${FORMS})`, {
    key: 'OPSGATE_STORE',
    scheme,
    expected: FORMS,
  });
}
