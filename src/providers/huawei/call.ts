import { type Logger, silentLogger } from '../../core/ports.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../../net/http-client.js';
import type { HuaweiAuth } from './auth.js';
import { hasErrorBody, huaweiHttpError } from './errors.js';

export interface HuaweiCall {
  origin: string;
  method: HttpRequest['method'];
  /** Already-encoded path. */
  path: string;
  query?: Record<string, string | number | undefined>;
  /** Sent as JSON when present. */
  json?: unknown;
  idempotent: boolean;
  label: string;
}

export type HuaweiCaller = (call: HuaweiCall) => Promise<HttpResponse>;

/**
 * Sends one authenticated request to a Huawei service: signs every attempt, retries exactly once after a 401 when
 * the auth says so (token mode: the gateway refused the token before doing anything, so even a decision is safe to
 * resend), and maps non-2xx answers and 2xx answers with an error body to OpsError. Returns the 2xx response.
 * @example
 * const res = await call({ origin, method: 'GET', path, idempotent: true, label: 'huawei.pipeline.detail' });
 */
export function createHuaweiCaller(deps: { http: HttpClient; auth: HuaweiAuth; logger?: Logger }): HuaweiCaller {
  const { http, auth } = deps;
  const logger = deps.logger ?? silentLogger;
  return async function call(c) {
    let retried = false;
    for (;;) {
      let sent: Record<string, string> = {};
      const req: HttpRequest = {
        origin: c.origin,
        method: c.method,
        path: c.path,
        idempotent: c.idempotent,
        label: c.label,
        sign: async (signable) => {
          sent = await auth.sign(signable);
          return sent;
        },
      };
      if (c.query) req.query = c.query;
      if (c.json !== undefined) {
        req.headers = { 'Content-Type': 'application/json;charset=UTF-8' };
        req.body = JSON.stringify(c.json);
      }
      const res = await http.request(req);
      if (res.status === 401 && !retried && auth.onUnauthorized(sent)) {
        retried = true;
        logger.info(
          { label: c.label, requestId: res.headers['x-request-id'] },
          'huawei 401: retrying with a new token',
        );
        continue;
      }
      // An HTTP 200 may carry an error body (huaweiHttpError keeps the provider's code and message).
      if (res.status < 200 || res.status >= 300 || hasErrorBody(res.json))
        throw huaweiHttpError(res, c.label, [...auth.secrets, ...sentSecrets(sent)]);
      return res;
    }
  };
}

/** Credentials carried by the attempt's headers, in case a service echoes them in an error message. */
function sentSecrets(sent: Record<string, string>): string[] {
  const out: string[] = [];
  for (const name of ['X-Auth-Token', 'X-Security-Token']) {
    const v = sent[name];
    if (v) out.push(v);
  }
  const signature = /Signature=([0-9a-f]+)/.exec(sent.Authorization ?? '')?.[1];
  if (signature) out.push(signature);
  return out;
}
