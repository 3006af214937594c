import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const MAIN = join(import.meta.dirname, '..', '..', 'dist', 'app', 'main.js');

export interface BotProcess {
  child: ChildProcess;
  port: number;
  logs: string[];
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `node dist/app/main.js` (the built bot, as `npm start` runs it) and waits for its "ready" log line. */
export function startBotProcess(env: Record<string, string>, timeoutMs = 15_000): Promise<BotProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', ...env, OPSGATE_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
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
        logs.push(line);
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
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bot exited with ${code}:\n${logs.join('\n')}`));
    });
  });
}
