import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A redis-server child process on 127.0.0.1, no persistence, in its own temp dir. */
export interface RedisServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** redis://127.0.0.1:<port> */
  readonly url: string;
  /** Stops the process and removes its temp dir. */
  stop(): Promise<void>;
  /** Stops the process and starts a new one on the same port (data is gone: no persistence). */
  restart(): Promise<void>;
}

export const REDIS_MISSING =
  'redis-server is not installed: the store tests need a real Redis. Install it: ' +
  '`sudo apt-get install -y redis-server` (Debian/Ubuntu), `brew install redis` (macOS); CI installs it in .ci/run.';

const PING_TRIES = 200;
const PING_INTERVAL_MS = 25;

/**
 * Starts redis-server on a random free port and resolves once it answers PING.
 * @example
 * const redis = await startRedisServer();
 * try { … redis.url … } finally { await redis.stop(); }
 */
export async function startRedisServer(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'opsgate-redis-'));
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    try {
      let child = await launch(port, dir);
      const server: RedisServer = {
        host: '127.0.0.1',
        port,
        url: `redis://127.0.0.1:${port}`,
        async stop() {
          await terminate(child);
          rmSync(dir, { recursive: true, force: true });
        },
        async restart() {
          await terminate(child);
          child = await launch(port, dir);
        },
      };
      return server;
    } catch (err) {
      lastError = err;
      if ((err as Error).message === REDIS_MISSING) break;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError;
}

/** Restarts a server started by startRedisServer on the same port (the "Redis restart" fault). */
export function restartRedisServer(server: RedisServer): Promise<void> {
  return server.restart();
}

async function launch(port: number, dir: string): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn('redis-server', [...args, '--daemonize', 'no', '--dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-2000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  for (let i = 0; i < PING_TRIES; i++) {
    const failed = await Promise.race([spawnError, sleep(i === 0 ? 0 : PING_INTERVAL_MS).then(() => undefined)]);
    if (failed) {
      throw (failed as NodeJS.ErrnoException).code === 'ENOENT' ? new Error(REDIS_MISSING) : failed;
    }
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`redis-server on port ${port} exited: ${output.trim().split('\n').slice(-3).join(' | ')}`);
    }
    if (await pings(port)) return child;
  }
  await terminate(child);
  throw new Error(`redis-server on port ${port} did not answer PING`);
}

function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
