import { main } from '../../src/app/cli-main.js';
import { testLogSink } from './test-logger.js';

/**
 * Runs the real CLI `main` in-process at log level debug and captures every log line it writes. `main` builds its own
 * pino logger (src/app/logger.ts) on process.stderr, so stderr writes are intercepted for the duration of the call
 * (the in-process CLI runs one at a time; the original writer is restored even when main throws).
 *
 * @example
 * const { code, stdout, stderr, logs } = await runCliWithLogs(['exec', 'pending', url], env);
 */
export async function runCliWithLogs(argv: string[], env: Record<string, string>, osUser = 'alice') {
  let stdout = '';
  let stderr = '';
  const logs: string[] = [];
  const original = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    logs.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    done?.();
    return true;
  }) as typeof process.stderr.write;
  let code: number;
  try {
    code = await main(
      argv,
      { OPSGATE_STORE: 'memory:', ...env, OPSGATE_LOG_LEVEL: 'debug' },
      {
        stdout: (t) => {
          stdout += `${t}\n`;
        },
        stderr: (t) => {
          stderr += `${t}\n`;
        },
        osUser,
      },
    );
  } finally {
    process.stderr.write = original;
  }
  const lines = logs
    .join('')
    .split('\n')
    .filter((l) => l.length > 0);
  // Also into the run's log directory, for the secret scan (test/global-setup.ts).
  if (lines.length > 0) testLogSink('cli').write(`${lines.join('\n')}\n`);
  return { code, stdout, stderr, logs: lines };
}
