import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { z } from 'zod';
import { FAKE_DINGTALK_CREDENTIALS } from './dingtalk-gateway.js';

const strings = z.record(z.string(), z.string());
const tokenBody = z.object({ appKey: z.string(), appSecret: z.string() });
const createBody = z.object({
  cardTemplateId: z.string().min(1),
  outTrackId: z.string().min(1).max(128),
  callbackType: z.string().optional(),
  cardData: z.object({ cardParamMap: strings }),
  openSpaceId: z.string().regex(/^dtv1\.card\/\/(IM_GROUP|IM_ROBOT)\.[^;]+$/),
  imGroupOpenSpaceModel: z.object({ supportForward: z.boolean().optional() }).loose().optional(),
  imGroupOpenDeliverModel: z.object({ robotCode: z.string() }).optional(),
  imRobotOpenDeliverModel: z
    .object({ spaceType: z.literal('IM_ROBOT') })
    .loose()
    .optional(),
});
const updateBody = z.object({
  outTrackId: z.string().min(1),
  cardData: z.object({ cardParamMap: strings }).optional(),
  privateData: z.record(z.string(), z.object({ cardParamMap: strings })).optional(),
  cardUpdateOptions: z.object({ updateCardDataByKey: z.boolean().optional() }).loose().optional(),
});
const messageBody = z.object({ robotCode: z.string(), msgKey: z.string(), msgParam: z.string() });
const groupBody = messageBody.extend({ openConversationId: z.string().min(1) });
const otoBody = messageBody.extend({ userIds: z.array(z.string()).min(1) });

export interface FakeCard {
  outTrackId: string;
  cardTemplateId: string;
  openSpaceId: string;
  callbackType?: string;
  /** imGroupOpenSpaceModel.supportForward as sent (group cards). */
  supportForward?: boolean;
  /** Current public parameters (creation merged with every update by key). */
  params: Record<string, string>;
  updates: Array<Record<string, string>>;
}

export interface FakeMessage {
  kind: 'group' | 'user' | 'webhook';
  /** openConversationId (group), user ids (user), session id (webhook). */
  to: string | string[];
  msgKey: string;
  /** msgParam parsed (OpenAPI) or the webhook body. */
  content: Record<string, unknown>;
  at: number;
}

/**
 * A fake DingTalk OpenAPI on 127.0.0.1: access tokens, interactive cards (createAndDeliver, PUT instances), robot
 * group and one-to-one messages, and session webhooks (`/robot/sendBySession?session=`) whose expiry the test sets.
 * Shapes follow docs/reference/dingtalk.md; every call is recorded without its token.
 * @example
 * const openapi = await startFakeDingTalkOpenApi();
 * const hook = openapi.createSession({ ttlMs: 60_000 });
 */
