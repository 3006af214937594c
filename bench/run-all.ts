import { main as bodyHold } from './body-hold.js';
import { main as coldBurst } from './cold-burst.js';
import { main as dingtalkClick } from './dingtalk-click.js';
import { main as e2eSlack } from './e2e-slack.js';
import { main as iamToken } from './iam-token.js';
import { main as inbox } from './inbox.js';
import { runIfMain } from './lib/main.js';
import { main as memory } from './memory.js';
import { main as providerThroughput } from './provider-throughput.js';
import { main as slackAck } from './slack-ack.js';
import { main as startup } from './startup.js';

/**
 * Runs every benchmark in sequence with the same arguments and prints one markdown report (paste into README.md).
 * Arguments a benchmark does not know are ignored by it, e.g. `--rounds=5`.
 */
const BENCHES: Array<{ name: string; main: (argv: readonly string[]) => Promise<string> }> = [
  { name: 'provider-throughput', main: providerThroughput },
  { name: 'iam-token', main: iamToken },
  { name: 'slack-ack', main: slackAck },
  { name: 'dingtalk-click', main: dingtalkClick },
  { name: 'e2e-slack', main: e2eSlack },
  { name: 'memory', main: memory },
  { name: 'startup', main: startup },
  { name: 'body-hold', main: bodyHold },
  { name: 'cold-burst', main: coldBurst },
  { name: 'inbox', main: inbox },
];

export async function main(argv: readonly string[] = []): Promise<string> {
  const only = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  const parts: string[] = [];
  for (const bench of BENCHES) {
    if (only !== undefined && !only.split(',').includes(bench.name)) continue;
    console.error(`running ${bench.name} …`);
    parts.push(await bench.main(argv));
  }
  return parts.join('\n');
}

runIfMain(import.meta.url, main);
