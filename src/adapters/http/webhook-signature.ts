import { createHmac, timingSafeEqual } from 'node:crypto';
import { OpsError } from '../../core/errors.js';

/**
 * Pipeline → opsgate request signing (same shape as Slack's v0 scheme, so it is familiar):
 *   X-Opsgate-Timestamp: <unix seconds>
 *   X-Opsgate-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>
 * A 5-minute window bounds replays; the caller also remembers signatures it has seen inside the window.
 */
export const WEBHOOK_WINDOW_SECONDS = 300;
/**
 * A timestamp is acceptable while local time is within [ts - 5 min, ts + 5 min] (both directions are checked), so a
 * signature seen once must be remembered for those 10 minutes, plus a minute of margin for clock steps.
 */
export const WEBHOOK_DEDUPE_MS = (2 * WEBHOOK_WINDOW_SECONDS + 60) * 1000;

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function verifyWebhook(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  nowMs: number,
): void {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp) || !/^v1=[0-9a-f]{64}$/.test(signature)) {
    throw new OpsError('AUTH.BAD_SIGNATURE', 'missing or malformed signature headers', {});
  }
  // Both directions: a request signed ahead of time is refused as well as an old one.
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > WEBHOOK_WINDOW_SECONDS) {
    throw new OpsError('AUTH.BAD_SIGNATURE', 'timestamp outside the 5-minute window', {});
  }
  const expected = Buffer.from(signWebhook(secret, Number(timestamp), body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new OpsError('AUTH.BAD_SIGNATURE', 'signature does not match', {});
  }
}