export async function startFakeDingTalkOpenApi(
  options: { appKey?: string; appSecret?: string; tokenTtlSec?: number } = {},
) {
  const appKey = options.appKey ?? FAKE_DINGTALK_CREDENTIALS.clientId;
  const appSecret = options.appSecret ?? FAKE_DINGTALK_CREDENTIALS.clientSecret;
  const tokens = new Map<string, number>();
  const issued: string[] = [];
  const sessions = new Map<string, number>();
  const cards = new Map<string, FakeCard>();
  const messages: FakeMessage[] = [];
  const calls: Array<{ method: string; path: string; status: number }> = [];
  const sockets = new Set<Socket>();
  const state = {
    tokenRequests: 0,
    tokenTtlSec: options.tokenTtlSec ?? 7200,
    failNext: 0,
    successWhenUndelivered: false,
  };
  /** Spaces (openConversationId or userId) a delivery fails for, with DingTalk's errorMsg. */
  const undelivered = new Map<string, string>();

  function card(b: z.infer<typeof createBody>): FakeCard {
    return {
      outTrackId: b.outTrackId,
      cardTemplateId: b.cardTemplateId,
      openSpaceId: b.openSpaceId,
      ...(b.callbackType ? { callbackType: b.callbackType } : {}),
      ...(b.imGroupOpenSpaceModel ? { supportForward: b.imGroupOpenSpaceModel.supportForward } : {}),
      params: { ...b.cardData.cardParamMap },
      updates: [],
    };
  }

  function authed(req: IncomingMessage): boolean {
    const token = req.headers['x-acs-dingtalk-access-token'];
    const expires = typeof token === 'string' ? tokens.get(token) : undefined;
    return expires !== undefined && expires > Date.now();
  }

  function handle(req: IncomingMessage, path: string, query: URLSearchParams, raw: unknown): [number, unknown] {
    const bad = (message: string): [number, unknown] => [400, { code: 'InvalidParameter', message }];
    if (req.method === 'POST' && path === '/v1.0/oauth2/accessToken') {
      state.tokenRequests++;
      const body = tokenBody.safeParse(raw);
      if (!body.success || body.data.appKey !== appKey || body.data.appSecret !== appSecret) {
        return [400, { code: 'invalidClientIdOrSecret', message: 'wrong appKey or appSecret' }];
      }
      const accessToken = randomBytes(16).toString('hex');
      tokens.set(accessToken, Date.now() + state.tokenTtlSec * 1000);
      issued.push(accessToken);
      return [200, { accessToken, expireIn: state.tokenTtlSec }];
    }
    if (req.method === 'POST' && path === '/robot/sendBySession') {
      const session = query.get('session') ?? '';
      const expires = sessions.get(session);
      if (expires === undefined || expires <= Date.now()) return [200, { errcode: 300001, errmsg: 'session expired' }];
      messages.push({
        kind: 'webhook',
        to: session,
        msgKey: '',
        content: raw as Record<string, unknown>,
        at: Date.now(),
      });
      return [200, { errcode: 0, errmsg: 'ok' }];
    }
    if (!path.startsWith('/v1.0/')) return [404, { code: 'NotFound', message: 'no such API' }];
    if (!authed(req)) return [401, { code: 'InvalidAuthentication', message: 'access token invalid or expired' }];
    if (state.failNext > 0) {
      state.failNext--;
      return [500, { code: 'systemError', message: 'injected failure' }];
    }
    if (req.method === 'POST' && path === '/v1.0/card/instances/createAndDeliver') {
      const body = createBody.safeParse(raw);
      if (!body.success) return bad('createAndDeliver body');
      const b = body.data;
      if (cards.has(b.outTrackId)) return bad('outTrackId already used');
      // Answer shape: aliyun/dingtalk-sdk card_1_0 CreateAndDeliverResponseBody.cs (`success`, `result.outTrackId`,
      // `result.deliverResults[] {spaceType, spaceId, success, errorMsg, carrierId}`). The spaceId of an IM_GROUP
      // delivery is the openConversationId (the SDK's example value is `cid1234abcd`).
      const [, spaceType = '', spaceId = ''] = /^dtv1\.card\/\/(IM_GROUP|IM_ROBOT)\.(.+)$/.exec(b.openSpaceId) ?? [];
      const refusal = undelivered.get(spaceId);
      if (refusal === undefined) cards.set(b.outTrackId, card(b));
      const result =
        refusal === undefined
          ? { spaceType, spaceId, success: true, carrierId: randomBytes(12).toString('base64') }
          : { spaceType, spaceId, success: false, errorMsg: refusal };
      // No public source shows whether top-level `success` stays true when a space fails; configurable here.
      const success = refusal === undefined || state.successWhenUndelivered;
      return [200, { success, result: { outTrackId: b.outTrackId, deliverResults: [result] } }];
    }
    if (req.method === 'PUT' && path === '/v1.0/card/instances') {
      const body = updateBody.safeParse(raw);
      if (!body.success) return bad('update body');
      const card = cards.get(body.data.outTrackId);
      if (!card) return bad('unknown outTrackId');
      const params = body.data.cardData?.cardParamMap ?? {};
      card.updates.push(params);
      card.params = body.data.cardUpdateOptions?.updateCardDataByKey ? { ...card.params, ...params } : { ...params };
      return [200, { success: true, result: true }];
    }
    if (req.method === 'POST' && path === '/v1.0/robot/groupMessages/send') {
      const body = groupBody.safeParse(raw);
      if (!body.success) return bad('groupMessages body');
      const content = parseParam(body.data.msgParam);
      if (!content) return bad('msgParam is not JSON');
      messages.push({
        kind: 'group',
        to: body.data.openConversationId,
        msgKey: body.data.msgKey,
        content,
        at: Date.now(),
      });
      return [200, { processQueryKey: randomBytes(8).toString('hex') }];
    }
    if (req.method === 'POST' && path === '/v1.0/robot/oToMessages/batchSend') {
      const body = otoBody.safeParse(raw);
      if (!body.success) return bad('oToMessages body');
      const content = parseParam(body.data.msgParam);
      if (!content) return bad('msgParam is not JSON');
      messages.push({ kind: 'user', to: body.data.userIds, msgKey: body.data.msgKey, content, at: Date.now() });
      return [200, { processQueryKey: randomBytes(8).toString('hex'), invalidStaffIdList: [] }];
    }
    return [404, { code: 'NotFound', message: 'no such API' }];
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = new URL(req.url ?? '/', 'http://127.0.0.1');
      let raw: unknown;
      try {
        raw = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
      } catch {
        raw = undefined;
      }
      const [status, body] = handle(req, target.pathname, target.searchParams, raw);
      calls.push({ method: req.method ?? 'GET', path: target.pathname, status });
      send(res, status, body);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    credentials: { appKey, appSecret },
    cards,
    messages,
    calls,
    get tokenRequests() {
      return state.tokenRequests;
    },
    /** A session webhook URL valid for ttlMs (negative: already expired). */
    createSession(ttlMs = 90 * 60_000): { url: string; expiredTime: number; id: string } {
      const id = randomBytes(12).toString('hex');
      const expiredTime = Date.now() + ttlMs;
      sessions.set(id, expiredTime);
      return { url: `${url}/robot/sendBySession?session=${id}`, expiredTime, id };
    },
    /** Ends a session early (the webhook answers errcode≠0 while the message said it was still valid). */
    expireSession(id: string): void {
      sessions.set(id, 0);
    },
    /** The next `count` authenticated API calls (not tokens, not webhooks) answer 500. */
    failNext(count: number): void {
      state.failNext = count;
    },
    /**
     * Deliveries to this space fail from now on, as when the robot is not in the group: HTTP 200 with
     * `deliverResults[0].success: false` and `errorMsg`. The errorMsg wording is made up (DingTalk's is not public;
     * the SDK's example is "system error"); `topLevelSuccess` chooses the body's own `success`.
     */
    failDelivery(
      spaceId: string,
      errorMsg = 'robot is not a member of the conversation',
      topLevelSuccess = false,
    ): void {
      undelivered.set(spaceId, errorMsg);
      state.successWhenUndelivered = topLevelSuccess;
    },
    /** Invalidates every issued access token. */
    expireTokens(): void {
      tokens.clear();
    },
    /** Every token value issued (tests assert none reaches a log). */
    issuedTokens(): string[] {
      return [...issued];
    },
    async close(): Promise<void> {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      await stopped;
    },
  };
}

export type FakeDingTalkOpenApi = Awaited<ReturnType<typeof startFakeDingTalkOpenApi>>;

function parseParam(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
