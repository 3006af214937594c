import { accessSync, constants, type Stats, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { OpsError } from '../../core/errors.js';

/**
 * SQLite error codes that mean the storage itself failed (https://www.sqlite.org/rescode.html): read-only files or
 * directory, a full disk, I/O errors, a file that cannot be opened. Busy and locked stay transient STORE.ERROR.
 */
const STORAGE_FAILURES = /^SQLITE_(READONLY|FULL|IOERR|CANTOPEN|CORRUPT|NOTADB)/;

function unavailable(reason: string, operation?: string): OpsError {
  return new OpsError('STORE.UNAVAILABLE', `sqlite store unavailable: ${reason}`, {
    reason,
    ...(operation ? { operation } : {}),
  });
}

/**
 * Start-up check of the database's directory and files: each existing file (the database, its -wal and its -shm)
 * must be writable, and the directory must take a small file (a read-only or full disk fails here, not later). In
 * WAL mode SQLite maps the -shm file into memory; writing through a mapping of a file that cannot be written kills
 * the process with SIGBUS (https://www.sqlite.org/wal.html, "Implementation Of Shared-Memory For The WAL-Index", and
 * https://www.sqlite.org/walformat.html#shm), so this must be known before the first statement.
 */
export function checkWritable(path: string): void {
  const dir = dirname(path);
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      accessSync(file, constants.W_OK);
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'ENOENT') throw unavailable(`${basename(file)} is not writable`);
    }
  }
  const probe = join(dir, `.opsgate-write-probe-${process.pid}`);
  try {
    writeFileSync(probe, Buffer.alloc(4096), { flush: true });
    unlinkSync(probe);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw unavailable(`the data directory takes no writes (${typeof code === 'string' ? code : 'error'})`);
  }
}

/**
 * While running: the database file must still be the one opened (same device and inode: a deleted or replaced file
 * is reported, not written into an unlinked inode and lost on restart), and its -shm/-wal writable. The first
 * storage failure latches: later operations fail at once, without touching the database.
 */
export function createFileHealth(path: string) {
  const memory = path === ':memory:';
  const opened: Stats | undefined = memory ? undefined : statSync(path);
  let failure: OpsError | undefined;
  const latch = (error: OpsError) => {
    failure ??= error;
    return failure;
  };
  return {
    get broken(): boolean {
      return failure !== undefined;
    },
    check(): void {
      if (failure) throw failure;
      if (!opened) return;
      const now = statSync(path, { throwIfNoEntry: false });
      if (!now || now.ino !== opened.ino || now.dev !== opened.dev) {
        throw latch(unavailable('the database file was deleted or replaced'));
      }
      for (const file of [`${path}-shm`, `${path}-wal`]) {
        try {
          accessSync(file, constants.W_OK);
        } catch (err) {
          if ((err as { code?: unknown }).code !== 'ENOENT')
            throw latch(unavailable(`${basename(file)} is not writable`));
        }
      }
    },
    /** The latched failure for a storage error (or the one already latched); undefined for other errors. */
    failed(operation: string, err: unknown): OpsError | undefined {
      if (err instanceof OpsError && err.code === 'STORE.UNAVAILABLE') return err;
      const code = (err as { code?: unknown } | null)?.code;
      if (typeof code === 'string' && STORAGE_FAILURES.test(code)) return latch(unavailable(code, operation));
      return undefined;
    },
  };
}
