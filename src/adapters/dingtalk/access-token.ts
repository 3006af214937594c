import { dingTalkUnavailable } from './net-errors.js';
import { OpsError } from '../../core/errors.js';
import type { Clock } from '../../core/ports.js';
import type { HttpClient } from '../../net/http-client.js';

/** Cached OpenAPI access token: one request in flight, refreshed `marginMs` before it expires. */
export interface AccessTokens {
  get(): Promise<string>;
  /** Forgets the cached token (the API answered that it is invalid). */
  invalidate(token: string): void;
}

/**
 * `POST /v1.0/oauth2/accessToken {appKey, appSecret}` → `{accessToken, expireIn}` (seconds, 7200 in practice).
 * The SDK's own getAccessToken uses the old gettoken endpoint with the secret in the query string and caches nothing
 * (docs/reference/dingtalk.md), so it is never called.
 * @example
 * const tokens = createAccessTokens({ http, apiUrl, clientId, clientSecret, now: Date.now });
 * const headers = { 'x-acs-dingtalk-access-token': await tokens.get() };
 */
export function createAccessTokens(deps: {
  http: HttpClient;
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  now: Clock;
  marginMs?: number;
}): AccessTokens {
  const margin = deps.marginMs ?? 5 * 60_000;
  let cached: { token: string; refreshAt: number } | undefined;
  let inflight: Promise<string> | undefined;

  async function fetchToken(): Promise<string> {
    const res = await deps.http
      .request({
        origin: deps.apiUrl,
        method: 'POST',
        path: '/v1.0/oauth2/accessToken',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ appKey: deps.clientId, appSecret: deps.clientSecret }),
        idempotent: true,
        label: 'dingtalk.token',
      })
      .catch(dingTalkUnavailable);
    const body = res.json as { accessToken?: unknown; expireIn?: unknown; code?: unknown } | undefined;
    if (res.status !== 200 || typeof body?.accessToken !== 'string' || body.accessToken.length === 0) {
      throw new OpsError('PLATFORM.ERROR', `dingtalk.token answered ${res.status}`, {
        label: 'dingtalk.token',
        status: res.status,
        platformCode: typeof body?.code === 'string' ? body.code.slice(0, 64) : undefined,
      });
    }
    const lifetimeMs = (typeof body.expireIn === 'number' && body.expireIn > 0 ? body.expireIn : 7200) * 1000;
    cached = { token: body.accessToken, refreshAt: deps.now() + lifetimeMs - Math.min(margin, lifetimeMs / 2) };
    return body.accessToken;
  }

  return {
    get() {
      if (cached && deps.now() < cached.refreshAt) return Promise.resolve(cached.token);
      inflight ??= fetchToken().finally(() => {
        inflight = undefined;
      });
      return inflight;
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
    },
  };
}
