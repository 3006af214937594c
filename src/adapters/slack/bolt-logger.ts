import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../../core/ports.js';

const TOKEN = /\b(xox[a-z]|xapp)-[A-Za-z0-9-]+/g;
// response_url and webhook URLs are bearer capabilities: anyone holding one may post as the app.
const HOOK_URL = /https?:\/\/\S*(hooks\.slack\.com|response_url|\/commands\/|\/actions\/)\S*/gi;

/** Removes tokens, the given secrets and response URLs from a line of text. */
export function redactSlack(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 6) out = out.split(secret).join('[redacted]');
  return out.replace(TOKEN, '[redacted-token]').replace(HOOK_URL, '[redacted-url]');
}

/**
 * Bolt's logger interface on top of ours. Bolt and the Web API client log free text, sometimes with request
 * details: debug lines are dropped, the rest is redacted and forwarded with `source: 'slack'`.
 * @example
 * new App({ logger: createBoltLogger(logger, [config.botToken, config.signingSecret]) , … });
 */
export function createBoltLogger(logger: Logger, secrets: ReadonlyArray<string | undefined>): BoltLogger {
  const log = logger.child({ source: 'slack' });
  let level: LogLevel = LogLevel.INFO;
  const line = (args: unknown[]) =>
    redactSlack(
      args
        .map((a) => (typeof a === 'string' ? a : a instanceof Error ? `${a.name}: ${a.message}` : ''))
        .filter(Boolean)
        .join(' '),
      secrets,
    );
  return {
    debug() {},
    info(...args: unknown[]) {
      if (level !== LogLevel.WARN && level !== LogLevel.ERROR) log.info({}, line(args));
    },
    warn(...args: unknown[]) {
      if (level !== LogLevel.ERROR) log.warn({}, line(args));
    },
    error(...args: unknown[]) {
      log.error({}, line(args));
    },
    setLevel(next: LogLevel) {
      level = next;
    },
    getLevel: () => level,
    setName() {},
  };
}
