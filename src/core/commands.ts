import { z } from 'zod';
import { clip, extra, ownValue, parseFlags, parseTarget } from './command-args.js';
import { ALIASES, USAGE, VERBS, type Verb } from './command-usage.js';
import { parseNotify } from './commands-notify.js';
import { OpsError } from './errors.js';
import { NOTICE_TYPES } from './ports.js';
import type { RunRef } from './targets.js';
import { suggest, tokenize } from './tokenize.js';

/**
 * The one command grammar every adapter uses (`/ops …` in Slack, `@bot …` in DingTalk, `opsgate exec …`):
 *   reject  <run-url | ids> [--step S] [reason...]
 *   approve <run-url | ids> [--step S] [comment...]
 *   postpone <run-url | ids> [--step S] [comment...]     (delay gates: run one hour later)
 *   pending <run-url | ids>
 *   notify disable <build-job-id> <message|email|dingtalk>
 *   notify update  <build-job-id> <notice-type> <event[,event...]> [--param-config JSON]
 *   notify show build <build-job-id> | notify show project <project-id> | notify show tenant <domain-id>
 *   watch <run-url | ids> [#channel | channel-id]
 *   whoami                      (who the policy sees here, and what it lets them do)
 *   inbox                       (open approvals this person may decide; alias 待审批)
 *   help [command]
 */
const runRefSchema = z.custom<RunRef>((v) => typeof v === 'object' && v !== null && 'cloud' in v);
const text = z.string().max(1000);

export const commandSchema = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('review.reject'),
    target: runRefSchema,
    step: z.string().max(128).optional(),
    reason: text.optional(),
  }),
  z.object({
    op: z.literal('review.approve'),
    target: runRefSchema,
    step: z.string().max(128).optional(),
    comment: text.optional(),
  }),
  z.object({
    op: z.literal('review.postpone'),
    target: runRefSchema,
    step: z.string().max(128).optional(),
    comment: text.optional(),
  }),
  z.object({ op: z.literal('review.pending'), target: runRefSchema }),
  z.object({ op: z.literal('notice.disable'), jobId: z.string(), noticeType: z.enum(NOTICE_TYPES) }),
  z.object({
    op: z.literal('notice.update'),
    jobId: z.string(),
    noticeType: z.enum(NOTICE_TYPES),
    events: z
      .array(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/))
      .min(1)
      .max(32),
    paramConfig: z.string().max(4000).optional(),
  }),
  z.object({ op: z.literal('notice.show'), scope: z.enum(['build', 'project', 'tenant']), id: z.string() }),
  z.object({
    op: z.literal('approval.watch'),
    target: runRefSchema,
    // A channel id (Slack C…, DingTalk cid…==), or a Slack `#name` the Slack adapter resolves to its id.
    channel: z
      .string()
      .regex(/^(?:#[\p{L}\p{N}._-]{1,80}|[A-Za-z0-9+/=_$-]{2,120})$/u)
      .optional(),
  }),
  z.object({ op: z.literal('whoami') }),
  z.object({ op: z.literal('inbox') }),
  z.object({ op: z.literal('help'), topic: z.string().optional() }),
]);

export type Command = z.infer<typeof commandSchema>;
export type Operation = Command['op'];

export { parseTarget } from './command-args.js';
export { ALIASES, USAGE, VERBS, type Verb } from './command-usage.js';
export { parseNoticeType } from './commands-notify.js';

/** Parses one line of text into a validated Command, or throws a coded INPUT.* error that names what is wrong. */
export function parseCommand(input: string): Command {
  if (input.length > 4000) throw new OpsError('INPUT.INVALID', 'command is too long', { limit: 4000 });
  const words = tokenize(input);
  const first = words.shift();
  if (first === undefined) return { op: 'help' };
  const lower = first.toLowerCase().replace(/^\//, '');
  // Own keys only: "constructor" or "__proto__" must not resolve through Object.prototype.
  const verb = (VERBS as readonly string[]).includes(lower) ? (lower as Verb) : ownValue(ALIASES, lower);
  if (!verb) {
    const suggestion = suggest(lower, [...VERBS, ...Object.keys(ALIASES)]);
    throw new OpsError('INPUT.UNKNOWN_COMMAND', `unknown command "${clip(first)}"`, {
      word: clip(first),
      suggestion: suggestion ? (ALIASES[suggestion] ?? suggestion) : undefined,
    });
  }
  const command = parseVerb(verb, words);
  const checked = commandSchema.safeParse(command);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new OpsError('INPUT.BAD_ARGUMENT', `invalid ${issue?.path.join('.') || 'argument'}`, {
      field: issue?.path.join('.') ?? '',
      usage: USAGE[verb],
    });
  }
  return checked.data;
}

function parseVerb(verb: Verb, words: string[]): Command {
  switch (verb) {
    case 'help':
      return words[0] ? { op: 'help', topic: words[0].toLowerCase() } : { op: 'help' };
    case 'pending': {
      const { target, rest } = parseTarget(words, verb);
      const { positional } = parseFlags(rest, [], verb);
      if (positional.length > 0) throw extra(positional[0]!, verb);
      return { op: 'review.pending', target };
    }
    case 'watch': {
      const { target, rest } = parseTarget(words, verb);
      const { positional } = parseFlags(rest, [], verb);
      // Slack renders a channel mention as <#C123|name>; take the id.
      const channel = positional.shift()?.replace(/^<#([A-Z0-9]+)(\|[^>]*)?>$/, '$1');
      if (positional.length > 0) throw extra(positional[0]!, verb);
      return { op: 'approval.watch', target, ...(channel ? { channel } : {}) };
    }
    case 'whoami':
    case 'inbox': {
      const { positional } = parseFlags(words, [], verb);
      if (positional.length > 0) throw extra(positional[0]!, verb);
      return { op: verb };
    }
    case 'reject':
    case 'approve':
    case 'postpone': {
      const { target, rest } = parseTarget(words, verb);
      const { flags, positional } = parseFlags(rest, ['step'], verb);
      const note = positional.join(' ').trim();
      const base = { target, ...(flags.step ? { step: flags.step } : {}) };
      if (verb === 'reject') return { op: 'review.reject', ...base, ...(note ? { reason: note } : {}) };
      if (verb === 'postpone') return { op: 'review.postpone', ...base, ...(note ? { comment: note } : {}) };
      return { op: 'review.approve', ...base, ...(note ? { comment: note } : {}) };
    }
    case 'notify':
      return parseNotify(words);
  }
}
