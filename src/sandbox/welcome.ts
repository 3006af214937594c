import type { DemoSeed } from '../fakes/cloud/seed.js';
import type { Style } from './style.js';

/** The seeded runs waiting for a manual review, and the build job and Code Check IDs for the notify commands. */
export function runUrls(demo: DemoSeed, style: Style): string[] {
  return [
    `  ${style.bold('huawei ')}  web-release, one review      ${demo.huaweiSingle.url}`,
    `  ${style.bold('huawei ')}  payments-release, two reviews ${demo.huaweiDouble.url}`,
    `  ${style.bold('yunxiao')}  one manual check              ${demo.yunxiao.url}`,
    `  ${style.bold('build job')}  ${demo.buildJobId}   (notify disable|update ${demo.buildJobId} …)`,
    `  ${style.bold('check')}  project ${demo.check.projectId}, tenant ${demo.check.domainId}   (notify show project|tenant …)`,
  ];
}

/**
 * What the sandbox prints first: what runs, the URLs to paste, who you are and who else you can be, examples.
 * @example
 * terminal.print(welcome(world.demo, world.logPath, style));
 */
export function welcome(demo: DemoSeed, logPath: string, style: Style): string {
  return [
    style.bold('opsgate sandbox') +
      ' · the real bot, talking to a fake cloud, a fake Slack and a fake DingTalk (nothing leaves this machine)',
    '',
    'Runs waiting for a manual review (copy a URL), and IDs for the notify commands:',
    ...runUrls(demo, style),
    '',
    `You type as ${style.bold('slack:UALICE')} in Slack #releases and as ${style.bold('dingtalk:alice')} in the DingTalk group "Releases":`,
    '  alice may list, approve and reject; bob (slack:UBOB, dingtalk:bob) may only list; anyone else nothing.',
    `  Switch with ${style.bold(':as bob')}, ${style.bold(':as slack:UALICE')} or ${style.bold(':as dingtalk:alice')}.`,
    '',
    'Try:',
    `  ${style.bold(`/ops pending ${demo.huaweiSingle.url}`)}`,
    '      a Slack approval message with [1] Approve [2] Reject: type 2 (or :press 2), then the reason',
    `  ${style.bold(`@opsgate pending ${demo.yunxiao.url}`)}`,
    '      a DingTalk card with buttons (dt> pending … works too)',
    `  ${style.bold('/ops help')}    ${style.bold(':help')} (sandbox commands)    ${style.bold(':quit')} (or Ctrl-D)`,
    '',
    style.dim(`The bot's log: ${logPath}`),
  ].join('\n');
}

/** `:help`. */
export function help(style: Style): string {
  const row = (left: string, right: string) => `  ${style.bold(left.padEnd(24))} ${right}`;
  return [
    'Sandbox commands:',
    row('/ops <command>', 'as the Slack user, in #releases (e.g. /ops pending <url>, /ops reject <url> why)'),
    row('@opsgate <command>', 'as the DingTalk user, in the group (also: dt> <command>)'),
    row('<n>  or  :press <n>', 'press button [n]'),
    row(':as slack:<ID>', 'be another Slack user (UALICE decides, UBOB may only list)'),
    row(':as dingtalk:<staffId>', 'be another DingTalk user (alice decides, bob may only list)'),
    row(':as <name>', 'both at once, e.g. :as bob'),
    row(':whoami', 'who you are now'),
    row(':urls', 'the seeded run URLs and notify IDs again'),
    row(':log', "where the bot's log is"),
    row(':cancel', 'at a question (Reason?, [y/N]): answer nothing (other :commands still work there)'),
    row(':quit', 'stop the bot and the fakes (also Ctrl-D, Ctrl-C)'),
  ].join('\n');
}
