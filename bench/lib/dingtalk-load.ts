import type { FakeDingTalkGateway } from '../../src/fakes/dingtalk-gateway.js';
import { robotMessageData } from '../../src/fakes/dingtalk-payloads.js';
import { BENCH_DINGTALK_GROUP, BENCH_DINGTALK_USER } from './bot-env.js';

/**
 * Pushes `@bot <text>` from the benchmark user in the benchmark group, as the Stream gateway delivers it
 * (TOPIC_ROBOT, CALLBACK); returns the frame's messageId.
 * @example
 * pushRobotText(gateway, `pending ${run.url}`, session);
 */
export function pushRobotText(
  gateway: FakeDingTalkGateway,
  text: string,
  session: { url: string; expiredTime: number },
): string {
  return gateway.pushRobotMessage(
    robotMessageData({
      staffId: BENCH_DINGTALK_USER,
      text,
      conversationId: BENCH_DINGTALK_GROUP,
      robotCode: gateway.credentials.clientId,
      session,
      nick: 'Alice',
    }),
  );
}

/** Pushes a click on a card's button (TOPIC_CARD, CALLBACK); returns the frame's messageId. */
export function pushCardClick(gateway: FakeDingTalkGateway, outTrackId: string, action: 'approve' | 'reject'): string {
  return gateway.pushCardCallback({
    type: 'actionCallback',
    outTrackId,
    corpId: 'dingcorp',
    userId: BENCH_DINGTALK_USER,
    spaceType: 'IM_GROUP',
    spaceId: BENCH_DINGTALK_GROUP,
    content: JSON.stringify({ cardPrivateData: { actionIds: [action], params: { action } } }),
  });
}
