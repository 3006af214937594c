import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../../src/adapters/http/webhook-signature.js';
import { type Runtime, startRuntime } from '../../src/app/runtime.js';
import { type FakeCloud, startFakeCloud } from '../../src/fakes/cloud/fake-cloud.js';
import { type FakeSlackApi, startFakeSlackApi } from '../../src/fakes/slack-api.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { runtimeEnv, WEBHOOK_SECRET } from '../support/runtime-env.js';
import { testLogger } from '../support/test-logger.js';

/** `chattr +i` makes a file unwritable even for root (tests may run as root, where chmod does not bind). */
function chattrWorks(): boolean {
  try {
    const dir = mkdtempSync(join(tmpdir(), 'opsgate-chattr-'));
    writeFileSync(join(dir, 'f'), '');
    execFileSync('chattr', ['+i', join(dir, 'f')], { stdio: 'ignore' });
    execFileSync('chattr', ['-i', join(dir, 'f')], { stdio: 'ignore' });
    rmSync(dir, { recursive: true });
    return true;
  } catch {
    return false;
  }
}
const immutable = (path: string, on: boolean) => execFileSync('chattr', [on ? '+i' : '-i', path], { stdio: 'ignore' });

describe('the running bot reports a store that cannot write', () => {
  let cloud: FakeCloud;
  let slack: FakeSlackApi;
  let runtime: Runtime;
  let dir: string;

  beforeAll(async () => {
    cloud = await startFakeCloud();
    slack = await startFakeSlackApi();
    dir = mkdtempSync(join(tmpdir(), 'opsgate-store-faults-'));
    const env = runtimeEnv(cloud, slack, { OPSGATE_STORE: `sqlite:${join(dir, 'data', 'opsgate.db')}` });
    runtime = await startRuntime({ env, slackClientRetries: 0, logger: testLogger('store-faults') });
  });
  afterAll(async () => {
    await runtime?.stop();
    await slack?.close();
    await cloud?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the data directory deleted while running: /readyz 503 with the reason, and no approval is "created"', async () => {
    const readyz = `http://127.0.0.1:${runtime.port}/readyz`;
    expect((await fetch(readyz)).status).toBe(200);
    rmSync(join(dir, 'data'), { recursive: true, force: true });
    const res = await fetch(readyz);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      ready: false,
      checks: { store: { ready: false, detail: 'STORE.UNAVAILABLE: the database file was deleted or replaced' } },
    });
    const run = cloud.huawei.addRun({ reviews: ['Gate'] });
    const text = JSON.stringify({ target: run.url, channels: { slack: ['CREL'] } });
    const at = Math.floor(Date.now() / 1000);
    const answer = await fetch(`http://127.0.0.1:${runtime.port}/v1/approvals`, {
      method: 'POST',
      headers: { 'x-opsgate-timestamp': String(at), 'x-opsgate-signature': signWebhook(WEBHOOK_SECRET, at, text) },
      body: text,
    });
    expect(answer.status).toBeGreaterThanOrEqual(500);
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('STORE.UNAVAILABLE');
  });
});

describe.skipIf(!chattrWorks())('SQLite storage that cannot be written (chattr +i)', () => {
  it('an unwritable -shm at start is refused, not mapped (a write through it is a SIGBUS)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsgate-shm-'));
    const path = join(dir, 'opsgate.db');
    createSqliteStore({ path }).close();
    writeFileSync(`${path}-shm`, Buffer.alloc(32 * 1024));
    immutable(`${path}-shm`, true);
    try {
      expect(() => createSqliteStore({ path })).toThrow(expect.objectContaining({ code: 'STORE.UNAVAILABLE' }));
    } finally {
      immutable(`${path}-shm`, false);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('files made read-only while running: the next write fails as STORE.UNAVAILABLE, then every call does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsgate-ro-'));
    const path = join(dir, 'opsgate.db');
    const store = createSqliteStore({ path });
    expect(await store.dedupe.claim('before', 60_000)).toBe(true);
    const files = [path, `${path}-wal`, `${path}-shm`];
    for (const file of files) immutable(file, true);
    try {
      await expect(store.dedupe.claim('after', 60_000)).rejects.toMatchObject({ code: 'STORE.UNAVAILABLE' });
      for (const file of files) immutable(file, false);
      // Latched: the storage failed once, the store stays unavailable until a restart looks at it again.
      await expect(store.ping()).rejects.toMatchObject({ code: 'STORE.UNAVAILABLE' });
    } finally {
      for (const file of files) {
        try {
          immutable(file, false);
        } catch {
          // already mutable
        }
      }
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
