import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { ReceivedRequest } from './sign-util.js';

/** Which fake service a path belongs to (all share one origin; their paths do not collide). */
export type FakeService = 'iam' | 'pipeline' | 'build' | 'check' | 'devops' | 'rdc' | 'unknown';
export type FakeAuth = 'token' | 'aksk' | 'acs3' | 'rdc' | 'none';

/** One recorded call: never a header value, token, signature or body. */
export interface FakeCall {
  method: string;
  /** Path without the query string. */
  path: string;
  service: FakeService;
  /** Operation the fake recognised, e.g. "refuse", "detail", "GetPipelineRun". */
  action?: string;
  /** The scheme the caller presented (not whether it was valid). */
  auth: FakeAuth;
  /** 0 when the fake never answered (reset, timeout). */
  status: number;
  /** The fault applied to this call, if any. */
  fault?: string;
}

export interface FakeRequest extends ReceivedRequest {
  method: string;
  target: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  call: FakeCall;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialised as JSON (so `true` becomes the body `true`). */
  body: unknown;
}

export type FakeHandler = (req: FakeRequest) => FakeResponse;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): FakeResponse {
  return { status, body, headers };
}

/** Matches `/a/:x/b` against a path; returns decoded params or undefined. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const g = got[i] as string;
    if (w.startsWith(':')) {
      if (g.length === 0) return undefined;
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return undefined;
      }
    } else if (w !== g) {
      return undefined;
    }
  }
  return params;
}

export function serviceOf(path: string): FakeService {
  if (path === '/v3/auth/tokens' || path === '/v3/projects') return 'iam';
  if (path.startsWith('/v5/')) return 'pipeline';
  if (path.startsWith('/v3/jobs/')) return 'build';
  if (path.startsWith('/v2/transmission/')) return 'check';
  if (path.startsWith('/organization/')) return 'devops';
  if (path.startsWith('/oapi/v1/flow/')) return 'rdc';
  return 'unknown';
}

export function authOf(headers: IncomingHttpHeaders): FakeAuth {
  const authorization = headers.authorization ?? '';
  if (authorization.startsWith('SDK-HMAC-SHA256')) return 'aksk';
  if (authorization.startsWith('ACS3-HMAC-SHA256')) return 'acs3';
  if (headers['x-yunxiao-token'] !== undefined) return 'rdc';
  if (headers['x-auth-token'] !== undefined) return 'token';
  return 'none';
}

/** Lower-case hex of the given length (Huawei IDs are 32 hex chars). */
export function hexId(length = 32): string {
  return randomBytes(Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length);
}

export function requestId(): string {
  return randomUUID();
}

/** One route of a fake service; `run` gets the decoded path params. */
export interface FakeRoute {
  method: 'GET' | 'POST';
  pattern: string;
  action: string;
  run: (params: Record<string, string>, req: FakeRequest) => FakeResponse;
}

/** First route whose method and pattern match, with its params. */
export function findRoute(
  routes: readonly FakeRoute[],
  req: FakeRequest,
): { route: FakeRoute; params: Record<string, string> } | undefined {
  for (const route of routes) {
    if (route.method !== req.method) continue;
    const params = matchPath(route.pattern, req.path);
    if (params) return { route, params };
  }
  return undefined;
}

/** Parses a JSON body; undefined when it is not JSON. */
export function jsonBody(req: FakeRequest): unknown {
  try {
    return JSON.parse(req.body.toString('utf8'));
  } catch {
    return undefined;
  }
}
