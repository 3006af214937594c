import type { AppConfig } from '../../app/config.js';
import type { Policy } from '../../core/authz.js';
import type { Core } from '../../core/core.js';
import { OpsError, toOpsError } from '../../core/errors.js';
import { renderError, renderOutcome, toPlainText } from '../../core/i18n/index.js';
import { runKey } from '../../core/targets.js';

/** What the CLI needs from the process; injected so tests run it in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  osUser: string;
}

/** The part of the wired app the CLI uses (see src/app/wire.ts). */
export interface CliApp {
  core: Core;
  config: AppConfig;
  policy: Policy;
  close(): Promise<void>;
}

export const CLI_USAGE = `usage:
  opsgate exec [--on-behalf-of <subject>] [--json] <command words...>
                                                              run one command as cli:<you> (try: opsgate exec help);
                                                              --on-behalf-of (or --as) acts for another subject: both
                                                              need the right, and the audit names both
  opsgate check-config                                        validate environment and policy
  opsgate doctor [run-url] [--json]                           read-only: check cloud credentials, classify a run's steps
  opsgate policy explain --as <subject> [--in <place>] <command words...>
                                                              show the policy decision, the rules that apply, and why
  opsgate audit [--since <ISO time>] [--format jsonl|csv]     export the audit log`;

/** Exit codes: 0 ok, 1 operation failed, 2 bad input, 3 configuration, 4 denied. */
export function exitCodeFor(error: OpsError): number {
  if (error.code.startsWith('INPUT.')) return 2;
  if (error.code.startsWith('CONFIG.')) return 3;
  if (error.code === 'AUTH.DENIED') return 4;
  return 1;
}

function takeFlag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (value === undefined || value.startsWith('--')) {
    throw new OpsError('INPUT.MISSING_ARGUMENT', `${name} needs a value`, { field: name, usage: CLI_USAGE });
  }
  args.splice(i, 2);
  return value;
}

function takeSwitch(args: string[], name: string): boolean {
  const i = args.indexOf(name);
  if (i < 0) return false;
  args.splice(i, 1);
  return true;
}

/** Quotes words again so that `opsgate exec reject URL "two words"` reaches the grammar as typed. */
function joinWords(words: string[]): string {
  return words
    .map((w) => {
      if (!/[\s"']/.test(w)) return w;
      if (!w.includes('"')) return `"${w}"`;
      if (!w.includes("'")) return `'${w}'`;
      return `"${w.replace(/"/g, "'")}"`; // the grammar has no escapes: a word with both quote kinds loses one
    })
    .join(' ');
}

export async function execCommand(app: CliApp, argv: string[], io: CliIo): Promise<number> {
  const args = [...argv];
  const json = takeSwitch(args, '--json');
  // The CLI acts as whoever runs it; acting for someone else is explicit, recorded (subject and operator) and needs
  // the right for both.
  const operator = `cli:${io.osUser}`;
  const onBehalf = takeFlag(args, '--on-behalf-of') ?? takeFlag(args, '--as');
  const subject = onBehalf ?? operator;
  const outcome = await app.core.execute({
    subject,
    text: joinWords(args),
    path: 'cli',
    ...(onBehalf && onBehalf !== operator ? { operator } : {}),
  });
  const locale = app.config.locale;
  if (json) {
    const body = outcome.ok ? outcome : { ...outcome, error: outcome.error.toJSON() };
    (outcome.ok ? io.stdout : io.stderr)(JSON.stringify(body, null, 2));
  } else if (outcome.ok) {
    io.stdout(toPlainText(renderOutcome(locale, outcome)));
  } else {
    io.stderr(`error ${outcome.error.code}: ${toPlainText(renderOutcome(locale, outcome))}`);
  }
  return outcome.ok ? 0 : exitCodeFor(outcome.error);
}

export function explainCommand(app: CliApp, argv: string[], io: CliIo): number {
  const args = [...argv];
  const subject = takeFlag(args, '--as') ?? `cli:${io.osUser}`;
  // The place matters too (channel and group grants): `--in slack-channel:C…`, repeatable.
  const places: string[] = [];
  for (let place = takeFlag(args, '--in'); place !== undefined; place = takeFlag(args, '--in')) places.push(place);
  const command = app.core.parse(joinWords(args));
  const decision = app.core.explain([subject, ...places], command);
  const target = 'target' in command ? ` on ${runKey(command.target)}` : '';
  const where = places.length > 0 ? ` in ${places.join(', ')}` : '';
  const decides = command.op === 'review.approve' || command.op === 'review.reject' || command.op === 'review.postpone';
  const rules = decides && 'target' in command ? app.core.rules(command.target, subject) : [];
  io.stdout(
    [
      `${decision.allowed ? 'ALLOW' : 'DENY'} ${subject}${where} ${decision.permission}${target}`,
      ...decision.reasons.map((r) => `  - ${r}`),
      ...(rules.length > 0
        ? ['  rules that also apply when deciding:', ...rules.map((r) => `  - ${r.rule}: ${r.effect}`)]
        : []),
    ].join('\n'),
  );
  return decision.allowed ? 0 : 4;
}

/** What check-config reports about the long-running bot's settings (from src/app/server-config.ts). */
export interface ServerSummary {
  store: string;
  port: number;
  slack?: string;
  dingtalk?: string;
  webhook: boolean;
}

export function checkConfigCommand(app: CliApp, io: CliIo, server?: ServerSummary): number {
  const c = app.config;
  const lines = [
    'configuration OK',
    `  locale: ${c.locale}`,
    `  huawei: ${c.huawei ? `enabled (region ${[c.huawei.region, ...Object.keys(c.huawei.projectIds ?? {}).filter((r) => r !== c.huawei?.region)].join(', ')}, auth ${c.huawei.auth.kind}, pipeline ${c.huawei.endpoints.pipeline})` : `disabled (set ${c.enableHints.huawei})`}`,
    `  yunxiao: ${c.yunxiao ? `enabled (api ${c.yunxiao.api}, endpoint ${c.yunxiao.endpoint}, organization ${c.yunxiao.organizationId ?? '(from URLs)'})` : `disabled (set ${c.enableHints.yunxiao})`}`,
    `  policy: ${c.policyPath ? `${c.policyPath} (${Object.keys(app.policy.roles).length} roles, ${app.policy.bindings.length} bindings)` : 'none: every command but help is denied (set OPSGATE_POLICY)'}`,
  ];
  if (server) {
    lines.push(
      `  store: ${server.store}`,
      `  http: port ${server.port}; approval requests ${server.webhook ? 'enabled' : 'disabled (set OPSGATE_WEBHOOK_SECRET)'}`,
      `  slack: ${server.slack ?? 'disabled (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET)'}`,
      `  dingtalk: ${server.dingtalk ?? 'disabled (set DINGTALK_CLIENT_ID, DINGTALK_CLIENT_SECRET, DINGTALK_CARD_TEMPLATE_ID)'}`,
    );
  }
  io.stdout(lines.join('\n'));
  return 0;
}

/** Formats an error raised before the core runs (configuration, usage). */
export function reportError(err: unknown, io: CliIo, locale: 'en' | 'zh-CN' = 'en'): number {
  const error = toOpsError(err);
  const key = typeof error.meta.key === 'string' ? ` [${error.meta.key}]` : '';
  io.stderr(
    `error ${error.code}${key}: ${error.code === 'CONFIG.INVALID' ? error.message : toPlainText(renderError(locale, error))}`,
  );
  return exitCodeFor(error);
}
