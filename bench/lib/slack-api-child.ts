import { performance } from 'node:perf_hooks';
import { startFakeSlackApi } from '../../src/fakes/slack-api.js';
import type { FromSlackChild, ToSlackChild } from './slack-api-process.js';
import { trackSlack } from './slack-load.js';

/**
 * Child-process entry: the fake Slack Web API (src/fakes/slack-api.ts), so that the bot's calls to "Slack" are not
 * served by the process that times the bot's acks. Started by `startSlackApiProcess`; never run by hand.
 */
async function main(): Promise<void> {
  const slack = await startFakeSlackApi();
  const tracker = trackSlack(slack);
  let updates: Array<['processing' | 'final', string, number]> = [];
  // Epoch milliseconds with sub-millisecond precision: comparable with the parent's performance.timeOrigin + now().
  tracker.onUpdate = (kind, key, at) => updates.push([kind, key, performance.timeOrigin + at]);
  const send = (msg: FromSlackChild) => process.send?.(msg);
  process.on('message', (msg: ToSlackChild) => {
    if (msg.type === 'snapshot') {
      tracker.forget();
      send({
        type: 'snapshot',
        id: msg.id,
        counts: { ...tracker.counts },
        approvals: tracker.approvals.length,
        newApprovals: tracker.approvals.slice(msg.approvalsFrom),
        updates,
      });
      updates = [];
    } else if (msg.type === 'close') {
      void slack.close().then(() => process.exit(0));
    }
  });
  process.on('disconnect', () => void slack.close().then(() => process.exit(0)));
  send({ type: 'ready', url: slack.url, apiUrl: slack.apiUrl, botToken: slack.botToken });
}

main().catch((err: unknown) => {
  console.error('fake Slack API child failed', err);
  process.exit(1);
});
