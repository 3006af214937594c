import { fork } from 'node:child_process';
import type { HuaweiCredentials } from '../../src/fakes/cloud/fake-huawei-iam.js';
import type { HuaweiRunSeed } from '../../src/fakes/cloud/fake-huawei-types.js';
import type { DemoSeed } from '../../src/fakes/cloud/seed.js';
import { closeChild, nextMessage } from './ipc.js';

export interface ChildOptions {
  huaweiRepeatableDecisions?: boolean;
  latencyMs?: number;
}

/** Yunxiao devops (ACS3) credentials the child's fake accepts. */
export interface YunxiaoAccess {
  accessKeyId: string;
  accessKeySecret: string;
  organizationId: string;
}

export type ToChild = { type: 'stats' } | { type: 'close' } | { type: 'addRuns'; id: number; count: number };
export type FromChild =
  | {
      type: 'ready';
      url: string;
      huawei: { credentials: HuaweiCredentials; iamProjectId: string };
      yunxiao: YunxiaoAccess;
      demo: DemoSeed;
    }
  | {
      type: 'stats';
      iamTokenRequests: number;
      calls: number;
      statuses: Record<string, number>;
      actions: Record<string, number>;
    }
  | { type: 'runs'; id: number; runs: HuaweiRunSeed[] };

export interface CloudStats {
  iamTokenRequests: number;
  /** Requests received since the previous stats() call. */
  calls: number;
  /** Those requests by answered status ("0" = never answered). */
  statuses: Record<string, number>;
  /** Those requests by fake action (`detail`, `pass`, `refuse`, `token`, … or `other`). */
  actions: Record<string, number>;
}

export interface CloudProcess {
  /** Process id of the child (e.g. to lower its priority with os.setPriority). */
  pid: number;
  /** http://127.0.0.1:PORT of the fake cloud in the child. */
  url: string;
  huawei: { credentials: HuaweiCredentials; iamProjectId: string };
  yunxiao: YunxiaoAccess;
  /** `seedDemo` output of the child's fake cloud. */
  demo: DemoSeed;
  stats(): Promise<CloudStats>;
  /** Seeds `count` new CodeArts runs (one waiting review each, in the demo's project), so each can be decided once. */
  addHuaweiRuns(count: number): Promise<HuaweiRunSeed[]>;
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
const WHO = 'fake cloud child';

export async function startCloudProcess(options: ChildOptions = {}): Promise<CloudProcess> {
  const child = fork(new URL('./cloud-child.js', import.meta.url), [JSON.stringify(options)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await nextMessage(
    child,
    (m: FromChild): m is Extract<FromChild, { type: 'ready' }> => m.type === 'ready',
    WHO,
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let nextId = 0;
  return {
    pid: child.pid ?? 0,
    url: ready.url,
    huawei: ready.huawei,
    yunxiao: ready.yunxiao,
    demo: ready.demo,
    async stats() {
      const answer = nextMessage(
        child,
        (m: FromChild): m is Extract<FromChild, { type: 'stats' }> => m.type === 'stats',
        WHO,
      );
      child.send({ type: 'stats' } satisfies ToChild);
      const { iamTokenRequests, calls, statuses, actions } = await answer;
      return { iamTokenRequests, calls, statuses, actions };
    },
    async addHuaweiRuns(count) {
      const id = ++nextId;
      const answer = nextMessage(
        child,
        (m: FromChild): m is Extract<FromChild, { type: 'runs' }> => m.type === 'runs' && m.id === id,
        WHO,
      );
      child.send({ type: 'addRuns', id, count } satisfies ToChild);
      return (await answer).runs;
    },
    close: () => closeChild(child, exited),
  };
}
