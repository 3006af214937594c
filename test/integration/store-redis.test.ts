import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { OpsError } from '../../src/core/errors.js';
import type { Store } from '../../src/core/store-ports.js';
import { createRedisStore } from '../../src/store/redis/redis-store.js';
import { describeStoreContract, makeApproval, raceDecisions } from '../contract/store-contract.js';
import { startRedisServer } from '../support/redis-server.js';

const url = inject('redisUrl');
/** A fresh key prefix per store: test files and tests share one redis-server. */
const prefix = () => `opsgate-test:${randomUUID()}:`;

describeStoreContract('redis', async () => createRedisStore({ url, keyPrefix: prefix() }), { clock: 'real' });

describe('redis store', () => {
  const opened: Store[] = [];
  const open = (keyPrefix: string) => {
    const s = createRedisStore({ url, keyPrefix });
    opened.push(s);
    return s;
  };
  afterAll(async () => {
    for (const s of opened) await s.close();
  });

  it('lets exactly one of 50 concurrent lock+CAS deciders win across two connections', async () => {
    const keyPrefix = prefix();
    const result = await raceDecisions([open(keyPrefix), open(keyPrefix)], 50);
    expect(result.won).toBe(1);
    expect(result.won + result.busy + result.lost).toBe(50);
  });

  it('keeps every key under its prefix', async () => {
    const keyPrefix = prefix();
    const store = open(keyPrefix);
    await store.approvals.create(makeApproval());
    await store.dedupe.claim('evt', 60_000);
    await store.audit.write({
      id: 'x',
      requestId: 'r',
      at: 1,
      phase: 'intent',
      subject: 's',
      operation: 'o',
      target: 't',
    });
    const raw = new Redis(url);
    try {
      const keys = await raw.keys(`${keyPrefix}*`);
      expect(keys.length).toBeGreaterThanOrEqual(5);
      expect(await raw.keys('approval:*')).toEqual([]);
    } finally {
      raw.disconnect();
    }
  });

  it('lets the lock of a holder that died be taken once its lease lapses, and never releases a foreign lock', async () => {
    const keyPrefix = prefix();
    const store = open(keyPrefix);
    const raw = new Redis(url);
    try {
      // A holder that died: its key stays until its TTL, nobody renews it.
      await raw.set(`${keyPrefix}lock:dead`, 'ghost', 'PX', 100);
      await expect(store.locks.withLock('dead', 30_000, async () => 'early')).rejects.toMatchObject({
        code: 'APPROVAL.IN_PROGRESS',
      });
      await new Promise((r) => setTimeout(r, 150));
      expect(await store.locks.withLock('dead', 30_000, async () => 'taken')).toBe('taken');
      // A holder whose lease was taken over cannot renew (confirm fails) nor release the new holder's lock.
      const stolen = store.locks.withLock('stolen', 30_000, async (lease) => {
        await raw.set(`${keyPrefix}lock:stolen`, 'new-holder', 'PX', 30_000);
        await lease.confirm();
      });
      await expect(stolen).rejects.toMatchObject({ code: 'APPROVAL.IN_PROGRESS' });
      expect(await raw.get(`${keyPrefix}lock:stolen`)).toBe('new-holder');
    } finally {
      raw.disconnect();
    }
  });

  it('fails with STORE.ERROR when Redis cannot be reached', async () => {
    const server = await startRedisServer();
    const store = createRedisStore({ url: server.url, keyPrefix: prefix() });
    await store.ping();
    await server.stop();
    const err = await store.ping().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpsError);
    expect((err as OpsError).code).toBe('STORE.ERROR');
    expect(JSON.stringify((err as OpsError).toJSON())).not.toContain(String(server.port));
    await store.close();
  });

  it('rides out a Redis restart by reconnecting', async () => {
    const server = await startRedisServer();
    const store = createRedisStore({ url: server.url, keyPrefix: prefix() });
    try {
      expect(await store.dedupe.claim('before', 60_000)).toBe(true);
      await server.restart();
      let ok = false;
      for (let i = 0; i < 100 && !ok; i++) {
        ok = await store.dedupe.claim(`after-${i}`, 60_000).catch(() => false);
        if (!ok) await new Promise((r) => setTimeout(r, 50));
      }
      expect(ok).toBe(true);
    } finally {
      await store.close();
      await server.stop();
    }
  });
});
