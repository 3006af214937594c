import { vi } from 'vitest';
import { signWebhook } from '../../src/adapters/http/webhook-signature.js';
import type { Logger } from '../../src/core/ports.js';
import type { FakeSlackApi, FakeSlackCall } from '../../src/fakes/slack-api.js';
import { buttonClickBody, slashCommandBody } from '../../src/fakes/slack-payloads.js';
import { postSigned } from '../../src/fakes/slack-signing.js';
import { SIGNING_SECRET, WEBHOOK_SECRET } from '../support/runtime-env.js';

/**
 * Talks to a whole bot (startRuntime or a bot process) the way a pipeline and Slack do: signed POST /v1/approvals to
 * open an approval, signed button clicks on /slack/events; reads back what the bot did in the fake Slack API.
 * @example
 * const bot = botClient(`http://127.0.0.1:${runtime.port}`, slack);
 * const { id, ts } = await bot.open(run.url);
 * await bot.click(id, ts, 'approve');
 */
export function botClient(base: string, slack: FakeSlackApi, channel = 'CREL') {
  let clicks = 0;
  return {
    channel,
    /** Opens an approval for the run's waiting review and waits for its Slack message. */
    async open(target: string): Promise<{ id: string; ts: string }> {
      const body = JSON.stringify({ target, channels: { slack: [channel] } });
      const at = Math.floor(Date.now() / 1000);
      const res = await fetch(`${base}/v1/approvals`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-opsgate-timestamp': String(at),
          'x-opsgate-signature': signWebhook(WEBHOOK_SECRET, at, body),
        },
        body,
      });
      const answer = (await res.json()) as { id?: string };
      if (res.status !== 201 || !answer.id) throw new Error(`approval not opened: ${res.status}`);
      const id = answer.id;
      const posted = await slack.waitFor(
        (c) => c.method === 'chat.postMessage' && !c.body.thread_ts && JSON.stringify(c.body).includes(id),
      );
      return { id, ts: String(posted.response?.ts) };
    },
    /** A signed button click by `user` (a fresh action_ts each time: a new click, not a redelivery). */
    click(id: string, ts: string, action: 'approve' | 'reject', user = 'UALICE') {
      clicks++;
      return postSigned(
        `${base}/slack/events`,
        SIGNING_SECRET,
        buttonClickBody({
          userId: user,
          channelId: channel,
          messageTs: ts,
          actionId: action === 'approve' ? 'opsgate_approve' : 'opsgate_reject',
          value: id,
          responseUrl: slack.responseUrl(`click-${clicks}`),
          actionTs: `${Math.floor(Date.now() / 1000)}.${String(clicks).padStart(6, '0')}`,
        }),
      );
    },
    /** `/ops <text>` by `user`; resolves with the HTTP answer and the response_url id to find the reply by. */
    async command(text: string, user = 'UALICE') {
      clicks++;
      const responseUrlId = `command-${clicks}`;
      const body = slashCommandBody({
        text,
        userId: user,
        channelId: channel,
        responseUrl: slack.responseUrl(responseUrlId),
      });
      return { ...(await postSigned(`${base}/slack/events`, SIGNING_SECRET, body)), responseUrlId };
    },
    /** The reply to a slash command, posted to its response_url. */
    commandReply: (responseUrlId: string, timeoutMs?: number) =>
      slack.waitFor((c) => c.method === 'response_url' && c.responseUrlId === responseUrlId, timeoutMs),
    /** The thread reply the approval service posts once a decision is made. */
    threadReply: (ts: string, timeoutMs?: number) =>
      slack.waitFor((c) => c.method === 'chat.postMessage' && c.body.thread_ts === ts, timeoutMs),
    /** The next private note to `user` after call number `mark`. */
    noteTo: (user: string, mark: number, timeoutMs?: number) =>
      slack.waitFor(
        (c) => c.method === 'chat.postEphemeral' && c.body.user === user && slack.calls.indexOf(c) >= mark,
        timeoutMs,
      ),
    /** The last chat.update of the message that Slack accepted (what people see now). */
    lastUpdate: (ts: string): FakeSlackCall | undefined =>
      slack.calls.filter((c) => c.method === 'chat.update' && c.body.ts === ts && c.response?.ok === true).at(-1),
  };
}

/** Whether Slack blocks carry the Approve / Reject buttons. */
export function hasButtons(blocks: unknown): boolean {
  return Array.isArray(blocks) && blocks.some((b: { type?: string }) => b?.type === 'actions');
}

export interface CapturedLine {
  level: string;
  obj: Record<string, unknown>;
  msg?: string;
}

/** A logger keeping every line in `lines` (tee it with testLogger so the run's scan sees the lines too). */
export function captureLines(lines: CapturedLine[], bindings: Record<string, unknown> = {}): Logger {
  const at = (level: string) => (obj: Record<string, unknown>, msg?: string) =>
    void lines.push({ level, obj: { ...bindings, ...obj }, ...(msg ? { msg } : {}) });
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => captureLines(lines, { ...bindings, ...more }),
  };
}

/** Polls until check() holds; throws naming `what` after timeoutMs. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000) {
  await vi.waitFor(
    async () => {
      if (!(await check())) throw new Error(`timed out waiting for: ${what}`);
    },
    { timeout: timeoutMs, interval: 10 },
  );
}
