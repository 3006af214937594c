import { createHash } from 'node:crypto';
import type { ApprovalPoster } from '../../core/approvals/ports.js';
import { OpsError } from '../../core/errors.js';
import type { Locale, Rendered } from '../../core/i18n/index.js';
import type { Approval, ApprovalMessageRef } from '../../core/store-ports.js';
import { cardParams, type Names } from './card-params.js';
import { escapeDingTalkMarkdown } from './markdown.js';
import type { DingTalkApi, Markdown } from './openapi.js';

const APPROVAL_ID = /^[A-Za-z0-9-]{1,64}$/;
const OUT_TRACK_ID = /^opsgate-([A-Za-z0-9-]{1,64})(?:_[0-9a-f]{8})?$/;
/** openConversationIds are base64-ish; `;` (which separates spaces in openSpaceId) and `.` are never allowed. */
const CONVERSATION_ID = /^[A-Za-z0-9+/=_-]{1,128}$/;
const STAFF_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Channel naming a person's one-to-one chat with the robot (cards go to `IM_ROBOT.<staffId>`). */
export const ROBOT_CHANNEL_PREFIX = 'robot:';

export type Space = { kind: 'group'; conversationId: string } | { kind: 'robot'; userId: string };

/** A channel is a group's openConversationId, or `robot:<staffId>` for a one-to-one chat. */
export function spaceOf(channel: string): Space {
  if (channel.startsWith(ROBOT_CHANNEL_PREFIX)) {
    const userId = channel.slice(ROBOT_CHANNEL_PREFIX.length);
    if (STAFF_ID.test(userId)) return { kind: 'robot', userId };
  } else if (CONVERSATION_ID.test(channel)) {
    return { kind: 'group', conversationId: channel };
  }
  throw new OpsError('INPUT.BAD_ID', 'not a DingTalk conversation', { field: 'channel' });
}

/**
 * `opsgate-<approvalId>` for the approval's first card; a second conversation gets a suffix, because an outTrackId
 * names one card instance.
 */
export function outTrackIdFor(approval: Approval, channel: string): string {
  if (!APPROVAL_ID.test(approval.id)) {
    throw new OpsError('INPUT.BAD_ID', 'approval id cannot name a DingTalk card', { field: 'approvalId' });
  }
  const first = !approval.messages.some((m) => m.platform === 'dingtalk');
  if (first) return `opsgate-${approval.id}`;
  return `opsgate-${approval.id}_${createHash('sha256').update(channel).digest('hex').slice(0, 8)}`;
}

/** The approval an outTrackId belongs to, or undefined for cards that are not ours. */
export function approvalIdOf(outTrackId: unknown): string | undefined {
  if (typeof outTrackId !== 'string') return undefined;
  return OUT_TRACK_ID.exec(outTrackId)?.[1];
}

/** Markdown for DingTalk (paragraphs need blank lines); `mention` puts `@staffId` first so the mention shows. */
export function toMarkdown(rendered: Rendered, mention?: string): Markdown {
  const head = `${mention ? `@${mention} ` : ''}**${escapeDingTalkMarkdown(rendered.title)}**`;
  return {
    title: rendered.title.slice(0, 64),
    text: [head, ...rendered.lines.map(escapeDingTalkMarkdown)].join('\n\n'),
  };
}

/** DingTalk people a text mentions, as `@staffId` words at its end (the robot message's own at-list is not used). */
function withMentions(text: Rendered): Rendered {
  const people = (text.mentions ?? []).filter((s) => s.startsWith('dingtalk:')).map((s) => `@${s.slice(9)}`);
  return people.length > 0 ? { ...text, lines: [...text.lines, people.join(' ')] } : text;
}

/**
 * The DingTalk ApprovalPoster: interactive cards with Approve/Reject that call back over Stream, updated in place,
 * and follow-up messages in the same conversation.
 * @example
 * approvals.registerPoster(createDingTalkPoster({ api, locale: 'zh-CN', timeZone: 'Asia/Shanghai', names }));
 */
export function createDingTalkPoster(deps: {
  api: DingTalkApi;
  locale: Locale;
  timeZone: string;
  names: Names;
}): ApprovalPoster {
  const { api, locale, timeZone, names } = deps;
  return {
    platform: 'dingtalk',
    locale,
    async post(approval, channel): Promise<ApprovalMessageRef> {
      const space = spaceOf(channel);
      const outTrackId = outTrackIdFor(approval, channel);
      await api.createAndDeliverCard({ outTrackId, params: cardParams(approval, locale, timeZone, names), space });
      return { platform: 'dingtalk', channel, messageId: outTrackId };
    },
    async update(approval, message) {
      await api.updateCard(message.messageId, cardParams(approval, locale, timeZone, names));
    },
    async followUp(_approval, message, text) {
      const space = spaceOf(message.channel);
      if (space.kind === 'group') await api.sendGroupMarkdown(space.conversationId, toMarkdown(withMentions(text)));
      else await api.sendUserMarkdown([space.userId], toMarkdown(text));
    },
    async direct(subject, text) {
      const staffId = subject.startsWith('dingtalk:') ? subject.slice('dingtalk:'.length) : '';
      if (!/^[A-Za-z0-9_$-]{1,64}$/.test(staffId)) return false;
      await api.sendUserMarkdown([staffId], toMarkdown(text));
      return true;
    },
  };
}
