import { type ErrorCode, OpsError } from '../../core/errors.js';
import type { HttpResponse } from '../../net/http-client.js';

/**
 * Turns a Yunxiao answer that is not a success into an OpsError. Three body kinds exist:
 * - devops (2021-06-25): `{requestId, success:false, errorCode, errorMessage}`, sometimes with HTTP 200;
 * - the POP gateway in front of it (signature, timestamp, throttling): `{RequestId, Code, Message}`;
 * - openapi-rdc: `{errorCode, errorMessage, requestId}`.
 * Any of them may add `errorDescription` (aliyun/alibabacloud-devops-mcp-server `common/errors.ts` reads
 * `errorMessage || errorDescription || message`); it is kept as `providerDescription`, and stands in for a missing message.
 * Provider messages are scrubbed and truncated; the request id comes from the body or `x-acs-request-id`/`x-request-id`.
 */

/** Longest provider message copied into error meta. */
export const PROVIDER_MESSAGE_MAX = 300;

/** Codes that mean "your credentials or signature were not accepted" whatever the HTTP status (POP gateway, rdc). */
const AUTH_CODES = new Set([
  'SignatureDoesNotMatch',
  'SignatureNonceUsed',
  'IncompleteSignature',
  'MissingAuthorization',
  'Unauthorized',
  'InvalidToken',
]);
const AUTH_PREFIXES = ['InvalidTimeStamp', 'InvalidAccessKeyId', 'InvalidSecurityToken', 'InvalidAuthorization'];

export interface YunxiaoFailure {
  providerCode?: string;
  providerMessage?: string;
  providerDescription?: string;
  requestId?: string;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Reads code, message and request id from any of the three body kinds, and the request id from headers. */
export function readFailure(res: HttpResponse): YunxiaoFailure {
  const body = typeof res.json === 'object' && res.json !== null ? (res.json as Record<string, unknown>) : {};
  const description = str(body.errorDescription);
  const message = str(body.errorMessage) ?? str(body.Message) ?? str(body.message) ?? description;
  return {
    providerCode: str(body.errorCode) ?? str(body.Code) ?? str(body.code),
    providerMessage: message === undefined ? undefined : scrub(message).slice(0, PROVIDER_MESSAGE_MAX),
    ...(description === undefined ? {} : { providerDescription: scrub(description).slice(0, PROVIDER_MESSAGE_MAX) }),
    requestId:
      str(body.requestId) ?? str(body.RequestId) ?? str(res.headers['x-acs-request-id']) ?? res.headers['x-request-id'],
  };
}

/** Gateways may echo what they computed; a 64-hex value could be a signature or string-to-sign hash. */
function scrub(message: string): string {
  return message
    .replace(/Signature=[^\s,]+/gi, 'Signature=[redacted]')
    .replace(/\b[0-9a-f]{64}\b/gi, '[redacted]')
    .replace(/\bpt-[A-Za-z0-9_-]{8,}/g, '[redacted]');
}

export function isAuthCode(code: string | undefined): boolean {
  if (code === undefined) return false;
  return AUTH_CODES.has(code) || AUTH_PREFIXES.some((p) => code.startsWith(p));
}

function classify(status: number, code: string | undefined): ErrorCode {
  if (status === 429 || code?.startsWith('Throttling')) return 'PROVIDER.RATE_LIMITED';
  if (isAuthCode(code)) return 'PROVIDER.AUTH_FAILED';
  if (status === 401) return 'PROVIDER.AUTH_FAILED';
  if (status === 403) return 'PROVIDER.FORBIDDEN';
  if (status === 404) return 'PROVIDER.NOT_FOUND';
  if (status === 409) return 'PROVIDER.CONFLICT';
  if (status >= 500) return 'PROVIDER.UNAVAILABLE';
  if (status >= 400) return 'PROVIDER.BAD_REQUEST';
  // HTTP 2xx with success:false: only the code tells.
  if (code?.endsWith('.NotFound')) return 'PROVIDER.NOT_FOUND';
  if (code?.startsWith('Forbidden')) return 'PROVIDER.FORBIDDEN';
  return 'PROVIDER.ERROR';
}

/**
 * @example
 * if (!isSuccess(res)) throw yunxiaoError(res, 'yunxiao.devops.refuse');
 */
export function yunxiaoError(res: HttpResponse, label: string): OpsError {
  const failure = readFailure(res);
  const code = classify(res.status, failure.providerCode);
  const what = failure.providerCode ?? (res.status >= 400 ? 'error' : 'success=false');
  return new OpsError(code, `${label}: HTTP ${res.status} ${what}`, {
    provider: 'yunxiao',
    label,
    status: res.status,
    providerCode: failure.providerCode,
    providerMessage: failure.providerMessage,
    providerDescription: failure.providerDescription,
    requestId: failure.requestId,
  });
}

/** True for a 2xx answer whose body does not say `success: false`. */
export function isSuccess(res: HttpResponse): boolean {
  if (res.status < 200 || res.status >= 300) return false;
  const body = res.json;
  return !(typeof body === 'object' && body !== null && (body as { success?: unknown }).success === false);
}

export function badResponse(res: HttpResponse, label: string, why: string): OpsError {
  return new OpsError('PROVIDER.BAD_RESPONSE', `${label}: ${why}`, {
    provider: 'yunxiao',
    label,
    status: res.status,
    requestId: readFailure(res).requestId,
  });
}
