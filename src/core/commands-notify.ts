import { clip, extra, need, ownValue, parseFlags } from './command-args.js';
import { USAGE } from './command-usage.js';
import type { Command } from './commands.js';
import { OpsError } from './errors.js';
import { BUILD_NOTICE_EVENTS, type NoticeType } from './ports.js';
import { assertHuaweiId } from './targets.js';
import { suggest } from './tokenize.js';

/** `notify disable|update|show …`: CodeArts Build and Check notification commands. */
export function parseNotify(words: string[]): Command {
  const sub = words.shift()?.toLowerCase();
  if (sub === 'disable') {
    const jobId = need(words.shift(), 'build-job-id', 'notify');
    assertHuaweiId('build-job-id', jobId);
    const noticeType = parseNoticeType(need(words.shift(), 'notice-type', 'notify'));
    if (words.length > 0) throw extra(words[0]!, 'notify');
    return { op: 'notice.disable', jobId, noticeType };
  }
  if (sub === 'update') {
    const { flags, positional } = parseFlags(words, ['param-config'], 'notify');
    const jobId = need(positional.shift(), 'build-job-id', 'notify');
    assertHuaweiId('build-job-id', jobId);
    const noticeType = parseNoticeType(need(positional.shift(), 'notice-type', 'notify'));
    const events = need(positional.shift(), 'events', 'notify')
      .split(',')
      .map((e) => e.trim())
      .filter((e) => e.length > 0)
      .map(parseBuildEvent);
    if (positional.length > 0) throw extra(positional[0]!, 'notify');
    const paramConfig = flags['param-config'];
    if (paramConfig !== undefined) checkParamConfig(paramConfig);
    return { op: 'notice.update', jobId, noticeType, events, ...(paramConfig ? { paramConfig } : {}) };
  }
  if (sub === 'show') {
    const scope = need(words.shift(), 'build|project|tenant', 'notify').toLowerCase();
    if (scope === 'build') {
      const jobId = need(words.shift(), 'build-job-id', 'notify');
      assertHuaweiId('build-job-id', jobId);
      if (words.length > 0) throw extra(words[0]!, 'notify');
      return { op: 'notice.show', scope, id: jobId };
    }
    const id = need(words.shift(), scope === 'tenant' ? 'domain-id' : 'project-id', 'notify');
    if (scope !== 'project' && scope !== 'tenant') {
      throw new OpsError('INPUT.BAD_ARGUMENT', 'notify show takes "build", "project" or "tenant"', {
        field: 'scope',
        usage: USAGE.notify,
      });
    }
    if (!/^[A-Za-z0-9]{1,128}$/.test(id)) {
      throw new OpsError('INPUT.BAD_ID', `${scope} id must be 1-128 letters or digits`, {
        field: `${scope}-id`,
        expected: '1-128 letters or digits',
      });
    }
    if (words.length > 0) throw extra(words[0]!, 'notify');
    return { op: 'notice.show', scope, id };
  }
  const suggestion = sub ? suggest(sub, ['disable', 'update', 'show']) : undefined;
  throw new OpsError(sub ? 'INPUT.UNKNOWN_COMMAND' : 'INPUT.MISSING_ARGUMENT', 'notify needs disable, update or show', {
    word: sub ? clip(sub) : undefined,
    suggestion: suggestion ? `notify ${suggestion}` : undefined,
    field: 'notify subcommand',
    usage: USAGE.notify,
  });
}

const NOTICE_SPELLINGS: Record<string, NoticeType> = {
  message: 'message',
  email: 'email',
  mail: 'email',
  dingtalk: 'dingtalk',
  ding_talk: 'dingtalk',
  wecom: 'wecom',
  feishu: 'feishu',
};

/**
 * A build notice event: one of the documented names (BUILD_NOTICE_EVENTS), any letter case; a typo gets a suggestion.
 * @example
 * parseBuildEvent('buildjobfail'); // 'buildJobFail'
 */
export function parseBuildEvent(word: string): string {
  const found = BUILD_NOTICE_EVENTS.find((e) => e.toLowerCase() === word.toLowerCase());
  if (found) return found;
  const lower = BUILD_NOTICE_EVENTS.map((e) => e.toLowerCase());
  const guess = suggest(word.toLowerCase(), lower);
  throw new OpsError('INPUT.BAD_ARGUMENT', `unknown build notice event "${clip(word)}"`, {
    field: 'events',
    suggestion: guess ? BUILD_NOTICE_EVENTS[lower.indexOf(guess)] : undefined,
    usage: BUILD_NOTICE_EVENTS.join(', '),
  });
}

/**
 * `--param-config`: the API types it as a string ("Notification parameter configuration", UpdateNoticeRequestBody in
 * huaweicloud-sdk-go-v3 `services/codeartsbuild/v3/model/model_update_notice_request_body.go`) and no public source
 * documents its keys, so only the shape is checked: a JSON object.
 */
function checkParamConfig(value: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new OpsError('INPUT.BAD_ARGUMENT', '--param-config must be a JSON object', {
      field: '--param-config',
      usage: USAGE.notify,
    });
  }
}

/** Accepts both the seed's spellings (message, email, DingTalk) and the current API's (MESSAGE, MAIL, DING_TALK, …). */
export function parseNoticeType(word: string): NoticeType {
  const type = ownValue(NOTICE_SPELLINGS, word.toLowerCase());
  if (!type) {
    throw new OpsError('INPUT.BAD_ARGUMENT', `unknown notice type "${clip(word)}"`, {
      field: 'notice-type',
      suggestion: suggest(word, Object.keys(NOTICE_SPELLINGS)),
      usage: 'message | email | dingtalk | wecom | feishu',
    });
  }
  return type;
}
