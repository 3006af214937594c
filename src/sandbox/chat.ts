import type { Buttons } from './buttons.js';
import type { DingTalkDriver } from './dingtalk-driver.js';
import type { SlackDriver } from './slack-driver.js';
import type { Terminal } from './terminal.js';

/** Who is typing: one Slack user id and one DingTalk staffId, switched with `:as`. */
export interface Identities {
  slack: string;
  dingtalk: string;
}

export interface ChatDeps {
  terminal: Terminal;
  identities: Identities;
  slack: SlackDriver;
  dingtalk: DingTalkDriver;
  buttons: Buttons;
  /** Runs a press or a command in the background; its failure becomes a note. */
  track(work: Promise<unknown>): void;
  help(): string;
  urls(): string;
  logPath: string;
}

const SLACK_ID = /^[A-Z0-9][A-Z0-9_]{1,31}$/;
const STAFF_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function promptOf(ids: Identities): string {
  return `slack:${ids.slack} | dingtalk:${ids.dingtalk} > `;
}

/**
 * What a typed line means: `/ops …` goes to Slack, `@opsgate …` or `dt> …` to DingTalk, a number presses a button,
 * `:…` are the sandbox's own commands.
 * @example
 * terminal.onLine(createChat({ terminal, identities, slack, dingtalk, buttons, track, help, urls, logPath }));
 */
export function createChat(deps: ChatDeps): (line: string) => void {
  const { terminal, identities, buttons } = deps;

  function become(who: string) {
    const [platform, id] = who.includes(':') ? who.split(':', 2) : ['', who];
    if (platform === 'slack' && id && SLACK_ID.test(id.toUpperCase())) identities.slack = id.toUpperCase();
    else if (platform === 'dingtalk' && id && STAFF_ID.test(id)) identities.dingtalk = id;
    else if (platform === '' && /^[A-Za-z][A-Za-z0-9]{0,30}$/.test(who)) {
      identities.slack = `U${who.toUpperCase()}`;
      identities.dingtalk = who.toLowerCase();
    } else {
      return terminal.note('Use :as slack:<USERID>, :as dingtalk:<staffId> or :as <name> (e.g. :as bob).');
    }
    terminal.setPrompt(promptOf(identities));
    terminal.note(`You are now slack:${identities.slack} and dingtalk:${identities.dingtalk}.`);
  }

  function press(text: string) {
    const n = Number(text);
    const button = Number.isInteger(n) ? buttons.get(n) : undefined;
    if (!button) {
      return terminal.note(
        buttons.issued(n) ? `Button [${n}] is no longer on its message.` : `There is no button [${text}].`,
      );
    }
    deps.track(button.press());
  }

  function sandboxCommand(line: string) {
    const [name = '', ...rest] = line.slice(1).split(/\s+/);
    const arg = rest.join(' ');
    switch (name) {
      case 'q':
      case 'quit':
      case 'exit':
        return terminal.close();
      case 'h':
      case 'help':
        return terminal.print(deps.help());
      case 'as':
        return become(arg);
      case 'p':
      case 'press':
        return press(arg);
      case 'whoami':
        return terminal.note(`You are slack:${identities.slack} and dingtalk:${identities.dingtalk}.`);
      case 'urls':
        return terminal.print(deps.urls());
      case 'log':
        return terminal.note(`The bot's log: ${deps.logPath}`);
      case 'cancel':
        return terminal.note('Nothing to cancel.');
      default:
        return terminal.note(`Unknown sandbox command :${name}; :help lists them.`);
    }
  }

  return (raw: string) => {
    const line = raw.trim();
    if (!line) return;
    if (line.startsWith(':')) return sandboxCommand(line);
    if (/^\d+$/.test(line)) return press(line);
    const slash = /^\/(\S+)\s*([\s\S]*)$/.exec(line);
    if (slash) {
      if (slash[1] !== 'ops') return terminal.note(`Only /ops is installed in this Slack workspace.`);
      return deps.track(deps.slack.command(slash[2] ?? ''));
    }
    const dt = /^dt>\s*([\s\S]*)$/.exec(line);
    if (dt || line.startsWith('@')) {
      try {
        return deps.dingtalk.say(dt ? `@opsgate ${dt[1] ?? ''}` : line);
      } catch (err) {
        return terminal.note(`DingTalk could not deliver it: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    terminal.note('Start with /ops (Slack), @opsgate or dt> (DingTalk), a button number, or :help.');
  };
}
