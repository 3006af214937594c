import { z } from 'zod';
import { OpsError } from './errors.js';
import { NOTICE_TYPES, type NoticeType } from './ports.js';
import {
  assertHuaweiId,
  assertNumericId,
  assertOrganizationId,
  parseRunUrl,
  RUN_URL_FORMS,
  type RunRef,
  validateRunRef,
} from './targets.js';
import { suggest, tokenize } from './tokenize.js';

/**
 * The one command grammar every adapter uses (`/ops …` in Slack, `@bot …` in DingTalk, `opsgate exec …`):
 *   reject  <run-url | ids> [--step S] [reason...]
 *   approve <run-url | ids> [--step S] [comment...]
 *   pending <run-url | ids>
 *   notify disable <build-job-id> <message|email|dingtalk>
 *   notify update  <build-job-id> <notice-type> <event[,event...]> [--param-config JSON]
 *   notify show project <project-id> | notify show tenant <domain-id>
 *   watch <run-url | ids> [channel]
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
  z.object({ op: z.literal('notice.show'), scope: z.enum(['project', 'tenant']), id: z.string() }),
  z.object({
    op: z.literal('approval.watch'),
    target: runRefSchema,
    channel: z
      .string()
      .regex(/^[A-Za-z0-9+/=_$-]{2,120}$/)
      .optional(),
  }),
  z.object({ op: z.literal('help'), topic: z.string().optional() }),
]);

export type Command = z.infer<typeof commandSchema>;
export type Operation = Command['op'];

export const VERBS = ['reject', 'approve', 'pending', 'notify', 'watch', 'help'] as const;
export type Verb = (typeof VERBS)[number];
const ALIASES: Record<string, Verb> = {
  refuse: 'reject',
  pass: 'approve',
  list: 'pending',
  status: 'pending',
  '?': 'help',
};

/** Accepted forms per verb, for "shows the accepted form" messages and help. */
export const USAGE: Record<Verb, string> = {
  reject: 'reject <run-url | ids> [--step S] [reason...]',
  approve: 'approve <run-url | ids> [--step S] [comment...]',
  pending: 'pending <run-url | ids>',
  notify:
    'notify disable <build-job-id> <message|email|dingtalk> | notify update <build-job-id> <notice-type> <event[,event...]> [--param-config JSON] | notify show project <project-id> | notify show tenant <domain-id>',
  watch: 'watch <run-url | ids> [channel]',
  help: 'help [command]',
};

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
    case 'reject':
    case 'approve': {
      const { target, rest } = parseTarget(words, verb);
      const { flags, positional } = parseFlags(rest, ['step'], verb);
      const note = positional.join(' ').trim();
      const base = { target, ...(flags.step ? { step: flags.step } : {}) };
      if (verb === 'reject') return { op: 'review.reject', ...base, ...(note ? { reason: note } : {}) };
      return { op: 'review.approve', ...base, ...(note ? { comment: note } : {}) };
    }
    case 'notify':
      return parseNotify(words);
  }
}

