import { randomUUID } from 'node:crypto';
import type { FakeSlackApi, FakeSlackCall } from '../fakes/slack-api.js';
import { buttonClickBody, fakeTriggerId, slashCommandBody, viewSubmissionBody } from '../fakes/slack-payloads.js';
import { postSigned } from '../fakes/slack-signing.js';
import { renderBlocks, type SlackButton } from './block-kit.js';
import type { Buttons } from './buttons.js';
import type { Terminal } from './terminal.js';

export interface SlackDriverDeps {
  slack: FakeSlackApi;
  /** The bot's own `POST /slack/events` URL. */
  eventsUrl: string;
  /** The secret the sandbox configured the bot with: it signs like Slack. */
  signingSecret: string;
  channel: { id: string; name: string };
  terminal: Terminal;
  buttons: Buttons;
  /** The Slack user typing now (`UALICE`). */
  user(): string;
  /** Numbers messages across both chats (#1, #2, …). */
  nextNumber(): number;
  /** Background work (a modal waiting for its reason) the sandbox drops at the end. */
  track(work: Promise<unknown>): void;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * Plays Slack for the real bot: slash commands, button clicks and modal submissions are signed form posts to its
 * /slack/events (Bolt's HTTPReceiver checks them as it would Slack's), and what the bot sent to the fake Web API is
 * drawn in the terminal as Slack would show it.
 * @example
 * const slack = createSlackDriver({ slack: fake, eventsUrl, signingSecret, channel, terminal, buttons, user, nextNumber, track });
 * await slack.command('pending https://devcloud…');
 * setInterval(() => slack.poll(), 25);
 */
export function createSlackDriver(deps: SlackDriverDeps) {
  const { slack, terminal, buttons } = deps;
  const messages = new Map<string, number>();
  /** Who sent the request a response_url or a trigger_id belongs to. */
  const responseUrls = new Map<string, string>();
  const triggers = new Map<string, string>();
  let cursor = 0;

  async function post(body: string, what: string): Promise<{ status: number; text: string }> {
    const answer = await postSigned(deps.eventsUrl, deps.signingSecret, body);
    if (answer.status !== 200) terminal.note(`the bot answered the ${what} with HTTP ${answer.status}`);
    return answer;
  }

  const where = (channel: string) => (channel === deps.channel.id ? `#${deps.channel.name}` : channel);
  const privacy = (user: string | undefined) =>
    !user || user === deps.user() ? '(only you can see this)' : `(only @${user} can see this)`;

  function pressable(channel: string, ts: string, button: SlackButton, blocks: unknown) {
    return {
      label: button.label,
      ...(button.tone ? { tone: button.tone } : {}),
      async press() {
        const user = deps.user();
        if (button.confirm) {
          const c = button.confirm;
          terminal.show({ title: `Slack · ${c.title}`, lines: [c.text], tone: 'modal' });
          const answer = await terminal.ask(`${c.yes}? [y/N] `);
          if (!/^y(es)?$/i.test(answer?.trim() ?? '')) return terminal.note(`${c.no}: nothing was sent.`);
        }
        const triggerId = fakeTriggerId();
        triggers.set(triggerId, user);
        const id = randomUUID();
        responseUrls.set(id, user);
        const body = buttonClickBody({
          userId: user,
          channelId: channel,
          messageTs: ts,
          actionId: button.actionId,
          value: button.value,
          responseUrl: slack.responseUrl(id),
          triggerId,
          blocks: Array.isArray(blocks) ? blocks : [],
        });
        await post(body, 'click');
      },
    };
  }

  /** A message in a channel: new (numbered, maybe in a thread) or an update of one already drawn. */
  function message(call: FakeSlackCall, channel: string, ts: string, update: boolean): void {
    const key = `${channel} ${ts}`;
    const rendered = renderBlocks(call.body.blocks, str(call.body.text), terminal.style, terminal.width() - 8);
    const owner = `slack ${key}`;
    let title: string;
    let indent = 0;
    if (update) {
      buttons.retire(owner);
      title = `✎ updated #${messages.get(key) ?? '?'} · Slack ${where(channel)}`;
    } else {
      const n = deps.nextNumber();
      messages.set(key, n);
      const parent = messages.get(`${channel} ${str(call.body.thread_ts)}`);
      title = parent ? `#${n} · ↳ reply in the thread of #${parent}` : `#${n} · Slack ${where(channel)} · opsgate`;
      if (parent) indent = 4;
    }
    const shown = buttons.add(
      owner,
      rendered.buttons.map((b) => pressable(channel, ts, b, call.body.blocks)),
    );
    terminal.show({ title, lines: rendered.lines, buttons: shown, indent, tone: update ? 'update' : 'message' });
  }

  function privateNote(call: FakeSlackCall, user: string | undefined): void {
    const channel = str(call.body.channel) || deps.channel.id;
    const { lines } = renderBlocks(call.body.blocks, str(call.body.text), terminal.style, terminal.width() - 8);
    terminal.show({ title: `Slack ${where(channel)} · opsgate ${privacy(user)}`, lines, tone: 'private' });
  }

  async function modal(call: FakeSlackCall): Promise<void> {
    const user = triggers.get(str(call.body.trigger_id)) ?? deps.user();
    const view = obj(call.body.view);
    const viewId = str(obj(call.response?.view).id);
    const blocks = Array.isArray(view.blocks) ? view.blocks.map(obj) : [];
    const input = blocks.find((b) => b.type === 'input');
    const label = str(obj(input?.label).text) || 'Reason';
    const { lines } = renderBlocks(blocks, undefined, terminal.style, terminal.width() - 8);
    terminal.show({
      title: `Slack modal · ${str(obj(view.title).text)} (for @${user})`,
      lines: [...lines, terminal.style.dim('Type it below; an empty line or :cancel closes the modal.')],
      tone: 'modal',
    });
    for (;;) {
      const reason = await terminal.ask(`${label}? `);
      if (!reason?.trim()) return terminal.note('Modal closed: nothing was sent.');
      const body = viewSubmissionBody({
        userId: user,
        callbackId: str(view.callback_id),
        privateMetadata: str(view.private_metadata),
        values: { [str(input?.block_id)]: { [str(obj(input?.element).action_id)]: reason } },
        ...(viewId ? { viewId } : {}),
      });
      const answer = await post(body, 'modal');
      // Bolt answers a refused submission with the errors to show under the input (response_action: errors).
      const errors = parseErrors(answer.text);
      if (!errors) return;
      terminal.note(`Slack shows under the input: ${errors}`);
    }
  }

  function handle(call: FakeSlackCall) {
    if (call.method === 'response_url') {
      const user = responseUrls.get(call.responseUrlId ?? '');
      // A response_url post is ephemeral unless it says in_channel; it lands where the command was typed.
      if (call.body.response_type === 'in_channel') return message(call, deps.channel.id, `response ${cursor}`, false);
      return privateNote(call, user);
    }
    if (call.response?.ok !== true) {
      if (call.method !== 'auth.test') terminal.note(`Slack ${call.method} failed: ${str(call.response?.error)}`);
      return;
    }
    switch (call.method) {
      case 'chat.postMessage':
        return message(call, str(call.body.channel), str(call.response.ts), false);
      case 'chat.update':
        return message(call, str(call.body.channel), str(call.body.ts), true);
      case 'chat.postEphemeral':
        return privateNote(call, str(call.body.user));
      case 'views.open':
        return deps.track(modal(call));
    }
  }

  return {
    /** `/ops <text>` as the current user, in the sandbox channel. */
    async command(text: string): Promise<void> {
      const user = deps.user();
      const id = randomUUID();
      responseUrls.set(id, user);
      const triggerId = fakeTriggerId();
      triggers.set(triggerId, user);
      const body = slashCommandBody({
        text,
        userId: user,
        channelId: deps.channel.id,
        responseUrl: slack.responseUrl(id),
        triggerId,
      });
      await post(body, 'slash command');
    },
    /** Draws every Web API call and response_url post the bot made since the last poll. */
    poll(): void {
      while (cursor < slack.calls.length) {
        const call = slack.calls[cursor++];
        if (call) handle(call);
      }
    },
  };
}

function parseErrors(text: string): string | undefined {
  try {
    const answer = JSON.parse(text) as { response_action?: unknown; errors?: Record<string, unknown> };
    if (answer.response_action !== 'errors' || !answer.errors) return undefined;
    return Object.values(answer.errors).map(String).join('; ');
  } catch {
    return undefined;
  }
}

export type SlackDriver = ReturnType<typeof createSlackDriver>;
