import { type ErrorCode, OpsError } from '../../core/errors.js';
import type { HttpResponse } from '../../net/http-client.js';

/** Longest provider message we copy into an error (they can echo request parameters). */
export const MAX_PROVIDER_MESSAGE = 300;

export interface ProviderError {
  providerCode?: string;
  providerMessage?: string;
}

/**
 * Reads Huawei's error bodies: services answer `{"error_code","error_msg"}`, IAM answers
 * `{"error":{"code","message","title"}}` (docs/reference/huawei-codearts.md, "Errors").
 * @example
 * parseProviderError({ error_code: 'CB.00060200', error_msg: 'job not found' }); // { providerCode, providerMessage }
 */
export function parseProviderError(json: unknown, secrets: readonly string[] = []): ProviderError {
  if (typeof json !== 'object' || json === null) return {};
  const body = json as Record<string, unknown>;
  const nested = typeof body.error === 'object' && body.error !== null ? (body.error as Record<string, unknown>) : {};
  const code = body.error_code ?? body.code ?? nested.code ?? nested.error_code;
  const message =
    body.error_msg ??
    body.message ??
    nested.message ??
    nested.error_msg ??
    (typeof body.error === 'string' ? body.error : '');
  const out: ProviderError = {};
  if (typeof code === 'string' || typeof code === 'number') out.providerCode = truncate(String(code), 64);
  // Redact before truncating, so no prefix of a secret survives the cut.
  if (typeof message === 'string' && message.length > 0) out.providerMessage = truncate(redact(message, secrets));
  return out;
}

/**
 * @example
 * truncate('x'.repeat(500)).length; // 301 (300 + '…')
 */
export function truncate(text: string, max = MAX_PROVIDER_MESSAGE): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * Replaces any occurrence of the given secrets (a provider may echo a parameter back).
 * @example
 * redact('bad password hunter2', ['hunter2']); // 'bad password ***'
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length > 0) out = out.split(s).join('***');
  return out;
}

/**
 * Provider codes whose meaning does not follow the HTTP status. `DEVPIPE.00011169` / `…170`: "Maximun concurrency of a
 * single pipeline [of pipelines under a tenant] is limited, enter the queue state" (terraform-provider-huaweicloud
 * `huaweicloud/services/codeartspipeline/resource_huaweicloud_codearts_pipeline_action.go`): queued, not "not found".
 * Not-found codes: the same provider's `huaweicloud/services/codeartspipeline/common.go`.
 */
const QUEUED_CODES = new Set(['DEVPIPE.00011169', 'DEVPIPE.00011170']);
const NOT_FOUND_CODES = new Set(['DEVPIPE.00011401', 'DEVPIPE.00011412', 'DEVPIPE.30021001', 'DEV_21_100169']);

function codeFor(status: number, providerCode?: string): ErrorCode {
  if (providerCode !== undefined && QUEUED_CODES.has(providerCode)) return 'PROVIDER.QUEUED';
  if (providerCode !== undefined && NOT_FOUND_CODES.has(providerCode)) return 'PROVIDER.NOT_FOUND';
  if (status === 400) return 'PROVIDER.BAD_REQUEST';
  if (status === 401) return 'PROVIDER.AUTH_FAILED';
  if (status === 403) return 'PROVIDER.FORBIDDEN';
  if (status === 404) return 'PROVIDER.NOT_FOUND';
  if (status === 409) return 'PROVIDER.CONFLICT';
  if (status === 429) return 'PROVIDER.RATE_LIMITED';
  if (status >= 500) return 'PROVIDER.UNAVAILABLE';
  return 'PROVIDER.ERROR';
}

/**
 * Maps a non-2xx Huawei response to an OpsError with safe meta.
 * @example
 * if (res.status >= 300) throw huaweiHttpError(res, 'huawei.pipeline.refuse');
 */
export function huaweiHttpError(res: HttpResponse, label: string, secrets: readonly string[] = []): OpsError {
  const parsed = parseProviderError(res.json, secrets);
  const providerMessage = parsed.providerMessage;
  const detail = [parsed.providerCode, providerMessage].filter((x) => x !== undefined).join(': ');
  return new OpsError(
    codeFor(res.status, parsed.providerCode),
    `${label}: HTTP ${res.status}${detail ? ` ${detail}` : ''}`,
    {
      provider: 'huawei',
      label,
      status: res.status,
      providerCode: parsed.providerCode,
      providerMessage,
      requestId: requestIdOf(res),
    },
  );
}

/**
 * Pipeline and Build may answer HTTP 200 with an error in the body: `{"error_code","error_msg"}` or
 * `{"error":{"code","message"}}` (terraform-provider-huaweicloud `huaweicloud/services/codeartspipeline/common.go`
 * `checkResponseError`, and `huaweicloud/services/codeartsbuild/common.go`). True when the body holds such a code.
 * @example
 * hasErrorBody({ error_code: 'DEVPIPE.00011104', error_msg: '…' }); // true
 */
export function hasErrorBody(json: unknown): boolean {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return false;
  const body = json as Record<string, unknown>;
  if (typeof body.error_code === 'string' && body.error_code !== '') return true;
  const nested = body.error;
  return (
    typeof nested === 'object' &&
    nested !== null &&
    typeof (nested as { code?: unknown }).code === 'string' &&
    (nested as { code: string }).code !== ''
  );
}

/**
 * A 2xx whose body is not what the API documents.
 * @example
 * if (body?.success !== true) throw huaweiBadResponse(res, label, 'success is not true');
 */
export function huaweiBadResponse(res: HttpResponse, label: string, why: string): OpsError {
  return new OpsError('PROVIDER.BAD_RESPONSE', `${label}: unexpected response (${why})`, {
    provider: 'huawei',
    label,
    status: res.status,
    requestId: requestIdOf(res),
  });
}

/**
 * The gateway's `X-Request-Id`, for support tickets and audit records.
 * @example
 * const ack = { requestId: requestIdOf(res) };
 */
export function requestIdOf(res: HttpResponse): string | undefined {
  const id = res.headers['x-request-id'];
  return id === undefined ? undefined : truncate(id, 128);
}
