import { randomUUID } from 'node:crypto';

/**
 * The `data` of a robot message (TOPIC_ROBOT) as DingTalk's Stream gateway delivers it (docs/reference/dingtalk.md):
 * `text.content` starts with a space, the bot is in `atUsers`. For the tests, the sandbox and the benchmarks.
 * @example
 * gateway.pushRobotMessage(robotMessageData({ staffId: 'alice', text: 'help', conversationId: 'cid1', robotCode, session }));
 */
export interface RobotMessageInput {
  staffId: string;
  text: string;
  conversationId: string;
  robotCode: string;
  session: { url: string; expiredTime: number };
  /** "1" one-to-one, "2" group (default). */
  conversationType?: string;
  conversationTitle?: string;
  msgId?: string;
  /** Default: the staff id capitalised. */
  nick?: string;
}

export function robotMessageData(input: RobotMessageInput): Record<string, unknown> {
  const bot = '$:LWCP_v1:$bot';
  return {
    conversationId: input.conversationId,
    conversationType: input.conversationType ?? '2',
    conversationTitle: input.conversationTitle ?? 'Releases',
    msgId: input.msgId ?? `msg${randomUUID()}`,
    senderNick: input.nick ?? input.staffId.charAt(0).toUpperCase() + input.staffId.slice(1),
    senderStaffId: input.staffId,
    senderId: `$:LWCP_v1:$${input.staffId}`,
    isAdmin: false,
    chatbotUserId: bot,
    robotCode: input.robotCode,
    isInAtList: true,
    atUsers: [{ dingtalkId: bot }],
    createAt: Date.now(),
    sessionWebhook: input.session.url,
    sessionWebhookExpiredTime: input.session.expiredTime,
    msgtype: 'text',
    text: { content: ` ${input.text}` },
  };
}
