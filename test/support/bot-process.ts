import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { testLogSink } from './test-logger.js';

const MAIN = join(import.meta.dirname, '..', '..', 'dist', 'app', 'main.js');

export interface BotProcess {
  child: ChildProcess;
  port: number;
  logs: string[];
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts `node dist/app/main.js` (the built bot, as `npm start` runs it, at log level debug) and waits for its
 * "ready" log line. Every line it writes is kept in `logs` and in the run's log directory (the secret scan).
 */
export function startBotProcess(env: Record<string, string>, timeoutMs = 15_000): Promise<BotProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', ...env, OPSGATE_LOG_LEVEL: 'debug' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const file = testLogSink('bot');
  const keep = (line: string) => {
    logs.push(line);
    file.write(`${line}\n`);
  };
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`bot not ready in ${timeoutMs} ms:\n${logs.join('\n')}`)),
      timeoutMs,
    );
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        keep(line);
        try {
          const entry = JSON.parse(line) as { msg?: string; port?: number };
          if (entry.msg === 'opsgate ready' && entry.port) {
            clearTimeout(timer);
            resolve({
              child,
              port: entry.port,
              logs,
              stop: () => {
                child.kill('SIGTERM');
                return exited;
              },
            });
          }
        } catch {
          // not a JSON log line (e.g. a dependency printing): keep it for diagnostics
        }
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    // The last line may come without a newline (a crash): keep it too.
    child.once('close', () => {
      if (buffer) keep(buffer);
      buffer = '';
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bot exited with ${code}:\n${logs.join('\n')}`));
    });
  });
}
