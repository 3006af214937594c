import type { webApi } from '@slack/bolt';
import { scrub, scrubDeep } from '../../core/scrub.js';

/**
 * The one door every Slack-bound text goes through: Bolt's WebClient (chat.postMessage, chat.update,
 * chat.postEphemeral, views.*) and its `respond()` to response URLs both send with the `fetch` given in
 * `clientOptions` (@slack/web-api WebClient `fetchFn`; @slack/bolt App `this.fetchFn = clientOptions.fetch`). This
 * fetch scrubs the body first: form fields (`application/x-www-form-urlencoded`, as the WebClient sends, blocks as
 * JSON strings) and JSON bodies (as `respond()` sends). The `token` field is the bot's own credential and is kept.
 * @example
 * const clientOptions = { fetch: scrubbingFetch(globalThis.fetch) };
 */
export function scrubbingFetch(inner: webApi.FetchFunction): webApi.FetchFunction {
  return (url, init) => {
    if (!init || typeof init.body !== 'string') return inner(url, init);
    const type = Object.entries(init.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
    return inner(url, { ...init, body: scrubBody(init.body, type) });
  };
}

function scrubBody(body: string, contentType: string): string {
  if (contentType.includes('application/x-www-form-urlencoded')) {
    const params = new URLSearchParams(body);
    const out = new URLSearchParams();
    for (const [key, value] of params) out.append(key, key === 'token' ? value : scrub(value));
    return out.toString();
  }
  if (contentType.includes('application/json')) {
    try {
      return JSON.stringify(scrubDeep(JSON.parse(body) as unknown));
    } catch {
      return scrub(body);
    }
  }
  return scrub(body);
}
