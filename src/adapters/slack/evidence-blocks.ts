import type { types } from '@slack/bolt';
import { describeEvidence, describeGate, type Fact } from '../../core/i18n/evidence.js';
import { type Locale, t } from '../../core/i18n/index.js';
import type { Approval } from '../../core/store-ports.js';
import { clip, cloudName, mention, safeMrkdwn, slackTime } from './text.js';

type KnownBlock = types.KnownBlock;

/**
 * Block Kit limits this file keeps (https://docs.slack.dev/reference/block-kit/blocks/section-block): a section's
 * `text` ≤ 3000 characters, at most 10 `fields` of ≤ 2000 each; a context block ≤ 10 elements; a message ≤ 50 blocks
 * (https://docs.slack.dev/reference/block-kit/blocks).
 */
const FIELD_MAX = 2000;
const SECTION_MAX = 3000;
const MAX_FIELDS = 10;

/** What the renderer needs besides the approval: the clock (for "waited 25 min") and the zone times are shown in. */
export interface EvidenceOptions {
  now: number;
  timezone: string;
}

const field = (label: string, value: string) => ({
  type: 'mrkdwn' as const,
  text: clip(`*${safeMrkdwn(label)}*\n${value}`, FIELD_MAX),
});

const factText = (facts: Fact[], key: string) => facts.find((f) => f.key === key)?.text;

/**
 * The facts of an approval as Block Kit: one section of fields (pipeline link and run number, stage, step, trigger,
 * source, commit, cloud, requester, expiry), one section with the gate in words (kind, waiting, who decides,
 * progress, what the timeout does), and a context line with the run link. Missing facts are left out.
 */
export function evidenceBlocks(locale: Locale, approval: Approval, options: EvidenceOptions): KnownBlock[] {
  const { facts, url } = describeEvidence(locale, approval, options.now, options.timezone);
  const gate = describeGate(locale, approval.review, options.now, options.timezone, approval.approvers.length);
  const fields: Array<{ type: 'mrkdwn'; text: string }> = [];
  const add = (label: string, value: string | undefined) => {
    if (value && fields.length < MAX_FIELDS) fields.push(field(label, value));
  };
  const pipeline = approval.runName ?? approval.ref.pipelineId;
  add(t(locale, 'slack.field.pipeline'), `<${url}|${safeMrkdwn(clip(pipeline, 200))}>`);
  add(
    t(locale, 'slack.field.run'),
    safeMrkdwn(approval.runNumber !== undefined ? `#${approval.runNumber}` : approval.ref.runId),
  );
  add(t(locale, 'slack.field.stage'), safeMrkdwn(approval.review.stage ?? '-'));
  add(t(locale, 'slack.field.step'), safeMrkdwn(approval.review.name));
  for (const key of ['trigger', 'source', 'commit']) {
    const fact = facts.find((f) => f.key === key);
    if (fact) add(fact.label, safeMrkdwn(clip(fact.text, 300)));
  }
  add(t(locale, 'slack.field.cloud'), safeMrkdwn(cloudName(locale, approval.ref)));
  add(t(locale, 'slack.field.requester'), mention(approval.requester));
  if (approval.status === 'open') {
    add(t(locale, 'slack.field.expires'), slackTime(approval.expiresAt, '{date_short_pretty} {time}'));
  }
  const blocks: KnownBlock[] = [{ type: 'section', fields }];
  const gateLines = gate.map((f) => `*${safeMrkdwn(f.label)}* ${safeMrkdwn(f.text)}`);
  // Who can decide, mentioned where the policy maps the gate's own approvers to Slack people.
  const deciders = (approval.review.deciders ?? []).filter((s) => s.startsWith('slack:')).map(mention);
  if (deciders.length > 0 && approval.status === 'open') {
    gateLines.push(`*${safeMrkdwn(t(locale, 'gate.label.deciders'))}* ${deciders.slice(0, 20).join(' ')}`);
  }
  if (gateLines.length > 0) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(gateLines.join('\n'), SECTION_MAX) } });
  }
  const started = factText(facts, 'started');
  const context = [`<${url}|${safeMrkdwn(t(locale, 'slack.link.run'))}>`];
  if (started) context.push(`${safeMrkdwn(t(locale, 'evidence.label.started'))} ${safeMrkdwn(started)}`);
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(context.join(' · '), SECTION_MAX) }] });
  return blocks;
}

/** One line for lists (inbox, App Home): title, pipeline #run, gate rule and timeout, as mrkdwn. */
export function evidenceSummary(locale: Locale, approval: Approval, options: EvidenceOptions): string {
  const { facts, url } = describeEvidence(locale, approval, options.now, options.timezone);
  const gate = describeGate(locale, approval.review, options.now, options.timezone, approval.approvers.length);
  const run = factText(facts, 'run') ?? approval.ref.runId;
  const head = `*<${url}|${safeMrkdwn(clip(run, 200))}>* · ${safeMrkdwn(approval.review.name)}`;
  const more = ['trigger', 'source', 'commit']
    .map((k) => factText(facts, k))
    .concat(['waiting', 'rule', 'progress', 'timeout'].map((k) => factText(gate, k)))
    .filter((x): x is string => Boolean(x))
    .map((x) => safeMrkdwn(clip(x, 300)));
  return clip([head, ...more].join('\n'), SECTION_MAX);
}
