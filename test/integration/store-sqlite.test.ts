import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { OpsError } from '../../src/core/errors.js';
import { SCHEMA_VERSION } from '../../src/store/sqlite/sqlite-schema.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { describeStoreContract, makeApproval, raceDecisions } from '../contract/store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'opsgate-sqlite-'));
let n = 0;
const freshPath = () => join(dir, `db-${++n}`, 'opsgate.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeStoreContract('sqlite (file)', async (now) => createSqliteStore({ path: freshPath(), now }), {
  leases: 'always-granted',
});
describeStoreContract('sqlite (:memory:)', async (now) => createSqliteStore({ path: ':memory:', now }), {
  leases: 'always-granted',
});

const isStoreError = (e: unknown) => e instanceof OpsError && e.code === 'STORE.ERROR';

describe('sqlite store on a file', () => {
  it('creates the parent directory, uses WAL, records the schema version, and keeps data across reopen', async () => {
    const path = join(dir, 'nested', 'deeper', 'opsgate.db');
    const a = makeApproval();
    const first = createSqliteStore({ path });
    await first.approvals.create(a);
    await first.audit.write({
      id: 'x',
      requestId: 'r',
      at: 1,
      phase: 'intent',
      subject: 's',
      operation: 'o',
      target: 't',
    });
    await first.close();
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.prepare('SELECT MAX(version) FROM schema_version').pluck().get()).toBe(SCHEMA_VERSION);
    raw.close();
    const second = createSqliteStore({ path });
    expect(await second.approvals.get(a.id)).toEqual(a);
    expect((await second.audit.unsettled()).map((r) => r.id)).toEqual(['x']);
    await second.close();
  });

  it('keeps the audit table append-only', async () => {
    const path = freshPath();
    const store = createSqliteStore({ path });
    await store.audit.write({
      id: 'x',
      requestId: 'r',
      at: 1,
      phase: 'intent',
      subject: 's',
      operation: 'o',
      target: 't',
    });
    await store.close();
    const raw = new Database(path);
    expect(() => raw.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    expect(() => raw.prepare(`UPDATE audit SET phase = 'outcome'`).run()).toThrow(/append-only/);
    raw.close();
  });

  it('refuses a database written by a newer schema', async () => {
    const path = freshPath();
    await createSqliteStore({ path }).close();
    const raw = new Database(path);
    raw.prepare('INSERT INTO schema_version (version) VALUES (?)').run(SCHEMA_VERSION + 1);
    raw.close();
    expect(() => createSqliteStore({ path })).toThrow(expect.objectContaining({ code: 'STORE.ERROR' }));
  });

  it('turns SQLITE_BUSY that outlives busy_timeout into STORE.ERROR', async () => {
    const path = freshPath();
    const store = createSqliteStore({ path, busyTimeoutMs: 20 });
    const other = new Database(path);
    other.exec('BEGIN EXCLUSIVE');
    try {
      const err = await store.approvals.create(makeApproval()).catch((e: unknown) => e);
      expect(isStoreError(err)).toBe(true);
      expect((err as OpsError).meta).toMatchObject({ operation: 'approvals.create', cause: 'SQLITE_BUSY' });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(await store.approvals.create(makeApproval())).toBe(true);
    await store.close();
  });

  it('lets exactly one of 50 concurrent lock+CAS deciders win across two instances on one file', async () => {
    const path = freshPath();
    const stores = [createSqliteStore({ path }), createSqliteStore({ path })];
    const result = await raceDecisions(stores, 50);
    expect(result.won).toBe(1);
    expect(result.won + result.busy + result.lost).toBe(50);
    for (const s of stores) await s.close();
  });

  it('shares dedupe claims and locks between instances on one file', async () => {
    const path = freshPath();
    const [a, b] = [createSqliteStore({ path }), createSqliteStore({ path })];
    expect(await a.dedupe.claim('evt', 60_000)).toBe(true);
    expect(await b.dedupe.claim('evt', 60_000)).toBe(false);
    await a.locks.withLock('k', 60_000, async () => {
      await expect(b.locks.withLock('k', 60_000, async () => 1)).rejects.toMatchObject({
        code: 'APPROVAL.IN_PROGRESS',
      });
    });
    expect(await b.locks.withLock('k', 60_000, async () => 2)).toBe(2);
    await a.close();
    await b.close();
  });
});
