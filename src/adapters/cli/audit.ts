import { OpsError } from '../../core/errors.js';
import type { AuditRecord } from '../../core/ports.js';
import type { CliIo } from './io.js';

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

export const AUDIT_USAGE = 'opsgate audit [--since <ISO time | epoch ms>] [--format jsonl|csv]';

/** The audit log of the configured store, opened read-only in spirit: a store that does not exist is an error. */
export interface AuditSource {
  list(options: { since: number }): Promise<AuditRecord[]>;
  close(): Promise<void>;
}

/** `opsgate audit`: exports the audit log of OPSGATE_STORE (the bot's store) as JSON lines or CSV. */
export async function auditCommand(args: string[], io: CliIo, open: () => Promise<AuditSource>): Promise<number> {
  let since = 0;
  let format = 'jsonl';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = args[i + 1];
    if (arg === '--since') {
      since = value === undefined ? Number.NaN : /^\d{1,15}$/.test(value) ? Number(value) : Date.parse(value);
      if (Number.isNaN(since)) {
        throw new OpsError('INPUT.BAD_ARGUMENT', '--since must be an ISO time or epoch milliseconds', {
          field: '--since',
          expected: 'an ISO time such as 2026-11-01T00:00:00Z, or epoch milliseconds',
          usage: AUDIT_USAGE,
        });
      }
      i++;
    } else if (arg === '--format') {
      if (value !== 'jsonl' && value !== 'csv') {
        throw new OpsError('INPUT.BAD_ARGUMENT', '--format must be jsonl or csv', {
          field: '--format',
          expected: 'jsonl or csv',
          usage: AUDIT_USAGE,
        });
      }
      format = value;
      i++;
    } else {
      throw new OpsError('INPUT.BAD_ARGUMENT', `unexpected "${String(arg).slice(0, 40)}"`, {
        field: String(arg).slice(0, 40),
        expected: '--since or --format',
        usage: AUDIT_USAGE,
      });
    }
  }
  const source = await open();
  try {
    const records = await source.list({ since });
    if (format === 'csv') {
      io.stdout(COLUMNS.join(','));
      for (const r of records) {
        io.stdout(COLUMNS.map((c) => csv(c === 'at' ? new Date(r.at).toISOString() : r[c])).join(','));
      }
    } else {
      for (const r of records) io.stdout(JSON.stringify({ ...r, time: new Date(r.at).toISOString() }));
    }
    return 0;
  } finally {
    await source.close();
  }
}

/** RFC 4180 quoting; a leading =,+,-,@ is prefixed so spreadsheets do not run it as a formula. */
function csv(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = String(value);
  if (/^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
