import { OpsError } from '../../core/errors.js';

/**
 * A Web API failure as a coded error: the method and Slack's error code only. The original error is not kept as
 * `cause`: it carries the request, which a logger could serialise.
 */
export function platformError(method: string, err: unknown): OpsError {
  if (err instanceof OpsError) return err;
  const e = err as { code?: unknown; data?: { error?: unknown }; statusCode?: unknown; retryAfter?: unknown };
  return new OpsError('PLATFORM.ERROR', `slack ${method} failed`, {
    method,
    slackCode: typeof e?.code === 'string' ? e.code : undefined,
    slackError: typeof e?.data?.error === 'string' ? e.data.error : undefined,
    status: typeof e?.statusCode === 'number' ? e.statusCode : undefined,
  });
}
