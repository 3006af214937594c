import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { formatScan, scanLogDir } from './support/log-scan.js';
import { startRedisServer } from './support/redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** redis://127.0.0.1:<port> of the redis-server started for this run. */
    redisUrl: string;
    /** Directory every harness writes its log lines into (test/support/test-logger.ts); scanned at the end. */
    logDir: string;
  }
}

/**
 * Vitest global setup: starts the real services the product uses (Redis) for the whole run. Tests read the URL with
 * `inject('redisUrl')`; child processes get it as OPSGATE_TEST_REDIS_URL. Fails the run when redis-server is missing.
 *
 * It also makes the run's log directory (`inject('logDir')`, OPSGATE_TEST_LOG_DIR) and, at the end, scans every line
 * written into it for secrets. A hit fails the run: vitest 4 only prints an error thrown by a global teardown
 * ("error during close") and still exits 0, so the teardown also sets process.exitCode.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const redis = await startRedisServer();
  project.provide('redisUrl', redis.url);
  process.env.OPSGATE_TEST_REDIS_URL = redis.url;
  let teardownLogs: () => Promise<void>;
  try {
    teardownLogs = await setupLogDir(project, 'integration');
  } catch (err) {
    await redis.stop();
    throw err;
  }
  return async () => {
    let stopFailure: unknown;
    await redis.stop().catch((err: unknown) => {
      stopFailure = err;
    });
    await teardownLogs();
    if (stopFailure) throw stopFailure;
  };
}

/** Makes the project's log directory and returns the teardown that scans it for secrets. */
export async function setupLogDir(project: TestProject, name: string): Promise<() => Promise<void>> {
  const logDir = join(tmpdir(), `opsgate-test-logs-${name}-${process.pid}`);
  rmSync(logDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });
  project.provide('logDir', logDir);
  process.env.OPSGATE_TEST_LOG_DIR = logDir;
  return async () => {
    const result = scanLogDir(logDir);
    console.log(`${name}: ${formatScan(result)}`);
    if (result.hits.length > 0) {
      process.exitCode = 1;
      throw new Error(`secrets found in test logs (kept in ${logDir})`);
    }
    // OPSGATE_TEST_KEEP_LOGS=1 keeps them for reading.
    if (process.env.OPSGATE_TEST_KEEP_LOGS !== '1') rmSync(logDir, { recursive: true, force: true });
  };
}
