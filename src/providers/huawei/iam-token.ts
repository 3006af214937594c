import { OpsError } from '../../core/errors.js';
import { type Clock, type Logger, silentLogger } from '../../core/ports.js';
import type { HttpClient } from '../../net/http-client.js';
import { huaweiBadResponse, huaweiHttpError } from './errors.js';

export interface IamTokenOptions {
  http: HttpClient;
  /** e.g. https://iam.cn-north-4.myhuaweicloud.com */
  iamEndpoint: string;
  user: string;
  password: string;
  /** Account (domain) name. */
  domain: string;
  /** Project scope: Build refuses global (domain-scoped) tokens, so a project is always named. */
  project: { id: string } | { name: string };
  now: Clock;
  /** Refresh this long before `expires_at`. Default 10 minutes. */
  marginMs?: number;
  logger?: Logger;
}

export interface IamTokenSource {
  /** A valid token; cached, one shared IAM request for concurrent callers. */
  get(): Promise<string>;
  /** Drops the cached token if it is this one (after a 401), so the next get() fetches a new one. */
  invalidate(token: string): void;
}

interface Cached {
  token: string;
  expiresAt: number;
  refreshAt: number;
}

const LABEL = 'huawei.iam.token';
/** While refreshing fails, a cached token is still used if it has at least this long left. */
const STALE_GRACE_MS = 60_000;

/**
 * Huawei IAM user token (`POST /v3/auth/tokens`, password method, project scope). Tokens last 24 h and a new one does
 * not revoke the old one (docs/reference/huawei-codearts.md), so refreshing early and sharing one request are both safe.
 * @example
 * const tokens = createIamTokenSource({ http, iamEndpoint, user, password, domain, project: { name: 'cn-north-4' }, now: Date.now });
 * headers['X-Auth-Token'] = await tokens.get();
 */
export function createIamTokenSource(options: IamTokenOptions): IamTokenSource {
  const { http, iamEndpoint, user, password, domain, project, now } = options;
  const marginMs = options.marginMs ?? 10 * 60_000;
  const logger = options.logger ?? silentLogger;
  let cached: Cached | undefined;
  let inflight: Promise<Cached> | undefined;

  async function fetchToken(): Promise<Cached> {
    const body = JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: user, password, domain: { name: domain } } } },
        scope: { project },
      },
    });
    const res = await http.request({
      origin: iamEndpoint,
      method: 'POST',
      path: '/v3/auth/tokens',
      headers: { 'Content-Type': 'application/json;charset=utf8' },
      body,
      // Issuing a token has no effect beyond the new token, so repeating it is harmless.
      idempotent: true,
      label: LABEL,
    });
    if (res.status < 200 || res.status >= 300) throw huaweiHttpError(res, LABEL, [password]);
    const token = res.headers['x-subject-token'];
    if (!token) throw huaweiBadResponse(res, LABEL, 'no X-Subject-Token header');
    const expiresRaw = (res.json as { token?: { expires_at?: unknown } } | undefined)?.token?.expires_at;
    const expiresAt = typeof expiresRaw === 'string' ? Date.parse(expiresRaw) : Number.NaN;
    if (Number.isNaN(expiresAt)) throw huaweiBadResponse(res, LABEL, 'no token.expires_at');
    const issuedAt = now();
    // A token shorter-lived than twice the margin is refreshed halfway instead of at once.
    const refreshAt = expiresAt - Math.min(marginMs, Math.max(0, (expiresAt - issuedAt) / 2));
    logger.info({ label: LABEL, expiresAt: new Date(expiresAt).toISOString() }, 'IAM token issued');
    return { token, expiresAt, refreshAt };
  }

  function refresh(): Promise<Cached> {
    if (!inflight) {
      inflight = fetchToken()
        .then((fresh) => {
          cached = fresh;
          return fresh;
        })
        .finally(() => {
          inflight = undefined;
        });
    }
    return inflight;
  }

  return {
    async get() {
      const current = cached;
      if (current && now() < current.refreshAt) return current.token;
      try {
        return (await refresh()).token;
      } catch (err) {
        const stillValid = cached !== undefined && now() < cached.expiresAt - STALE_GRACE_MS;
        if (cached && stillValid) {
          logger.warn({ label: LABEL, code: codeOf(err) }, 'IAM token refresh failed; using the cached token');
          return cached.token;
        }
        throw err;
      }
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
    },
  };
}

function codeOf(err: unknown): string {
  return err instanceof OpsError ? err.code : 'INTERNAL.ERROR';
}
