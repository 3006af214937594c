import type { CliIo } from '../adapters/cli/run-cli.js';
import { OpsError } from '../core/errors.js';
import type { AuditRecord } from '../core/ports.js';
import { openStore } from '../store/open-store.js';
import type { Env } from './env.js';

const COLUMNS: Array<keyof AuditRecord> = [
  'at',
  'id',
  'requestId',
  'phase',
  'subject',
  'operation',
  'target',
  'ok',
  'code',
  'providerRequestId',
  'detail',
];

/** `opsgate audit [--since <ISO time|ms>] [--format jsonl|csv]`: exports the audit log of OPSGATE_STORE. */
export async function auditCommand(args: string[], env: Env, io: CliIo): Promise<number> {
  let since = 0;
  let format = 'jsonl';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = args[i + 1];
    if (arg === '--since' && value) {
      since = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
      if (Number.isNaN(since))
        throw new OpsError('INPUT.BAD_ARGUMENT', '--since must be an ISO time', { field: '--since' });
      i++;
    } else if (arg === '--format' && (value === 'jsonl' || value === 'csv')) {
      format = value;
      i++;
    } else {
      throw new OpsError('INPUT.BAD_ARGUMENT', `unexpected "${String(arg).slice(0, 40)}"`, {
        field: String(arg).slice(0, 40),
        usage: 'opsgate audit [--since <ISO time>] [--format jsonl|csv]',
      });
    }
  }
  const store = await openStore(env.OPSGATE_STORE);
  try {
    const records = await store.audit.list({ since });
    if (format === 'csv') {
      io.stdout(COLUMNS.join(','));
      for (const r of records)
        io.stdout(COLUMNS.map((c) => csv(c === 'at' ? new Date(r.at).toISOString() : r[c])).join(','));
    } else {
      for (const r of records) io.stdout(JSON.stringify({ ...r, time: new Date(r.at).toISOString() }));
    }
    return 0;
  } finally {
    await store.close();
  }
}

/** RFC 4180 quoting; a leading =,+,-,@ is prefixed so spreadsheets do not run it as a formula. */
function csv(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = String(value);
  if (/^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
