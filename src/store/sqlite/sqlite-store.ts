import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { AuditRecord, Clock, Logger } from '../../core/ports.js';
import { silentLogger } from '../../core/ports.js';
import type { Approval, Store } from '../../core/store-ports.js';
import { nextVersion, reviewKeyOf, runLocked, storeError } from '../store-common.js';
import { checkWritable, createFileHealth } from './file-health.js';
import { migrate } from './sqlite-schema.js';

export interface SqliteStoreOptions {
  /** Database file, or ':memory:'. The parent directory is created when missing. */
  path: string;
  now?: Clock;
  logger?: Logger;
  /** How long a write waits for another connection's lock before STORE.ERROR (default 5000 ms). */
  busyTimeoutMs?: number;
  /** Lock owner tokens (default: random UUIDs). */
  token?: () => string;
}

const PRUNE_EVERY = 256;

/**
 * Embedded default store on better-sqlite3: WAL, busy_timeout so processes sharing the file wait for each other,
 * approvals as JSON with indexed columns and CAS on `version`, expiring dedupe claims and owner-token locks, and an
 * append-only audit table.
 * @example
 * const store = createSqliteStore({ path: './data/opsgate.db' });
 * await store.approvals.create(approval);
 */
export function createSqliteStore(options: SqliteStoreOptions): Store {
  const now = options.now ?? Date.now;
  const logger = (options.logger ?? silentLogger).child({ store: 'sqlite' });
  const token = options.token ?? randomUUID;
  const db = openDatabase(options);
  const health = createFileHealth(options.path);
  const q = {
    create: db.prepare(
      `INSERT INTO approvals (id, status, review_key, created_at, version, json) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO NOTHING`,
    ),
    get: db.prepare('SELECT json FROM approvals WHERE id = ?').pluck(),
    update: db.prepare(
      `UPDATE approvals SET status = ?, review_key = ?, created_at = ?, version = ?, json = ?
       WHERE id = ? AND version = ?`,
    ),
    listOpen: db.prepare(`SELECT json FROM approvals WHERE status = 'open' ORDER BY created_at, rowid LIMIT ?`).pluck(),
    byReview: db
      .prepare(`SELECT json FROM approvals WHERE review_key = ? AND status = 'open' ORDER BY created_at LIMIT 1`)
      .pluck(),
    claim: db.prepare(
      `INSERT INTO dedupe_claims (key, expires_at) VALUES (@key, @until)
       ON CONFLICT(key) DO UPDATE SET expires_at = excluded.expires_at WHERE dedupe_claims.expires_at <= @now`,
    ),
    pruneClaims: db.prepare('DELETE FROM dedupe_claims WHERE expires_at <= ?'),
    acquire: db.prepare(
      `INSERT INTO locks (key, owner, expires_at) VALUES (@key, @owner, @until)
       ON CONFLICT(key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
       WHERE locks.expires_at <= @now`,
    ),
    release: db.prepare('DELETE FROM locks WHERE key = ? AND owner = ?'),
    renew: db.prepare('UPDATE locks SET expires_at = @until WHERE key = @key AND owner = @owner AND expires_at > @now'),
    pruneLocks: db.prepare('DELETE FROM locks WHERE expires_at <= ?'),
    audit: db.prepare('INSERT INTO audit (id, at, phase, json) VALUES (?, ?, ?, ?)'),
    auditList: db.prepare('SELECT json FROM audit WHERE at >= ? ORDER BY seq LIMIT ?').pluck(),
    unsettled: db
      .prepare(
        `SELECT json FROM audit a WHERE a.phase = 'intent'
         AND NOT EXISTS (SELECT 1 FROM audit o WHERE o.id = a.id AND o.phase = 'outcome') ORDER BY a.seq`,
      )
      .pluck(),
  };
  let claimsSincePrune = 0;
  const prune = () => {
    const t = now();
    const removed = q.pruneClaims.run(t).changes + q.pruneLocks.run(t).changes;
    if (removed > 0) logger.debug({ removed }, 'pruned expired claims and locks');
  };
  // Every operation first checks that the files are still there and writable (file-health.ts): a write through an
  // unwritable -shm mapping is a SIGBUS, not an error. After a storage failure nothing touches the database again.
  const guard = <T>(operation: string, fn: () => T): Promise<T> => {
    try {
      health.check();
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(health.failed(operation, err) ?? storeError(operation, err));
    }
  };
  const parse = (rows: unknown[]): Approval[] => rows.map((json) => JSON.parse(json as string) as Approval);
  const row = (a: Approval) => [a.status, reviewKeyOf(a), a.createdAt, a.version, JSON.stringify(a)] as const;

  return {
    kind: 'sqlite',
    approvals: {
      create: (a) => guard('approvals.create', () => q.create.run(a.id, ...row(a)).changes === 1),
      get: (id) =>
        guard('approvals.get', () => {
          const json = q.get.get(id) as string | undefined;
          return json === undefined ? undefined : (JSON.parse(json) as Approval);
        }),
      update: (next, expectedVersion) =>
        guard('approvals.update', () => {
          const stored = nextVersion(next, expectedVersion);
          return q.update.run(...row(stored), stored.id, expectedVersion).changes === 1;
        }),
      listOpen: (limit = 1000) => guard('approvals.listOpen', () => parse(q.listOpen.all(limit))),
      findOpenByReview: (key) => guard('approvals.findOpenByReview', () => parse(q.byReview.all(key))[0]),
    },
    dedupe: {
      claim: (key, ttlMs) =>
        guard('dedupe.claim', () => {
          const t = now();
          const won = q.claim.run({ key, until: t + ttlMs, now: t }).changes === 1;
          if (++claimsSincePrune >= PRUNE_EVERY) {
            claimsSincePrune = 0;
            prune();
          }
          return won;
        }),
    },
    locks: {
      withLock(key, ttlMs, fn) {
        const owner = token();
        return runLocked(
          key,
          ttlMs,
          {
            acquire: async () =>
              guard(
                'locks.acquire',
                () => q.acquire.run({ key, owner, until: now() + ttlMs, now: now() }).changes === 1,
              ),
            renew: async () =>
              guard('locks.renew', () => q.renew.run({ key, owner, until: now() + ttlMs, now: now() }).changes === 1),
            release: async () => guard('locks.release', () => void q.release.run(key, owner)),
          },
          fn,
          logger,
        );
      },
    },
    // One replica by design (the file is local): the lease is always granted, so a single bot always holds it.
    leases: {
      acquire: async () => token(),
      renew: async () => true,
      release: async () => undefined,
    },
    audit: {
      write: (r) => guard('audit.write', () => void q.audit.run(r.id, r.at, r.phase, JSON.stringify(r))),
      list: (o = {}) =>
        guard('audit.list', () =>
          q.auditList.all(o.since ?? 0, o.limit ?? -1).map((j) => JSON.parse(j as string) as AuditRecord),
        ),
      unsettled: () =>
        guard('audit.unsettled', () => q.unsettled.all().map((j) => JSON.parse(j as string) as AuditRecord)),
    },
    ping: () => guard('ping', () => void db.prepare('SELECT 1').get()),
    // A store whose files failed is not closed: closing checkpoints the WAL through the same -shm mapping.
    close: () => (health.broken ? Promise.resolve() : guard('close', () => void (db.open && db.close()))),
  };
}

function openDatabase(options: SqliteStoreOptions): Database.Database {
  let db: Database.Database | undefined;
  try {
    const memory = options.path === ':memory:';
    if (!memory) {
      mkdirSync(dirname(options.path), { recursive: true });
      checkWritable(options.path);
    }
    db = new Database(options.path);
    // busy_timeout first: journal_mode and the migration below may already wait on another process.
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    if (!memory) db.pragma('journal_mode = WAL');
    migrate(db);
    return db;
  } catch (err) {
    db?.close();
    throw storeError('open', err);
  }
}
