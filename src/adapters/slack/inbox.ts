import type { types } from '@slack/bolt';
import { type Locale, t } from '../../core/i18n/index.js';
import type { Approval } from '../../core/store-ports.js';
import { decisionButtons, title } from './blocks.js';
import { type EvidenceOptions, evidenceSummary } from './evidence-blocks.js';
import { ACTION_INBOX_APPROVE, ACTION_INBOX_POSTPONE, ACTION_INBOX_REJECT } from './ids.js';
import { clip, escapeMrkdwn } from './text.js';

type KnownBlock = types.KnownBlock;

/**
 * How many approvals each surface lists: two blocks each, within a message's 50 blocks
 * (https://docs.slack.dev/reference/block-kit/blocks) and a Home tab's 100 (docs.slack.dev/reference/views/home-tab-views).
 */
export const INBOX_LIMIT = { message: 15, home: 40 } as const;

const INBOX_IDS = { approve: ACTION_INBOX_APPROVE, reject: ACTION_INBOX_REJECT, postpone: ACTION_INBOX_POSTPONE };

/**
 * The inbox as blocks: a heading, then per approval its title and evidence summary and the buttons of its gate kind
 * (inbox action ids: a click from the inbox decides as the person, in the place the list is shown). `approvals` may
 * hold one more than `limit`: that says "more not shown".
 */
export function inboxBlocks(
  locale: Locale,
  approvals: readonly Approval[],
  limit: number,
  options: EvidenceOptions,
): { text: string; blocks: KnownBlock[] } {
  const shown = approvals.slice(0, limit);
  const head = shown.length === 0 ? t(locale, 'inbox.empty') : t(locale, 'inbox.title', { count: shown.length });
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: `*${escapeMrkdwn(head)}*` } }];
  for (const [i, approval] of shown.entries()) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clip(`*${escapeMrkdwn(title(locale, approval))}*\n${evidenceSummary(locale, approval, options)}`, 2900),
      },
    });
    blocks.push({
      type: 'actions',
      block_id: `opsgate_inbox_${i}`,
      elements: decisionButtons(locale, approval, INBOX_IDS),
    });
  }
  if (approvals.length > limit) {
    blocks.push({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: escapeMrkdwn(t(locale, 'slack.home.more', { count: approvals.length - limit })) },
      ],
    });
  }
  return { text: head, blocks };
}
