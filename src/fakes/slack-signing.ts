import { createHmac } from 'node:crypto';

/**
 * Slack request signing, as Slack does it, for fakes and tests that play Slack:
 * `v0=hex(HMAC-SHA256(signing_secret, "v0:" + timestamp + ":" + raw_body))` (docs/reference/slack.md "Request signing").
 * @example
 * slackSignature('8f742231b10e8888abcd99yyyzzz85a5', 1531420618, body); // 'v0=a2114d57…'
 */
export function slackSignature(signingSecret: string, timestamp: number | string, body: string): string {
  const hex = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex');
  return `v0=${hex}`;
}

export interface SignOptions {
  /** Seconds since the epoch (default: now). */
  timestamp?: number;
  contentType?: string;
  /** Extra headers, e.g. X-Slack-Retry-Num for a redelivery. */
  headers?: Record<string, string>;
}

/** The headers Slack sends with a signed request. */
export function signedHeaders(signingSecret: string, body: string, options: SignOptions = {}): Record<string, string> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': slackSignature(signingSecret, timestamp, body),
    ...options.headers,
  };
}

/** POSTs a body to a bot's events URL the way Slack does; returns the status and the answer's text. */
export async function postSigned(
  url: string,
  signingSecret: string,
  body: string,
  options: SignOptions = {},
): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: signedHeaders(signingSecret, body, options), body });
  return { status: res.status, text: await res.text() };
}
