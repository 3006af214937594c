import { existsSync } from 'node:fs';
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
  /** Readers (`opsgate audit`) open an existing store only: a missing SQLite file is STORE.NOT_FOUND, not created. */
  mustExist?: boolean;
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
  const problem = value === '' ? undefined : checkStoreSpec(value);
  if (problem) throw invalid(problem, problem.includes('unknown') ? schemeOf(value) : undefined);
  if (value === 'memory:') return createMemoryStore(deps.now);
  if (/^rediss?:\/\//i.test(value)) {
    return createRedisStore({ url: value, keyPrefix: deps.redisKeyPrefix, now: deps.now, logger: deps.logger });
  }
  const path = value === '' ? DEFAULT_SQLITE_PATH : value.slice('sqlite:'.length);
  if (deps.mustExist && path !== ':memory:' && !existsSync(path)) {
    throw new OpsError('STORE.NOT_FOUND', 'no store at the configured path (OPSGATE_STORE)', {
      key: 'OPSGATE_STORE',
      path: path.slice(0, 200),
    });
  }
  return createSqliteStore({ path, now: deps.now, logger: deps.logger });
}

/**
 * What is wrong with an OPSGATE_STORE value, or undefined when it is one of the accepted forms. Never echoes the
 * value. The configuration schema uses it too, so `opsgate check-config` and the start agree.
 */
/** The accepted forms of OPSGATE_STORE, for messages. */
export const STORE_FORMS = FORMS;

export function checkStoreSpec(spec: string): string | undefined {
  const value = spec.trim();
  if (value === 'memory:') return undefined;
  if (value.startsWith('sqlite:')) {
    return value.length === 'sqlite:'.length ? 'sqlite: without a file path' : undefined;
  }
  if (!/^rediss?:\/\//i.test(value)) return 'an unknown kind of store';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not a valid Redis URL';
  }
  if (url.hostname === '') return 'a Redis URL without a host';
  if (url.pathname !== '' && url.pathname !== '/' && !/^\/\d{1,2}$/.test(url.pathname)) {
    return 'a Redis URL whose path is not a database number (redis://host:port/0)';
  }
  return undefined;
}

/** Only a plain scheme word is safe to show; with an `@` the word might be a user name, so nothing is shown. */
function schemeOf(value: string): string | undefined {
  if (value.includes('@')) return undefined;
  const scheme = /^([a-z][a-z0-9+.-]{0,15}):/i.exec(value)?.[1];
  return scheme?.toLowerCase();
}

function invalid(reason: string, scheme?: string): OpsError {
  return new OpsError('CONFIG.INVALID', `OPSGATE_STORE must be ${FORMS} (this is ${reason})`, {
    key: 'OPSGATE_STORE',
    scheme,
    expected: FORMS,
  });
}
