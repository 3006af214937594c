import { fork } from 'node:child_process';
import { closeChild, nextMessage, pollUntil } from './ipc.js';

export interface OpenApiCounts {
  /** Robot messages by kind (group = follow-ups in the group, webhook = replies through a session webhook). */
  group: number;
  user: number;
  webhook: number;
  /** Successful card updates (PUT /v1.0/card/instances). */
  cardUpdates: number;
}

export type ToOpenApiChild =
  | { type: 'sessions'; id: number; count: number }
  | { type: 'snapshot'; id: number; cardsFrom: number }
  | { type: 'close' };
export type FromOpenApiChild =
  | { type: 'ready'; url: string }
  | { type: 'sessions'; id: number; sessions: Array<{ url: string; expiredTime: number }> }
  | { type: 'snapshot'; id: number; counts: OpenApiCounts; cards: number; newCards: string[] };

export interface OpenApiSnapshot {
  counts: OpenApiCounts;
  /** Cards created so far. */
  cards: number;
}

export interface DingTalkOpenApiProcess {
  pid: number;
  /** DINGTALK_API_URL for the bot. */
  url: string;
  /** outTrackIds of every card the bot has created, in order (refreshed by snapshot()). */
  cards: string[];
  /** `count` session webhooks valid for 90 minutes (what a robot message carries). */
  sessions(count: number): Promise<Array<{ url: string; expiredTime: number }>>;
  snapshot(): Promise<OpenApiSnapshot>;
  /** Polls snapshot() until check() holds; rejects after timeoutMs naming what() it waited for. */
  until(
    check: (s: OpenApiSnapshot) => boolean,
    what: (s: OpenApiSnapshot) => string,
    timeoutMs?: number,
  ): Promise<void>;
  close(): Promise<void>;
}

const WHO = 'fake DingTalk OpenAPI child';

/**
 * Starts the fake DingTalk OpenAPI (src/fakes/dingtalk-openapi.ts) in a child process.
 * @example
 * const openapi = await startDingTalkOpenApiProcess(gateway.credentials);
 * await openapi.until((s) => s.cards >= 100, (s) => `${s.cards} cards`);
 */
export async function startDingTalkOpenApiProcess(credentials: {
  clientId: string;
  clientSecret: string;
}): Promise<DingTalkOpenApiProcess> {
  const child = fork(
    new URL('./dingtalk-openapi-child.js', import.meta.url),
    [JSON.stringify({ appKey: credentials.clientId, appSecret: credentials.clientSecret })],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  type Msg<K extends FromOpenApiChild['type']> = Extract<FromOpenApiChild, { type: K }>;
  const ready = await nextMessage(child, (m: FromOpenApiChild): m is Msg<'ready'> => m.type === 'ready', WHO);
  let nextId = 0;
  const api: DingTalkOpenApiProcess = {
    pid: child.pid ?? 0,
    url: ready.url,
    cards: [],
    async sessions(count) {
      const id = ++nextId;
      const answer = nextMessage(
        child,
        (m: FromOpenApiChild): m is Msg<'sessions'> => m.type === 'sessions' && m.id === id,
        WHO,
      );
      child.send({ type: 'sessions', id, count } satisfies ToOpenApiChild);
      return (await answer).sessions;
    },
    async snapshot() {
      const id = ++nextId;
      const answer = nextMessage(
        child,
        (m: FromOpenApiChild): m is Msg<'snapshot'> => m.type === 'snapshot' && m.id === id,
        WHO,
      );
      child.send({ type: 'snapshot', id, cardsFrom: api.cards.length } satisfies ToOpenApiChild);
      const s = await answer;
      api.cards.push(...s.newCards);
      return { counts: s.counts, cards: s.cards };
    },
    until: (check, what, timeoutMs) => pollUntil(() => api.snapshot(), check, what, timeoutMs),
    close: () => closeChild(child, exited),
  };
  return api;
}
