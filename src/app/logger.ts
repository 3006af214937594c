import { pino } from 'pino';
import type { Logger } from '../core/ports.js';
import { currentRequest } from '../core/request-context.js';
import { scrub } from '../core/scrub.js';
import { guardStream } from './stdio-guard.js';

/**
 * Structured JSON logs (pino: fast, maintained, has path-based redaction built in). Redaction here is the second
 * line of defence: code passes only safe fields, any field named like a secret is censored anyway, and every line
 * passes the scrubber (src/core/scrub.ts) before it is written.
 */
export const REDACT_PATHS = [
  'password',
  'secret',
  'token',
  'accessToken',
  'authorization',
  'signature',
  'sessionWebhook',
  'clientSecret',
  'sk',
  'headers.authorization',
  'headers["x-auth-token"]',
  'headers["x-yunxiao-token"]',
  'headers["x-acs-dingtalk-access-token"]',
  '*.password',
  '*.secret',
  '*.token',
  '*.accessToken',
  '*.authorization',
  '*.signature',
  '*.sessionWebhook',
  '*.clientSecret',
];

/** URLs keep scheme, host and path: user info and query strings (tokens, signatures) are cut from error text. */
function scrubUrls(text: string): string {
  return text
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, '$1***@')
    .replace(/(https?:\/\/[^\s?#]*)\?[^\s#]*/gi, '$1?***');
}

/**
 * An error for the log: type, code, message and stack (scrubbed of URL secrets), the OpsError meta (safe by
 * construction), and the cause chain up to five deep. Field names that look like secrets are still redacted.
 */
export function serializeError(err: unknown, depth = 0): unknown {
  if (!(err instanceof Error)) return typeof err === 'string' ? scrubUrls(err).slice(0, 500) : typeof err;
  const e = err as Error & { code?: unknown; meta?: unknown };
  const out: Record<string, unknown> = { type: e.name, message: scrubUrls(e.message) };
  if (typeof e.code === 'string') out.code = e.code;
  if (e.meta && typeof e.meta === 'object') out.meta = e.meta;
  if (e.stack) out.stack = scrubUrls(e.stack);
  if (e.cause !== undefined && depth < 5) out.cause = serializeError(e.cause, depth + 1);
  return out;
}

export function createLogger(
  options: { level?: string; destination?: NodeJS.WritableStream; base?: Record<string, unknown> } = {},
): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: options.base ?? { service: 'opsgate' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // One request id on every line of a request, including the HTTP client's, without passing it down by hand.
      mixin: () => {
        const context = currentRequest();
        return context ? { requestId: context.requestId } : {};
      },
      formatters: { level: (label) => ({ level: label }) },
      // `err`: an unexpected error, logged once with its stack and cause chain so it can be acted on.
      serializers: { err: serializeError },
      // The last step before a line is written: no configured secret or credential-shaped value leaves in a log.
      hooks: { streamWrite: scrub },
    },
    // stderr guarded: a reader that went away stops the logging there, once (stdio-guard.ts).
    (options.destination ?? guardStream(process.stderr)) as pino.DestinationStream,
  ) as unknown as Logger;
}

/**
 * The CLI's logger: the same redaction, but each line is `level: message (field=value …)` text on stderr, because a
 * person reads it; JSON lines are for the server's log pipeline.
 */
export function createTextLogger(level: string, write: (line: string) => void): Logger {
  const destination = {
    write(line: string) {
      try {
        const {
          level: label,
          msg,
          time: _time,
          service: _service,
          ...fields
        } = JSON.parse(line) as Record<string, unknown>;
        const extra = Object.entries(fields)
          .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join(' ');
        write(`${String(label)}: ${String(msg ?? '')}${extra ? ` (${extra})` : ''}`);
      } catch {
        write(line.trimEnd());
      }
    },
  };
  return createLogger({ level, destination: destination as unknown as NodeJS.WritableStream });
}
