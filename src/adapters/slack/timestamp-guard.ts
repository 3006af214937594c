import type { RequestListener } from 'node:http';
import type { Clock } from '../../core/ports.js';

/**
 * Slack signs `v0:<X-Slack-Request-Timestamp>:<body>` and asks apps to refuse a timestamp more than five minutes
 * away from local time, to bound replays (https://docs.slack.dev/authentication/verifying-requests-from-slack).
 * Bolt 5 refuses only the past (`HTTPModuleFunctions.parseAndVerifyHTTPRequest`: `requestTimestampSec <
 * fiveMinutesAgoSec`): a request signed an hour ahead would be accepted for an hour and five minutes.
 */
export const SLACK_TIMESTAMP_WINDOW_SECONDS = 300;

/**
 * How long a dedupe key of a Slack request must live: a timestamp is acceptable while local time is within
 * [ts - 5 min, ts + 5 min], 10 minutes, so a key claimed at the first acceptance must outlive that, plus a minute of
 * margin for clock steps between replicas.
 */
export const SLACK_DEDUPE_MS = (2 * SLACK_TIMESTAMP_WINDOW_SECONDS + 60) * 1000;

/**
 * Refuses, in front of Bolt, a request whose timestamp is more than five minutes in the future (and, the same way,
 * the past), with 401 and the documented error body. Other requests (missing or malformed header included: Bolt
 * answers those itself) go on unchanged.
 * @example
 * const listener = guardTimestamp(receiver.requestListener);
 */
export function guardTimestamp(listener: RequestListener, wallClock: Clock = Date.now): RequestListener {
  return (req, res) => {
    const raw = req.headers['x-slack-request-timestamp'];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value !== undefined && /^\d{1,12}$/.test(value)) {
      const skew = Number(value) - wallClock() / 1000;
      if (Math.abs(skew) > SLACK_TIMESTAMP_WINDOW_SECONDS) {
        const body = JSON.stringify({
          error: { code: 'AUTH.BAD_SIGNATURE', message: 'request timestamp outside the 5-minute window' },
        });
        // An unread body cannot be skipped on a kept-alive connection: close it after the answer.
        const close: Record<string, string> = req.complete ? {} : { connection: 'close' };
        res.writeHead(401, { 'content-type': 'application/json', ...close }).end(body);
        return;
      }
    }
    listener(req, res);
  };
}
