import { main } from '../../src/app/cli-main.js';
import { testLogSink } from './test-logger.js';

const LOG_LINE = /^(trace|debug|info|warn|error|fatal): /;

/**
 * Runs the real CLI `main` in-process at log level debug and captures every log line it writes: the CLI logs to its
 * stderr as text (`debug: http response (label=… status=200)`, src/app/logger.ts createTextLogger), so log lines are
 * the stderr lines that start with a level.
 *
 * @example
 * const { code, stdout, stderr, logs } = await runCliWithLogs(['exec', 'pending', url], env);
 */
export async function runCliWithLogs(argv: string[], env: Record<string, string>, osUser = 'alice') {
  let stdout = '';
  const stderrLines: string[] = [];
  const code = await main(
    argv,
    { OPSGATE_STORE: 'memory:', ...env, OPSGATE_LOG_LEVEL: 'debug' },
    {
      stdout: (t) => {
        stdout += `${t}\n`;
      },
      stderr: (t) => {
        stderrLines.push(t);
      },
      osUser,
    },
  );
  const lines = stderrLines.flatMap((t) => t.split('\n')).filter((l) => LOG_LINE.test(l));
  const stderr = stderrLines
    .filter((t) => !LOG_LINE.test(t))
    .map((t) => `${t}\n`)
    .join('');
  // Also into the run's log directory, for the secret scan (test/global-setup.ts).
  if (lines.length > 0) testLogSink('cli').write(`${lines.join('\n')}\n`);
  return { code, stdout, stderr, logs: lines };
}
