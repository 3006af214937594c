import { startFakeDingTalkOpenApi } from '../../src/fakes/dingtalk-openapi.js';
import type { FromOpenApiChild, ToOpenApiChild } from './dingtalk-openapi-process.js';
import { tapPush, tapSet } from './taps.js';

/**
 * Child-process entry: the fake DingTalk OpenAPI (cards, robot messages, session webhooks), so that the bot's calls
 * to "DingTalk" are not served by the process that times its answers. Started by `startDingTalkOpenApiProcess`.
 */
async function main(): Promise<void> {
  const credentials = JSON.parse(process.argv[2] ?? '{}') as { appKey?: string; appSecret?: string };
  const openapi = await startFakeDingTalkOpenApi(credentials);
  const counts = { group: 0, user: 0, webhook: 0, cardUpdates: 0 };
  tapPush(openapi.messages, (m) => {
    counts[m.kind]++;
  });
  tapPush(openapi.calls, (c) => {
    if (c.method === 'PUT' && c.path === '/v1.0/card/instances' && c.status === 200) counts.cardUpdates++;
  });
  const cardIds: string[] = [];
  // Called before the set: a key not in the map yet is a new card.
  tapSet(openapi.cards, (key) => {
    if (!openapi.cards.has(key)) cardIds.push(key);
  });
  const send = (msg: FromOpenApiChild) => process.send?.(msg);
  process.on('message', (msg: ToOpenApiChild) => {
    if (msg.type === 'sessions') {
      const sessions = Array.from({ length: msg.count }, () => {
        const { url, expiredTime } = openapi.createSession();
        return { url, expiredTime };
      });
      send({ type: 'sessions', id: msg.id, sessions });
    } else if (msg.type === 'snapshot') {
      // Counts are kept; the records behind them are dropped so a long run's memory stays flat.
      openapi.messages.length = 0;
      openapi.calls.length = 0;
      send({
        type: 'snapshot',
        id: msg.id,
        counts: { ...counts },
        cards: cardIds.length,
        newCards: cardIds.slice(msg.cardsFrom),
      });
    } else if (msg.type === 'close') {
      void openapi.close().then(() => process.exit(0));
    }
  });
  process.on('disconnect', () => void openapi.close().then(() => process.exit(0)));
  send({ type: 'ready', url: openapi.url });
}

main().catch((err: unknown) => {
  console.error('fake DingTalk OpenAPI child failed', err);
  process.exit(1);
});