function parseNotify(words: string[]): Command {
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
      .filter((e) => e.length > 0);
    if (positional.length > 0) throw extra(positional[0]!, 'notify');
    const paramConfig = flags['param-config'];
    if (paramConfig !== undefined) {
      try {
        JSON.parse(paramConfig);
      } catch {
        throw new OpsError('INPUT.BAD_ARGUMENT', '--param-config must be JSON', {
          field: '--param-config',
          usage: USAGE.notify,
        });
      }
    }
    return { op: 'notice.update', jobId, noticeType, events, ...(paramConfig ? { paramConfig } : {}) };
  }
  if (sub === 'show') {
    const scope = need(words.shift(), 'project|tenant', 'notify').toLowerCase();
    const id = need(words.shift(), scope === 'tenant' ? 'domain-id' : 'project-id', 'notify');
    if (scope !== 'project' && scope !== 'tenant') {
      throw new OpsError('INPUT.BAD_ARGUMENT', 'notify show takes "project" or "tenant"', {
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

/** `<url>` or `huawei P PL R [JR SR]` or `yunxiao ORG PL R [JOB]`; returns the words after the target. */
export function parseTarget(words: string[], verb: Verb): { target: RunRef; rest: string[] } {
  const first = words[0];
  if (first === undefined || first.startsWith('--')) {
    throw new OpsError('INPUT.MISSING_ARGUMENT', `${verb} needs a run URL or IDs`, {
      field: 'target',
      usage: USAGE[verb],
      forms: RUN_URL_FORMS,
    });
  }
  const fromUrl = parseRunUrl(first);
  if (fromUrl) return { target: fromUrl, rest: words.slice(1) };
  const cloud = first.toLowerCase();
  if (cloud === 'huawei' || cloud === 'codearts') {
    const [, project, pipeline, run, jobRun, stepRun] = words;
    const ref: RunRef = {
      cloud: 'huawei',
      projectId: assertHuaweiId('project', need(project, 'project', verb)),
      pipelineId: assertHuaweiId('pipeline', need(pipeline, 'pipeline', verb)),
      runId: assertHuaweiId('run', need(run, 'run', verb)),
    };
    // Optional job-run + step-run: only when the next word looks like an ID; otherwise it starts the reason.
    if (jobRun !== undefined && /^[A-Za-z0-9]{32}$/.test(jobRun)) {
      ref.jobRunId = jobRun;
      ref.stepRunId = assertHuaweiId('step-run', need(stepRun, 'step-run', verb));
      return { target: validateRunRef(ref), rest: words.slice(6) };
    }
    return { target: ref, rest: words.slice(4) };
  }
  if (cloud === 'yunxiao' || cloud === 'aliyun') {
    const [, org, pipeline, run, job] = words;
    const ref: RunRef = {
      cloud: 'yunxiao',
      organizationId: assertOrganizationId('organization', need(org, 'organization', verb)),
      pipelineId: assertNumericId('pipeline', need(pipeline, 'pipeline', verb)),
      runId: assertNumericId('run', need(run, 'run', verb)),
    };
    if (job !== undefined && /^[0-9]+$/.test(job)) {
      ref.jobId = assertNumericId('job', job);
      return { target: ref, rest: words.slice(5) };
    }
    return { target: ref, rest: words.slice(4) };
  }
  throw new OpsError('INPUT.BAD_TARGET', `"${clip(first)}" is not a run URL or "huawei …"/"yunxiao …" IDs`, {
    field: 'target',
    usage: USAGE[verb],
    forms: RUN_URL_FORMS,
    suggestion: suggest(cloud, ['huawei', 'yunxiao']),
  });
}

function parseFlags(
  words: string[],
  allowed: string[],
  verb: Verb,
): { flags: Record<string, string>; positional: string[] } {
  const flags: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (!word.startsWith('--') || word === '--') {
      positional.push(word);
      continue;
    }
    const [name = '', inline] = word.slice(2).split(/=(.*)/s, 2);
    if (!allowed.includes(name)) {
      throw new OpsError('INPUT.BAD_ARGUMENT', `unknown option --${clip(name)}`, {
        field: `--${clip(name)}`,
        suggestion: allowed.length ? `--${suggest(name, allowed) ?? allowed[0]}` : undefined,
        usage: USAGE[verb],
      });
    }
    const value = inline ?? words[++i];
    if (value === undefined || value.length === 0) {
      throw new OpsError('INPUT.MISSING_ARGUMENT', `--${name} needs a value`, {
        field: `--${name}`,
        usage: USAGE[verb],
      });
    }
    flags[name] = value;
  }
  return { flags, positional };
}

function need(value: string | undefined, field: string, verb: Verb): string {
  if (value === undefined || value.startsWith('--')) {
    throw new OpsError('INPUT.MISSING_ARGUMENT', `missing ${field}`, { field, usage: USAGE[verb] });
  }
  return value;
}

function extra(word: string, verb: Verb): OpsError {
  return new OpsError('INPUT.BAD_ARGUMENT', `unexpected "${clip(word)}"`, { field: clip(word), usage: USAGE[verb] });
}

function ownValue<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Echoed user input is clipped so a message cannot be blown up by it. */
function clip(word: string): string {
  return word.length > 40 ? `${word.slice(0, 40)}…` : word;
}
