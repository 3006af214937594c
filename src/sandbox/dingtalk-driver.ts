import { robotMessageData } from '../fakes/dingtalk-payloads.js';
import type { FakeDingTalkGateway } from '../fakes/dingtalk-gateway.js';
import type { FakeDingTalkOpenApi, FakeMessage } from '../fakes/dingtalk-openapi.js';
import type { Buttons } from './buttons.js';
import { cardLines, markdownLines, messageText, visibleButtons } from './dingtalk-render.js';
import type { Terminal } from './terminal.js';

export interface DingTalkDriverDeps {
  gateway: FakeDingTalkGateway;
  openapi: FakeDingTalkOpenApi;
  /** The group the sandbox user talks in (an openConversationId and its title). */
  group: { id: string; title: string };
  terminal: Terminal;
  buttons: Buttons;
  /** The staffId typing now (`alice`). */
  user(): string;
  /** Numbers messages across both chats (#1, #2, …). */
  nextNumber(): number;
}

interface ShownCard {
  n: number;
  /** Parameters as the card shows them: creation, then every update and callback answer by key. */
  params: Record<string, string>;
  seenUpdates: number;
}

const ANSWER_WAIT_MS = 10_000;
type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});
const strings = (v: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(obj(v)).filter((e): e is [string, string] => typeof e[1] === 'string'));

/**
 * Plays DingTalk for the real bot: robot messages and card clicks are frames pushed through the fake Stream gateway
 * into the bot's own dingtalk-stream client; cards, card updates, callback answers and robot messages it sent to the
 * fake OpenAPI are drawn in the terminal.
 * @example
 * const dingtalk = createDingTalkDriver({ gateway, openapi, group, terminal, buttons, user, nextNumber });
 * dingtalk.say('@opsgate pending https://flow.aliyun.com/…');
 */
export function createDingTalkDriver(deps: DingTalkDriverDeps) {
  const { gateway, openapi, terminal, buttons, group } = deps;
  const cards = new Map<string, ShownCard>();
  const answers: Array<{ messageId: string; outTrackId: string; staffId: string; until: number }> = [];
  let messageCursor = 0;

  const privacy = (staffIds: string[]) =>
    staffIds.includes(deps.user()) ? '(only you can see this)' : `(only ${staffIds.join(', ')} can see this)`;

  function click(outTrackId: string, action: 'approve' | 'reject' | 'postpone') {
    return async () => {
      const staffId = deps.user();
      let reason = '';
      if (action === 'reject') {
        terminal.note("The card's reason input: type it, or an empty line to leave it blank (the bot then asks).");
        const typed = await terminal.ask('Reason? ');
        if (typed === undefined) return terminal.note('Cancelled: nothing was sent.');
        reason = typed.trim();
      }
      // A click as the card template sends it: the button's params, with the reason input's text.
      const content = JSON.stringify({
        cardPrivateData: { actionIds: [action], params: { action, reject_reason: reason } },
      });
      const messageId = gateway.pushCardCallback({
        type: 'actionCallback',
        outTrackId,
        corpId: 'dingsandboxcorp',
        userId: staffId,
        spaceType: 'IM_GROUP',
        spaceId: group.id,
        content,
      });
      answers.push({ messageId, outTrackId, staffId, until: Date.now() + ANSWER_WAIT_MS });
    };
  }

  function drawCard(outTrackId: string, card: ShownCard, update: boolean): void {
    const owner = `dingtalk ${outTrackId}`;
    buttons.retire(owner);
    const visible = visibleButtons(card.params);
    const shown =
      visible.length > 0
        ? buttons.add(
            owner,
            visible.map((b) => ({ label: b.label, tone: b.tone, press: click(outTrackId, b.action) })),
          )
        : [];
    terminal.show({
      title: update ? `✎ updated #${card.n} · DingTalk card` : `#${card.n} · DingTalk group "${group.title}" · card`,
      lines: cardLines(card.params, terminal.style),
      buttons: shown,
      tone: update ? 'update' : 'message',
    });
  }

  /** The bot's answer to a click: public card data (everyone) and private data (only the clicker). */
  function drawAnswer(outTrackId: string, staffId: string, data: unknown): void {
    const response = obj(obj(data).response);
    const card = cards.get(outTrackId);
    const publicParams = strings(obj(response.cardData).cardParamMap);
    if (card && Object.keys(publicParams).length > 0) {
      card.params = { ...card.params, ...publicParams };
      drawCard(outTrackId, card, true);
    }
    const note = strings(obj(response.userPrivateData).cardParamMap).private_text;
    if (note) {
      terminal.show({
        title: `DingTalk card #${card?.n ?? '?'} · opsgate ${privacy([staffId])}`,
        lines: [note],
        tone: 'private',
      });
    }
  }

  function drawMessage(message: FakeMessage): void {
    const lines = markdownLines(messageText(message.content), terminal.style);
    if (message.kind === 'user') {
      const to = Array.isArray(message.to) ? message.to : [message.to];
      terminal.show({ title: `DingTalk · opsgate → private chat ${privacy(to)}`, lines, tone: 'private' });
      return;
    }
    terminal.show({ title: `#${deps.nextNumber()} · DingTalk group "${group.title}" · opsgate`, lines });
  }

  return {
    /** A robot message from the current user in the group, e.g. `@opsgate pending <url>`. */
    say(text: string): void {
      const staffId = deps.user();
      const session = openapi.createSession();
      gateway.pushRobotMessage(
        robotMessageData({
          staffId,
          text,
          conversationId: group.id,
          conversationTitle: group.title,
          robotCode: gateway.credentials.clientId,
          session,
        }),
      );
    },
    /**
     * Draws what happened since the last poll, in the order the bot does it: click answers first (sent before the
     * decision starts), then new cards, card updates, and robot messages (follow-ups come after the card update).
     */
    poll(): void {
      for (let i = 0; i < answers.length;) {
        const wait = answers[i]!;
        const answer = gateway.responses.get(wait.messageId)?.[0];
        if (answer || Date.now() > wait.until) {
          answers.splice(i, 1);
          if (answer) drawAnswer(wait.outTrackId, wait.staffId, answer.data);
          else terminal.note('the bot did not answer the card click');
        } else i++;
      }
      for (const [outTrackId, card] of openapi.cards) {
        let shown = cards.get(outTrackId);
        if (!shown) {
          shown = { n: deps.nextNumber(), params: { ...card.params }, seenUpdates: card.updates.length };
          cards.set(outTrackId, shown);
          drawCard(outTrackId, shown, false);
          continue;
        }
        while (shown.seenUpdates < card.updates.length) {
          shown.params = { ...shown.params, ...card.updates[shown.seenUpdates++] };
          drawCard(outTrackId, shown, true);
        }
      }
      while (messageCursor < openapi.messages.length) {
        const message = openapi.messages[messageCursor++];
        if (message) drawMessage(message);
      }
    },
  };
}

export type DingTalkDriver = ReturnType<typeof createDingTalkDriver>;
