import type { Policy } from '../../core/authz.js';
import type { Core } from '../../core/core.js';
import { errorInfo, type OpsError, toOpsError } from '../../core/errors.js';
import { type Locale, renderError, renderOutcome, toPlainText } from '../../core/i18n/index.js';
import { runKey } from '../../core/targets.js';
import { takeFlag, takeSwitch } from './flags.js';
import type { CliIo } from './io.js';

export type { CliIo } from './io.js';

/** The part of the wired app the CLI uses (src/app/wire.ts builds it). */
export interface CliApp {
  core: Core;
  locale: Locale;
  policy: Policy;
  close(): Promise<void>;
}

export const EXEC_USAGE = `opsgate exec [--on-behalf-of <subject>] [--json] <command words...>
    runs one command as cli:<you> (try: opsgate exec help); --on-behalf-of (or --as) acts for another subject:
    both need the right, and the audit names both`;
export const EXPLAIN_USAGE = `opsgate policy explain --as <subject> [--in <place>] <command words...>
    shows the policy decision, the rules that apply, and why`;

/** Exit codes: 0 ok, 1 operation failed, 2 bad input, 3 configuration, 4 denied (src/core/errors.ts ERROR_TABLE). */
export function exitCodeFor(error: OpsError): number {
  return errorInfo(error.code).exit;
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
  const onBehalf = takeFlag(args, '--on-behalf-of', EXEC_USAGE) ?? takeFlag(args, '--as', EXEC_USAGE);
  const subject = onBehalf ?? operator;
  const outcome = await app.core.execute({
    subject,
    text: joinWords(args),
    path: 'cli',
    operator: onBehalf && onBehalf !== operator ? operator : undefined,
  });
  if (json) {
    const body = outcome.ok ? outcome : { ...outcome, error: outcome.error.toJSON() };
    (outcome.ok ? io.stdout : io.stderr)(JSON.stringify(body, null, 2));
  } else if (outcome.ok) {
    io.stdout(toPlainText(renderOutcome(app.locale, outcome)));
  } else {
    io.stderr(`error ${outcome.error.code}: ${toPlainText(renderOutcome(app.locale, outcome))}`);
  }
  return outcome.ok ? 0 : exitCodeFor(outcome.error);
}

export function explainCommand(app: CliApp, argv: string[], io: CliIo): number {
  const args = [...argv];
  const subject = takeFlag(args, '--as', EXPLAIN_USAGE) ?? `cli:${io.osUser}`;
  // The place matters too (channel and group grants): `--in slack-channel:C…`, repeatable.
  const places: string[] = [];
  for (
    let place = takeFlag(args, '--in', EXPLAIN_USAGE);
    place !== undefined;
    place = takeFlag(args, '--in', EXPLAIN_USAGE)
  ) {
    places.push(place);
  }
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

/**
 * Formats an error raised outside an outcome (configuration, usage, store). A configuration with several problems
 * lists each on its own line; other codes get the catalog's words.
 */
export function reportError(err: unknown, io: CliIo, locale: Locale = 'en'): number {
  const error = toOpsError(err);
  const problems = Array.isArray(error.meta.problems) ? (error.meta.problems as Array<{ message?: string }>) : [];
  if (error.code === 'CONFIG.INVALID' && problems.length > 1) {
    io.stderr(`error CONFIG.INVALID: ${problems.length} configuration problems`);
    for (const p of problems) io.stderr(`  - ${p.message}`);
  } else {
    const key = typeof error.meta.key === 'string' ? ` [${error.meta.key}]` : '';
    const words = error.code === 'CONFIG.INVALID' ? error.message : toPlainText(renderError(locale, error));
    io.stderr(`error ${error.code}${key}: ${words}`);
  }
  return exitCodeFor(error);
}
