import { OpsError } from '../../core/errors.js';

/**
 * The shared HTTP client (src/net/http-client.ts) names failures for a cloud (PROVIDER.*). A call to DingTalk that
 * fails the same way is DingTalk being unavailable, and people are told so, not that "the cloud" is.
 * @example
 * const res = await http.request(req).catch(dingTalkUnavailable);
 */
export function dingTalkUnavailable(err: unknown): never {
  if (err instanceof OpsError && err.code.startsWith('PROVIDER.')) {
    throw new OpsError(
      'PLATFORM.UNAVAILABLE',
      `DingTalk: ${err.message}`,
      { platform: 'DingTalk', network: typeof err.meta.network === 'string' ? err.meta.network : err.code },
      { cause: err },
    );
  }
  throw err;
}
