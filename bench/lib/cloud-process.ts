import { type ChildProcess, fork } from 'node:child_process';
import type { HuaweiCredentials } from '../../src/fakes/cloud/fake-huawei-iam.js';
import type { DemoSeed } from '../../src/fakes/cloud/seed.js';

export interface ChildOptions {
  huaweiRepeatableDecisions?: boolean;
  latencyMs?: number;
}

export type ToChild = { type: 'stats' } | { type: 'close' };
export type FromChild =
  | { type: 'ready'; url: string; huawei: { credentials: HuaweiCredentials; iamProjectId: string }; demo: DemoSeed }
  | { type: 'stats'; iamTokenRequests: number; calls: number; statuses: Record<string, number> };

export interface CloudStats {
  iamTokenRequests: number;
  /** Requests received since the previous stats() call. */
  calls: number;
  /** Those requests by answered status ("0" = never answered). */
  statuses: Record<string, number>;
}

export interface CloudProcess {
  /** http://127.0.0.1:PORT of the fake cloud in the child. */
  url: string;
  huawei: { credentials: HuaweiCredentials; iamProjectId: string };
  /** `seedDemo` output of the child's fake cloud. */
  demo: DemoSeed;
  stats(): Promise<CloudStats>;
  close(): Promise<void>;
}

/**
 * Starts the fake cloud (src/fakes/cloud) in a child process on 127.0.0.1, seeded with `seedDemo`. Benchmarks that
 * compare clients use it so that the server's CPU time is not counted in the client process.
 * @example
 * const cloud = await startCloudProcess({ huaweiRepeatableDecisions: true });
 * // … clients call cloud.url …
 * console.log((await cloud.stats()).statuses); // { '200': 10000 }
 * await cloud.close();
 */
export async function startCloudProcess(options: ChildOptions = {}): Promise<CloudProcess> {
  const child = fork(new URL('./cloud-child.js', import.meta.url), [JSON.stringify(options)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await nextMessage(child, 'ready');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: ready.url,
    huawei: ready.huawei,
    demo: ready.demo,
    async stats() {
      const answer = nextMessage(child, 'stats');
      child.send({ type: 'stats' } satisfies ToChild);
      const { iamTokenRequests, calls, statuses } = await answer;
      return { iamTokenRequests, calls, statuses };
    },
    async close() {
      if (child.exitCode === null && child.connected) child.send({ type: 'close' } satisfies ToChild);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function nextMessage<K extends FromChild['type']>(
  child: ChildProcess,
  type: K,
): Promise<Extract<FromChild, { type: K }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (msg: FromChild) => {
      if (msg.type !== type) return;
      cleanup();
      resolve(msg as Extract<FromChild, { type: K }>);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`fake cloud child exited (${code}) before "${type}"`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
