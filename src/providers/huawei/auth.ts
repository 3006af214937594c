import type { Clock } from '../../core/ports.js';
import type { SignableRequest } from '../../net/http-client.js';
import { signAkSk } from './aksk-signer.js';
import type { IamTokenSource } from './iam-token.js';

/**
 * How the Huawei service clients authenticate one request attempt.
 * @example
 * const sent = await auth.sign(req);               // headers to add to this attempt
 * if (res.status === 401 && auth.onUnauthorized(sent)) { ... retry once ... }
 */
export interface HuaweiAuth {
  readonly kind: 'token' | 'aksk';
  /** Headers to add: `X-Auth-Token`, or the AK/SK signature with `X-Project-Id` (+ `X-Security-Token`). */
  sign(req: SignableRequest): Promise<Record<string, string>>;
  /** Called with the headers `sign` returned when the service answered 401; true = retry the request once. */
  onUnauthorized(sentHeaders: Record<string, string>): boolean;
  /** Values that must never show up in an error or a log line. */
  readonly secrets: readonly string[];
}

/**
 * IAM token mode: an expired or revoked token heals by fetching a new one, so a 401 is worth one retry.
 * @example
 * const auth = createTokenAuth(createIamTokenSource({ ... }), [password]);
 */
export function createTokenAuth(tokens: IamTokenSource, secrets: readonly string[] = []): HuaweiAuth {
  return {
    kind: 'token',
    secrets,
    async sign() {
      return { 'X-Auth-Token': await tokens.get() };
    },
    onUnauthorized(sent) {
      const token = sent['X-Auth-Token'];
      if (token === undefined) return false;
      tokens.invalidate(token);
      return true;
    },
  };
}

export interface AkSkCredentials {
  ak: string;
  sk: string;
  /** IAM project id, sent as `X-Project-Id` (the CodeArts project id in paths is a different id). */
  projectId: string;
  /** For temporary credentials. */
  securityToken?: string;
}

/**
 * AK/SK mode: every attempt is signed afresh with the current time (the gateway allows 15 min skew).
 * A 401 here is a wrong key or signature, which a retry would not fix.
 * @example
 * const auth = createAkSkAuth({ ak, sk, projectId }, Date.now);
 */
export function createAkSkAuth(creds: AkSkCredentials, now: Clock): HuaweiAuth {
  const secrets = [creds.sk, ...(creds.securityToken ? [creds.securityToken] : [])];
  return {
    kind: 'aksk',
    secrets,
    async sign(req) {
      const extra: Record<string, string> = { 'X-Project-Id': creds.projectId };
      if (creds.securityToken) extra['X-Security-Token'] = creds.securityToken;
      const signed = signAkSk({
        method: req.method,
        url: req.url,
        headers: { ...req.headers, ...extra },
        body: req.body,
        ak: creds.ak,
        sk: creds.sk,
        date: new Date(now()),
      });
      return { ...extra, ...signed };
    },
    onUnauthorized() {
      return false;
    },
  };
}
