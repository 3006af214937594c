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
      // The last step before a line is written: no configured secret or credential-shaped value leaves in a log.
      hooks: { streamWrite: scrub },
    },
    // stderr guarded: a reader that went away stops the logging there, once (stdio-guard.ts).
    (options.destination ?? guardStream(process.stderr)) as pino.DestinationStream,
  ) as unknown as Logger;
}
