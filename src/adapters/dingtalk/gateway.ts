import { dingTalkUnavailable } from './net-errors.js';
import { OpsError } from '../../core/errors.js';
import type { HttpClient } from '../../net/http-client.js';
import type { StreamTicket, Subscription } from './stream-client.js';

/**
 * `POST {gatewayUrl}` `{clientId, clientSecret, ua, subscriptions}` → `{endpoint, ticket}` (docs/reference/dingtalk.md
 * "How the SDK connects"). The ticket is single-use and a secret for ~90 s: it goes into the socket URL and nowhere
 * else.
 * @example
 * const { endpoint, ticket } = await openStreamConnection(http, config.gatewayUrl, body);
 */
export async function openStreamConnection(
  http: HttpClient,
  gatewayUrl: string,
  body: { clientId: string; clientSecret: string; ua: string; subscriptions: Subscription[] },
): Promise<StreamTicket> {
  const url = new URL(gatewayUrl);
  const res = await http
    .request({
      origin: url.origin,
      method: 'POST',
      path: url.pathname + url.search,
      // Without Accept the gateway answers XML (SDK source comment).
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
      idempotent: true,
      label: 'dingtalk.gateway.open',
    })
    .catch(dingTalkUnavailable);
  const answer = res.json as { endpoint?: unknown; ticket?: unknown; code?: unknown } | undefined;
  if (res.status !== 200) {
    throw new OpsError('PLATFORM.ERROR', `dingtalk.gateway.open answered ${res.status}`, {
      label: 'dingtalk.gateway.open',
      status: res.status,
      platformCode: typeof answer?.code === 'string' ? answer.code.slice(0, 64) : undefined,
    });
  }
  const endpoint = typeof answer?.endpoint === 'string' ? answer.endpoint : '';
  const ticket = typeof answer?.ticket === 'string' ? answer.ticket : '';
  // The SDK prints constructor errors to the console, and a URL error would quote the ticket: only well-formed URLs pass.
  if (!isSocketUrl(endpoint) || !/^[\x21-\x7e]{1,1024}$/.test(ticket)) {
    throw new OpsError('PLATFORM.ERROR', 'dingtalk.gateway.open answered without a usable endpoint or ticket', {
      label: 'dingtalk.gateway.open',
    });
  }
  return { endpoint, ticket };
}

/** True for answers that mean the credentials are wrong (retrying will not help). */
export function isCredentialsRejected(err: unknown): boolean {
  return (
    err instanceof OpsError &&
    err.meta.label === 'dingtalk.gateway.open' &&
    (err.meta.status === 400 || err.meta.status === 401 || err.meta.status === 403)
  );
}

function isSocketUrl(text: string): boolean {
  if (!/^wss?:\/\/[^\s?#]+$/.test(text)) return false;
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}
