import type { GateKind, GateSettings, RunEvidence } from '../ports.js';
import type { Approval } from '../store-ports.js';
import { runUrl } from '../targets.js';
import { type Locale, t } from './index.js';
import { formatDuration, formatTime } from './time.js';

/**
 * What a person needs to decide, in words both chats use (Slack blocks, the DingTalk card): the run, who or what
 * triggered it, its source, how long the gate has waited and the gate's own settings. Plain text: each adapter escapes
 * it for its markup. Every input field may be missing or `null` (clouds send `null` freely): such a fact is left out.
 */
export interface Fact {
  key: string;
  label: string;
  text: string;
}

export type EvidenceInput = Pick<Approval, 'ref' | 'runName' | 'runNumber' | 'evidence'>;

const COMMIT_LINE_MAX = 120;

/** Run (pipeline #number), trigger, source (repository · branch), commit (short id + first line), and the run link. */
export function describeEvidence(
  locale: Locale,
  input: EvidenceInput,
  now: number,
  timezone: string,
): { facts: Fact[]; url: string } {
  const ev: RunEvidence = input.evidence ?? {};
  const facts: Fact[] = [];
  const add = (key: string, text: string | undefined) => {
    if (text) facts.push({ key, label: t(locale, `evidence.label.${key}`), text });
  };
  const pipeline = str(input.runName) ?? input.ref.pipelineId;
  const number = num(input.runNumber);
  add('run', number !== undefined ? t(locale, 'evidence.run', { pipeline, number }) : pipeline);
  const who = str(ev.triggeredBy);
  const how = str(ev.trigger);
  add('trigger', who && how ? t(locale, 'evidence.trigger', { who, how }) : (who ?? how));
  add('source', [str(ev.repository), str(ev.branch)].filter(Boolean).join(' · ') || undefined);
  const commit = str(ev.commitId)?.slice(0, 8);
  const message = firstLine(ev.commitMessage);
  add('commit', [commit, message].filter(Boolean).join(' ') || undefined);
  const started = num(ev.startedAt);
  if (started !== undefined) add('started', formatTime(started, now, timezone));
  return { facts, url: httpUrl(ev.url) ?? runUrl(input.ref) };
}

/** Kind, how long it has waited, who decides ("any one of 3 approvers"), progress, and what the timeout does. */
export function describeGate(
  locale: Locale,
  review: Approval['review'],
  now: number,
  timezone: string,
  /** Approvals opsgate has collected so far (an "all approvers" gate passes once every listed approver approved). */
  collected = 0,
): Fact[] {
  const facts: Fact[] = [];
  const add = (key: string, text: string | undefined) => {
    if (text) facts.push({ key, label: t(locale, `gate.label.${key}`), text });
  };
  const kind: GateKind = review.kind ?? 'review';
  add('kind', t(locale, `gate.kind.${kind}`));
  const settings: GateSettings = review.settings ?? {};
  const since = num(review.since);
  if (since !== undefined) {
    add(
      'waiting',
      t(locale, 'gate.waited', { duration: formatDuration(locale, now - since), at: formatTime(since, now, timezone) }),
    );
  }
  const approvers = list(settings.approvers);
  const roles = list(settings.roles);
  if (approvers.length > 1) {
    add('rule', t(locale, settings.strategy === 'all' ? 'gate.all' : 'gate.any', { count: approvers.length }));
  } else if (approvers.length === 1) add('rule', t(locale, 'gate.one'));
  else if (roles.length > 0) add('rule', t(locale, 'gate.roles', { roles: roles.join(', ') }));
  const done = Math.max(list(settings.approvedBy).length, collected);
  if (settings.strategy === 'all' && approvers.length > 1) {
    add('progress', t(locale, 'gate.progress', { done, count: approvers.length }));
  }
  const timeout = num(settings.timeoutMinutes);
  if (timeout !== undefined && timeout > 0) {
    const raw = str(settings.onTimeout)?.toLowerCase();
    const action = t(locale, raw === 'reject' || raw === 'pass' ? `gate.action.${raw}` : 'gate.action.other');
    add(
      'timeout',
      since !== undefined
        ? t(locale, 'gate.timeout.at', { action, at: formatTime(since + timeout * 60_000, now, timezone) })
        : t(locale, 'gate.timeout.after', { action, duration: formatDuration(locale, timeout * 60_000) }),
    );
  }
  const runsAt = num(settings.runsAt);
  if (kind === 'delay' && runsAt !== undefined) add('runsAt', formatTime(runsAt, now, timezone));
  return facts;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function list(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.length > 0) : [];
}

function firstLine(v: unknown): string | undefined {
  const line = str(v)?.split(/\r?\n/, 1)[0]?.trim();
  if (!line) return undefined;
  return line.length > COMMIT_LINE_MAX ? `${line.slice(0, COMMIT_LINE_MAX - 1)}…` : line;
}

/** Only http(s) links from the cloud become links; anything else is dropped (no `javascript:` or chat markup). */
function httpUrl(v: unknown): string | undefined {
  const s = str(v);
  if (!s || s.length > 2000) return undefined;
  try {
    const u = new URL(s);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}
