import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../../../src/core/ports.js';
import { createHttpClient, type HttpClient } from '../../../../src/net/http-client.js';

/** A request as the small fake server saw it. */
export interface Recorded {
  method: string;
  rawUrl: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

export type Handler = (req: Recorded) => Reply | Promise<Reply>;

export interface Fake {
  url: string;
  requests: Recorded[];
  setHandler(handler: Handler): void;
  close(): Promise<void>;
}

/** Starts a node:http server on 127.0.0.1:0; every answer carries `X-Request-Id: req-<n>` like Huawei's gateway. */
export async function startFake(handler: Handler = () => ({ status: 404, json: {} })): Promise<Fake> {
  let current = handler;
  let n = 0;
  const requests: Recorded[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawUrl = req.url ?? '/';
      const parsed = new URL(rawUrl, 'http://fake.invalid');
      const rec: Recorded = {
        method: req.method ?? 'GET',
        rawUrl,
        path: parsed.pathname,
        query: parsed.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(rec);
      n += 1;
      const id = `req-${n}`;
      Promise.resolve()
        .then(() => current(rec))
        .catch(() => ({ status: 500, json: { error_code: 'FAKE.500', error_msg: 'handler threw' } }) as Reply)
        .then((reply) => {
          const body = reply.text ?? (reply.json === undefined ? '' : JSON.stringify(reply.json));
          res.writeHead(reply.status, {
            'Content-Type': 'application/json',
            'X-Request-Id': id,
            ...(reply.headers ?? {}),
          });
          res.end(body);
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setHandler(h) {
      current = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A real client with fast retries (no sleeping) so 429/503 tests stay quick. */
export function testHttp(retries = 1): HttpClient {
  return createHttpClient({ retries, sleep: async () => {}, baseDelayMs: 0 });
}

/** Collects log lines so tests can assert that no secret was logged. */
export function captureLogger(lines: unknown[] = []): Logger & { lines: unknown[] } {
  const log = (level: string) => (obj: Record<string, unknown>, msg?: string) => {
    lines.push({ level, obj, msg });
  };
  const logger: Logger & { lines: unknown[] } = {
    lines,
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: () => logger,
  };
  return logger;
}

interface SdkRequest {
  endpoint: string;
  method: string;
  queryParams?: Record<string, string | string[]>;
  headers: Record<string, string>;
  data?: unknown;
}
interface SdkSigner {
  sign(request: SdkRequest, credential: { getAk(): string; getSk(): string }): Record<string, string>;
}

const require = createRequire(import.meta.url);
const { AKSKSigner } = require('@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js') as { AKSKSigner: SdkSigner };

/** Huawei's own Node SDK signer (huaweicloud-sdk-core), the independent implementation we compare against. */
export function sdkSign(request: SdkRequest, ak: string, sk: string): Record<string, string> {
  return AKSKSigner.sign(request, { getAk: () => ak, getSk: () => sk });
}

export function queryObject(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of params) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

const AUTH_HEADER = /^SDK-HMAC-SHA256 Access=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/;

/**
 * Verifies a received request the way the gateway does: rebuilds the signature over the headers named in
 * SignedHeaders with the SDK signer. Returns undefined when valid, else a reason.
 */
export function verifyAkSk(rec: Recorded, ak: string, sk: string): string | undefined {
  const auth = rec.headers.authorization;
  const m = typeof auth === 'string' ? AUTH_HEADER.exec(auth) : null;
  if (!m) return 'malformed Authorization';
  if (m[1] !== ak) return 'unknown AK';
  const headers: Record<string, string> = {};
  for (const name of (m[2] ?? '').split(';')) {
    const v = rec.headers[name];
    if (typeof v !== 'string') return `signed header ${name} missing`;
    headers[name === 'x-sdk-date' ? 'X-Sdk-Date' : name] = v;
  }
  if (!headers['X-Sdk-Date']) return 'X-Sdk-Date not signed';
  const expected = sdkSign(
    {
      endpoint: `http://${headers.host}${rec.path}`,
      method: rec.method,
      queryParams: queryObject(rec.query),
      headers,
      data: rec.body ? JSON.parse(rec.body) : undefined,
    },
    ak,
    sk,
  ).Authorization;
  return expected === auth ? undefined : 'signature mismatch';
}

/** Fake IAM: issues `tok-<n>` tokens valid for ttlMs from the injected clock; remembers which are valid. */
export function createFakeIam(opts: { user: string; password: string; now: () => number; ttlMs?: number }) {
  const ttlMs = opts.ttlMs ?? 24 * 3600_000;
  const valid = new Set<string>();
  const failures: Reply[] = [];
  let issued = 0;
  return {
    valid,
    get issued() {
      return issued;
    },
    /** The next IAM calls answer these replies, in order. */
    failNext(...replies: Reply[]) {
      failures.push(...replies);
    },
    handle(rec: Recorded): Reply {
      const fail = failures.shift();
      if (fail) return fail;
      const body = JSON.parse(rec.body) as {
        auth: { identity: { password: { user: { name: string; password: string } } } };
      };
      const u = body.auth.identity.password.user;
      if (u.name !== opts.user || u.password !== opts.password) {
        return {
          status: 401,
          json: { error: { code: 401, message: 'The username or password is wrong.', title: 'Unauthorized' } },
        };
      }
      issued += 1;
      const token = `tok-${issued}-${'x'.repeat(24)}`;
      valid.add(token);
      return {
        status: 201,
        headers: { 'X-Subject-Token': token },
        json: {
          token: {
            expires_at: new Date(opts.now() + ttlMs).toISOString(),
            issued_at: new Date(opts.now()).toISOString(),
          },
        },
      };
    },
    /** Undefined when the request carries a valid token, else the gateway's 401. */
    check(rec: Recorded): Reply | undefined {
      const t = rec.headers['x-auth-token'];
      if (typeof t === 'string' && valid.has(t)) return undefined;
      return { status: 401, json: { error_code: 'APIGW.0307', error_msg: 'The token must be updated.' } };
    },
  };
}

export const ID = {
  project: 'd80a8a6530324b7bac972cbb8a9f28ec',
  pipeline: '8bfbd69eac154a0da341705a36294aca',
  run: '12abeb9da0964cf3bd3ffd6813153e12',
  job: '97b4991cf3374d8d96e08b38f79c8827',
  step: '6ff8e898026447a9a3eaa592e94b9384',
  job2: 'aaaabbbbccccddddeeeeffff00001111',
  step2: 'bbbbccccddddeeeeffff000011112222',
  buildJob: '48c66c6002964721be537cdc6ce0297b',
} as const;
