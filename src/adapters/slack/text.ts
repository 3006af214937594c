import type { Locale, Rendered } from '../../core/i18n/index.js';
import { t } from '../../core/i18n/index.js';
import type { RunRef } from '../../core/targets.js';
import { isSlackId } from './ids.js';

/**
 * Slack mrkdwn helpers. Control characters `&`, `<`, `>` must be escaped in any text we did not write, so a reason
 * cannot ping `<!channel>` or forge a link (https://docs.slack.dev/messaging/formatting-message-text#escaping).
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts text to a Block Kit limit, marking the cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** `slack:U123` renders as a mention; any other subject (DingTalk, CLI, webhook) as escaped text. */
export function mention(subject: string | undefined): string {
  if (!subject) return '-';
  const id = subject.startsWith('slack:') ? subject.slice('slack:'.length) : undefined;
  return id && isSlackId(id) ? `<@${id}>` : escapeMrkdwn(subject);
}

/** Same, for plain text (notification fallbacks, where mentions are not parsed). */
export function plainSubject(subject: string | undefined): string {
  if (!subject) return '-';
  return subject.startsWith('slack:') ? `@${subject.slice('slack:'.length)}` : subject;
}

/** HH:MM in UTC: the fallback shown where Slack's date token is not rendered. */
export function utcTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 16)} UTC`;
}

/**
 * Slack's date token, rendered in each reader's own time zone
 * (https://docs.slack.dev/messaging/formatting-message-text#date-formatting).
 */
export function slackTime(ms: number, format = '{time}'): string {
  return `<!date^${Math.floor(ms / 1000)}^${format}|${utcTime(ms)}>`;
}

export function cloudName(locale: Locale, ref: RunRef): string {
  return t(locale, `slack.cloud.${ref.cloud}`);
}

/** The IDs of a run (and its review) as one line: what a person needs to find it in the console. */
export function refIds(ref: RunRef): string {
  const parts: Array<[string, string | undefined]> =
    ref.cloud === 'huawei'
      ? [
          ['project', ref.projectId],
          ['pipeline', ref.pipelineId],
          ['run', ref.runId],
          ['job-run', ref.jobRunId],
          ['step-run', ref.stepRunId],
        ]
      : [
          ['organization', ref.organizationId],
          ['pipeline', ref.pipelineId],
          ['run', ref.runId],
          ['job', ref.jobId],
        ];
  return parts
    .filter(([, v]) => v)
    .map(([k, v]) => `${k} ${v}`)
    .join(' · ');
}

/** Rendered words → mrkdwn: bold title, then one line each, then the Slack people it mentions. */
export function renderedMrkdwn(rendered: Pick<Rendered, 'title' | 'lines' | 'mentions'>): string {
  const people = (rendered.mentions ?? []).filter((s) => s.startsWith('slack:')).map(mention);
  return clip(
    [
      `*${escapeMrkdwn(rendered.title)}*`,
      ...rendered.lines.map(escapeMrkdwn),
      ...(people.length ? [people.join(' ')] : []),
    ].join('\n'),
    2900,
  );
}

/**
 * Rendered words → the `text` fallback of a message. Slack parses a message's top-level `text` for mentions and
 * links even when blocks are shown (https://docs.slack.dev/messaging/formatting-message-text), so it is escaped too.
 */
export function renderedPlain(rendered: Pick<Rendered, 'title' | 'lines'>): string {
  return clip(escapeMrkdwn([rendered.title, ...rendered.lines].join('\n')), 2900);
}

/**
 * Text from a cloud or a person (commit messages, branch names, trigger names) made safe for mrkdwn: Slack's mention
 * and link syntax (`<@U…>`, `<!channel>`, `<#C…|name>`, `<https://…|label>`) is reduced to its readable part, then
 * `&`, `<`, `>` are escaped, so nothing we did not write can ping, link or format
 * (https://docs.slack.dev/messaging/formatting-message-text#escaping).
 */
export function safeMrkdwn(text: string): string {
  const readable = text
    .replace(/<([@!#])([^<>|]*)(?:\|([^<>]*))?>/g, (_m, sigil: string, target: string, label?: string) =>
      sigil === '#' ? `#${label || target}` : `@${label || target}`,
    )
    .replace(/<([a-z][a-z0-9+.-]*:[^<>|]*)(?:\|([^<>]*))?>/gi, (_m, target: string, label?: string) => label || target);
  return escapeMrkdwn(readable);
}
