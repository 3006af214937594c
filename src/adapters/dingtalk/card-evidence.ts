import { type Locale, t } from '../../core/i18n/index.js';
import type { Approval } from '../../core/store-ports.js';
import { runUrl } from '../../core/targets.js';
import { escapeDingTalkMarkdown } from './markdown.js';

/** Who someone is in messages: `dingtalk:staff1` → "Alice" when seen, else the id. */
export type Display = (subject: string | undefined) => string;

/**
 * "16:40（UTC+8）": every time on a card says its zone (OPSGATE_TIMEZONE, default Asia/Shanghai on DingTalk), because a
 * card is read in groups whose members are not all in one zone.
 */
export function clockTime(at: number, locale: Locale, timeZone: string): string {
  const parts = clockFormat(timeZone).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const zone =
    part('timeZoneName')
      .replace(/^GMT/, 'UTC')
      .replace(/^UTC[+-]0?$/, '') || 'UTC';
  return t(locale, 'dingtalk.time', { time: `${part('hour')}:${part('minute')}`, zone });
}

/** One formatter per zone (building one costs far more than using it); zones come from configuration. */
const CLOCKS = new Map<string, Intl.DateTimeFormat>();

function clockFormat(timeZone: string): Intl.DateTimeFormat {
  let format = CLOCKS.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone,
      timeZoneName: 'shortOffset',
    });
    if (CLOCKS.size < 64) CLOCKS.set(timeZone, format);
  }
  return format;
}

/**
 * Text from a cloud (commit messages, branch names, user names) inside card markdown: one line, bounded, and escaped
 * (markdown.ts), so a commit message cannot put a link on the card.
 */
export function plain(text: string, max = 120): string {
  const line = text
    .replace(/\p{Cc}+/gu, ' ')
    .trim()
    .slice(0, max);
  return escapeDingTalkMarkdown(line);
}

/** Markdown lines that say which run this is: pipeline and number, stage and step, who asked, the link. */
export function summaryLines(approval: Approval, locale: Locale, display: Display): string[] {
  const number = approval.runNumber !== undefined ? ` #${approval.runNumber}` : '';
  const cloud = t(locale, `dingtalk.card.cloud.${approval.ref.cloud}`);
  const lines = [
    t(locale, 'dingtalk.card.pipeline', {
      pipeline: `**${plain(approval.runName ?? approval.ref.pipelineId, 80)}${number}**`,
      cloud,
    }),
  ];
  lines.push(
    approval.review.stage
      ? t(locale, 'dingtalk.card.stageStep', {
          stage: plain(approval.review.stage, 60),
          step: plain(approval.review.name, 60),
        })
      : t(locale, 'dingtalk.card.step', { step: plain(approval.review.name, 60) }),
  );
  if (approval.requester)
    lines.push(t(locale, 'dingtalk.card.requester', { who: plain(display(approval.requester), 64) }));
  lines.push(`[${t(locale, 'dingtalk.card.openRun')}](${linkOf(approval)})`);
  return lines;
}

/** What is shipping: trigger, source and commit. Absent fields leave their line out; nothing known → no lines. */
export function evidenceLines(approval: Approval, locale: Locale, timeZone: string): string[] {
  const e = approval.evidence;
  if (!e) return [];
  const lines: string[] = [];
  if (e.triggeredBy || e.trigger) {
    const who = plain(e.triggeredBy ?? e.trigger ?? '', 64);
    const key = e.triggeredBy && e.trigger ? 'dingtalk.card.triggeredVia' : 'dingtalk.card.triggered';
    lines.push(t(locale, key, { who, via: plain(e.trigger ?? '', 32) }));
  }
  const source = [
    e.repository ? plain(e.repository, 80) : '',
    e.branch ? plain(e.branch, 60) : '',
    e.commitId ? `\`${e.commitId.replace(/[^0-9A-Za-z]/g, '').slice(0, 8)}\`` : '',
  ].filter(Boolean);
  if (source.length > 0) lines.push(t(locale, 'dingtalk.card.source', { source: source.join(' · ') }));
  if (e.commitMessage)
    lines.push(t(locale, 'dingtalk.card.commit', { message: plain(e.commitMessage.split('\n')[0] ?? '', 80) }));
  if (e.startedAt) lines.push(t(locale, 'dingtalk.card.startedAt', { at: clockTime(e.startedAt, locale, timeZone) }));
  return lines;
}

/**
 * The gate's rule in words: since when it waits, any/all approvers, its timeout, who may decide. Unlike the core's
 * describeGate (src/core/i18n/evidence.ts, durations such as "waited 25 min"), a card says absolute times only: it is
 * not re-rendered while it waits, so a duration on it would go stale.
 */
export function gateLines(
  approval: Approval,
  locale: Locale,
  timeZone: string,
  display: Display = (s) => s ?? '-',
): string[] {
  const s = approval.review.settings ?? {};
  const since = approval.review.since ?? approval.createdAt;
  const lines = [t(locale, 'dingtalk.card.since', { at: clockTime(since, locale, timeZone) })];
  const rule: string[] = [];
  if (s.strategy) rule.push(t(locale, `dingtalk.card.rule.${s.strategy}`));
  if (s.timeoutMinutes !== undefined && s.timeoutMinutes > 0) {
    const at = clockTime(since + s.timeoutMinutes * 60_000, locale, timeZone);
    const then = !s.onTimeout ? 'plain' : s.onTimeout === 'reject' || s.onTimeout === 'pass' ? s.onTimeout : 'other';
    rule.push(t(locale, `dingtalk.card.timeout.${then}`, { at, action: plain(s.onTimeout ?? '', 32) }));
  }
  if (s.runsAt) rule.push(t(locale, 'dingtalk.card.runsAt', { at: clockTime(s.runsAt, locale, timeZone) }));
  if (rule.length > 0) lines.push(t(locale, 'dingtalk.card.rule', { rule: rule.join(t(locale, 'dingtalk.card.sep')) }));
  const list = (values: string[]) =>
    values
      .slice(0, 10)
      .map((v) => plain(v, 40))
      .join(t(locale, 'dingtalk.card.sep'));
  // People in chat first (the policy's identities map them to the gate's approvers), else the cloud's own ids.
  const deciders = approval.review.deciders ?? [];
  if (deciders.length) lines.push(t(locale, 'dingtalk.card.deciders', { who: list(deciders.map((d) => display(d))) }));
  else if (s.approvers?.length) lines.push(t(locale, 'dingtalk.card.deciders', { who: list(s.approvers) }));
  else if (s.roles?.length) lines.push(t(locale, 'dingtalk.card.roles', { roles: list(s.roles) }));
  if (s.approvedBy?.length) lines.push(t(locale, 'dingtalk.card.approvedBy', { who: list(s.approvedBy) }));
  return lines;
}

/** The run in the cloud console: the evidence's URL when it is an https URL, else the one built from the ids. */
export function linkOf(approval: Approval): string {
  const url = approval.evidence?.url;
  if (url && /^https:\/\/[^\s()<>]+$/.test(url)) return url;
  return runUrl(approval.ref);
}
