import { appendFileSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { createLogger } from '../../src/app/logger.js';
import type { Logger } from '../../src/core/ports.js';

/**
 * Test logs of the whole run go to one directory (made by test/global-setup.ts), which the global teardown scans for
 * secrets. One file per harness kind per worker process: `<name>-<pid>.jsonl`. Writes are synchronous (fs.writeSync),
 * so nothing is lost when vitest ends a worker; a worker writes its lines whole, so files never mix half lines.
 */
export function testLogDir(): string {
  let dir: string | undefined;
  try {
    dir = inject('logDir');
  } catch {
    dir = undefined;
  }
  dir ??= process.env.OPSGATE_TEST_LOG_DIR;
  if (!dir) throw new Error('no test log directory: run the tests through vitest (test/global-setup.ts makes it)');
  return dir;
}

export interface LogSink {
  path: string;
  /** Appends text as is (pino lines end in \n already). */
  write(text: string): boolean;
}

const sinks = new Map<string, LogSink>();

/**
 * The file sink for `name` in this process (opened once, kept open until the process ends).
 * @example
 * const sink = testLogSink('bot');
 * sink.write(`${line}\n`);
 */
export function testLogSink(name: string): LogSink {
  const safe = name.replace(/[^A-Za-z0-9_-]/g, '_');
  const existing = sinks.get(safe);
  if (existing) return existing;
  const path = join(testLogDir(), `${safe}-${process.pid}.jsonl`);
  const fd = openSync(path, 'a');
  const sink: LogSink = {
    path,
    write(text) {
      writeSync(fd, text);
      return true;
    },
  };
  sinks.set(safe, sink);
  return sink;
}

/**
 * The product's logger (pino, with its redaction) at debug level, writing into the run's log directory.
 * @example
 * const runtime = await startRuntime({ env, logger: testLogger('runtime') });
 */
export function testLogger(name: string): Logger {
  return createLogger({ level: 'debug', destination: testLogSink(name) as unknown as NodeJS.WritableStream });
}

/**
 * A logger that writes every line to all the given loggers (a capture array for assertions, and the run's file).
 * @example
 * const logger = teeLogger(captureLogger(lines), testLogger('slack-harness'));
 */
export function teeLogger(...loggers: Logger[]): Logger {
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (obj: Record<string, unknown>, msg?: string): void => {
      for (const logger of loggers) logger[level](obj, msg);
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (bindings) => teeLogger(...loggers.map((l) => l.child(bindings))),
  };
}

/**
 * Records secret values made at run time (e.g. access tokens a fake issued) for the teardown's scan; they are kept in
 * `<name>-<pid>.secrets`, which is read as a list of needles and not scanned as a log.
 */
export function recordSecrets(name: string, values: readonly string[]): void {
  const usable = values.filter((v) => v.length >= 8 && !v.includes('\n'));
  if (usable.length === 0) return;
  const safe = name.replace(/[^A-Za-z0-9_-]/g, '_');
  appendFileSync(join(testLogDir(), `${safe}-${process.pid}.secrets`), `${usable.join('\n')}\n`);
}
