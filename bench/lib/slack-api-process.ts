import { fork } from 'node:child_process';
import { closeChild, nextMessage, pollUntil } from './ipc.js';
import type { PostedApproval, SlackCounts } from './slack-load.js';

export type ToSlackChild = { type: 'snapshot'; id: number; approvalsFrom: number } | { type: 'close' };
export type FromSlackChild =
  | { type: 'ready'; url: string; apiUrl: string; botToken: string }
  | {
      type: 'snapshot';
      id: number;
      counts: SlackCounts;
      approvals: number;
      newApprovals: PostedApproval[];
      updates: Array<['processing' | 'final', string, number]>;
    };

export interface SlackSnapshot {
  counts: SlackCounts;
  /** Approval messages posted so far. */
  approvals: number;
}

export interface SlackApiProcess {
  /** Process id of the child (e.g. to lower its priority with os.setPriority). */
  pid: number;
  url: string;
  /** SLACK_API_URL for the bot. */
  apiUrl: string;
  botToken: string;
  /** A response_url on the fake (what Slack puts in a slash command). */
  responseUrl(id: string): string;
  /** Every approval message the bot has posted, in arrival order (refreshed by snapshot()). */
  approvals: PostedApproval[];
  /**
   * Counts so far; also collects new approval messages and hands each chat.update of an approval message to
   * `onUpdate` with its arrival time in epoch ms (performance.timeOrigin + performance.now() in the child).
   */
  snapshot(): Promise<SlackSnapshot>;
  onUpdate?: (kind: 'processing' | 'final', key: string, epochMs: number) => void;
  /** Polls snapshot() until check() holds; rejects after timeoutMs naming what() it waited for. */
  until(check: (s: SlackSnapshot) => boolean, what: (s: SlackSnapshot) => string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the fake Slack Web API in a child process (the bot's chat.postMessage, chat.update, response_url posts land
 * there), so the benchmark process only sends requests and times them.
 * @example
 * const slack = await startSlackApiProcess();
 * await slack.until((s) => s.approvals >= 100, (s) => `${s.approvals} approvals`);
 */
const WHO = 'fake Slack API child';

export async function startSlackApiProcess(): Promise<SlackApiProcess> {
  const child = fork(new URL('./slack-api-child.js', import.meta.url), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await nextMessage(
    child,
    (m: FromSlackChild): m is Extract<FromSlackChild, { type: 'ready' }> => m.type === 'ready',
    WHO,
  );
  let nextId = 0;
  const api: SlackApiProcess = {
    pid: child.pid ?? 0,
    url: ready.url,
    apiUrl: ready.apiUrl,
    botToken: ready.botToken,
    responseUrl: (id) => `${ready.url}/response_url/${id}`,
    approvals: [],
    async snapshot() {
      const id = ++nextId;
      const answer = nextMessage(
        child,
        (m: FromSlackChild): m is Extract<FromSlackChild, { type: 'snapshot' }> => m.type === 'snapshot' && m.id === id,
        WHO,
      );
      child.send({ type: 'snapshot', id, approvalsFrom: api.approvals.length } satisfies ToSlackChild);
      const s = await answer;
      api.approvals.push(...s.newApprovals);
      for (const [kind, key, at] of s.updates) api.onUpdate?.(kind, key, at);
      return { counts: s.counts, approvals: s.approvals };
    },
    until: (check, what, timeoutMs) => pollUntil(() => api.snapshot(), check, what, timeoutMs),
    close: () => closeChild(child, exited),
  };
  return api;
}
