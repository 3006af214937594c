import { z } from 'zod';

/** TOPIC_ROBOT `data` (docs/reference/dingtalk.md "Robot messages"): only the fields the adapter uses, bounded. */
const robotSchema = z.object({
  conversationId: z.string().min(1).max(256),
  conversationType: z.string().max(8).optional(),
  msgId: z.string().min(1).max(256),
  senderNick: z.string().max(256).optional(),
  senderStaffId: z.string().max(128).optional(),
  sessionWebhook: z.string().max(4096).optional(),
  sessionWebhookExpiredTime: z.number().optional(),
  msgtype: z.string().max(64).optional(),
  text: z.object({ content: z.string().max(20_000) }).optional(),
});

export type RobotMessage = z.infer<typeof robotSchema>;

/** TOPIC_CARD `data`: `content` is JSON inside the JSON. */
const cardSchema = z.object({
  outTrackId: z.string().min(1).max(256),
  userId: z.string().max(128),
  content: z.string().max(20_000).optional(),
  spaceType: z.string().max(64).optional(),
  spaceId: z.string().max(256).optional(),
});

const contentSchema = z.object({
  cardPrivateData: z
    .object({
      actionIds: z.array(z.string()).max(32).optional(),
      params: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
});

/** The space a card was clicked in (open-dingtalk/dingtalk-stream-sdk-go `card/model.go` CardRequest). */
export interface ClickSpace {
  /** `IM_GROUP`, `IM_ROBOT`, … as DingTalk names it; empty when the callback did not say. */
  type: string;
  /** For IM_GROUP the group's openConversationId (assumed: no public source shows a callback's spaceId value). */
  id: string;
}

/** What a button may ask for (Decision in src/core/ports.ts). */
export type CardAction = 'approve' | 'reject' | 'postpone';

/** Callback params the bot reads; the card template's buttons send them (test/unit/dingtalk/card-template.test.ts). */
export const CARD_CALLBACK_PARAMS = { action: 'action', reason: 'reject_reason' } as const;

export interface CardClick {
  outTrackId: string;
  userId: string;
  space: ClickSpace;
  action?: CardAction;
  reason?: string;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Parses a robot frame's data; undefined when it is not a robot message we can use. */
export function parseRobotMessage(data: string): RobotMessage | undefined {
  const checked = robotSchema.safeParse(parseJson(data));
  return checked.success ? checked.data : undefined;
}

/** Parses a card callback's data defensively (unknown params are ignored, bad JSON in `content` means no action). */
export function parseCardClick(data: string): CardClick | undefined {
  const checked = cardSchema.safeParse(parseJson(data));
  if (!checked.success) return undefined;
  const { outTrackId, userId, content, spaceType, spaceId } = checked.data;
  const inner = contentSchema.safeParse(content ? parseJson(content) : {});
  const params = inner.success ? (inner.data.cardPrivateData?.params ?? {}) : {};
  const raw = params[CARD_CALLBACK_PARAMS.action];
  const action = raw === 'approve' || raw === 'reject' || raw === 'postpone' ? raw : undefined;
  const typed = params[CARD_CALLBACK_PARAMS.reason];
  const reason = typeof typed === 'string' ? typed.trim().slice(0, 1000) : '';
  return {
    outTrackId,
    userId,
    space: { type: spaceType ?? '', id: spaceId ?? '' },
    ...(action ? { action } : {}),
    ...(reason ? { reason } : {}),
  };
}

/** The command text of a robot message: `@bot` mentions and surrounding space removed. */
export function commandText(message: RobotMessage): string {
  if (message.msgtype !== undefined && message.msgtype !== 'text') return '';
  return (message.text?.content ?? '')
    .trim()
    .replace(/^(@\S+\s*)+/, '')
    .trim();
}
