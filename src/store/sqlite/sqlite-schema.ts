import type { Database } from 'better-sqlite3';
import { OpsError } from '../../core/errors.js';

/**
 * Schema migrations, applied in order at open. Entry i brings the schema to version i + 1; never edit a shipped
 * entry, append a new one.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE approvals (
     id TEXT PRIMARY KEY,
     status TEXT NOT NULL,
     review_key TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     version INTEGER NOT NULL,
     json TEXT NOT NULL
   );
   CREATE INDEX approvals_status_created ON approvals (status, created_at);
   CREATE INDEX approvals_open_review ON approvals (review_key) WHERE status = 'open';
   CREATE TABLE dedupe_claims (key TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
   CREATE INDEX dedupe_claims_expiry ON dedupe_claims (expires_at);
   CREATE TABLE locks (key TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL);
   CREATE TABLE audit (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL,
     at INTEGER NOT NULL,
     phase TEXT NOT NULL,
     json TEXT NOT NULL
   );
   CREATE INDEX audit_at ON audit (at);
   CREATE INDEX audit_id_phase ON audit (id, phase);
   CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
   CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;`,
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the database to SCHEMA_VERSION inside one IMMEDIATE transaction, so two processes opening the same file at
 * once migrate it once (the second waits on busy_timeout, then sees the new version).
 * @example
 * migrate(db); // idempotent
 */
export function migrate(db: Database): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const run = db.transaction(() => {
    const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null };
    const current = row.v ?? 0;
    if (current > SCHEMA_VERSION) {
      throw new OpsError('STORE.ERROR', 'database schema is newer than this build', {
        schemaVersion: current,
        supported: SCHEMA_VERSION,
      });
    }
    for (let v = current; v < SCHEMA_VERSION; v++) {
      db.exec(MIGRATIONS[v]!);
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(v + 1);
    }
    return current;
  });
  return run.immediate();
}
