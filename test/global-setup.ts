import type { TestProject } from 'vitest/node';
import { startRedisServer } from './support/redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** redis://127.0.0.1:<port> of the redis-server started for this run. */
    redisUrl: string;
  }
}

/**
 * Vitest global setup: starts the real services the product uses (Redis) for the whole run. Tests read the URL with
 * `inject('redisUrl')`; child processes get it as OPSGATE_TEST_REDIS_URL. Fails the run when redis-server is missing.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const redis = await startRedisServer();
  project.provide('redisUrl', redis.url);
  process.env.OPSGATE_TEST_REDIS_URL = redis.url;
  return async () => {
    await redis.stop();
  };
}
