#!/usr/bin/env node
import { toOpsError } from '../core/errors.js';
import { scrub } from '../core/scrub.js';
import { startRuntime } from './runtime.js';
import { guardStream, isBrokenPipe } from './stdio-guard.js';

// `npm start`: the long-running bot. The only place that reads process.env and handles signals.
// A lost stdout/stderr reader is handled once, and never reported on the stream that failed (stdio-guard.ts).
const stdout = guardStream(process.stdout);
const stderr = guardStream(process.stderr);
try {
  const runtime = await startRuntime({ env: process.env });
  let signals = 0;
  const shutdown = (signal: string) => {
    signals++;
    if (signals > 1) process.exit(1); // a second signal means "now"
    runtime.logger.info({ signal }, 'shutting down');
    runtime.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  // Nothing a peer sends may take the process down: log and keep serving (adapters wrap their handlers too).
  process.on('unhandledRejection', (reason) =>
    runtime.logger.error({ code: toOpsError(reason).code }, 'unhandled rejection'),
  );
  process.on('uncaughtException', (err) => {
    if (isBrokenPipe(err) && (stdout.broken || stderr.broken)) return;
    runtime.logger.error({ code: toOpsError(err).code }, 'uncaught exception');
  });
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
} catch (err) {
  const error = toOpsError(err);
  const key = typeof error.meta.key === 'string' ? ` [${error.meta.key}]` : '';
  stderr.write(scrub(`opsgate failed to start: ${error.code}${key}: ${error.message}\n`));
  process.exit(3);
}
