import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_TOPIC_CARD, FAKE_TOPIC_ROBOT } from '../../src/fakes/dingtalk-gateway.js';
import { type DingTalkHarness, GROUP, startDingTalkHarness } from '../support/dingtalk-harness.js';
import { SEED } from './arbitraries.js';
import { junkJson, junkText, mangledId, mutate, mutations } from './malformed.js';

/**
 * Malformed Stream frames pushed through the fake gateway to the real adapter (dingtalk-stream client, guarded):
 * raw text, frames with wrong types, robot messages with fields missing or wrong, card callbacks whose `content`
 * (JSON inside the JSON) is broken, huge strings. After each batch a valid `help` on the same connection is answered,
 * nothing reached the process-level error handlers, no cloud call was made, and the open approval stays open.
 */
let h: DingTalkHarness;
let realId = '';
let cloudCalls = 0;
const crashes: unknown[] = [];
const onCrash = (err: unknown) => void crashes.push(err);

beforeAll(async () => {
  process.on('unhandledRejection', onCrash);
  process.on('uncaughtException', onCrash);
  h = await startDingTalkHarness();
  h.say(`pending ${h.demo.huaweiSingle.url}`);
  await h.waitFor(() => h.openapi.cards.size === 1, 'approval card delivered');
  const [approval] = await h.store.approvals.listOpen();
  realId = approval?.id ?? '';
  cloudCalls = h.cloud.calls.length;
});
afterAll(async () => {
  await h?.close();
  process.off('unhandledRejection', onCrash);
  process.off('uncaughtException', onCrash);
});

type Push = () => void;

const FRAME_PATHS = [
  'specVersion',
  'type',
  'headers',
  'headers.topic',
  'headers.messageId',
  'headers.contentType',
  'data',
];
/** Whole frames: raw text, or a CALLBACK frame with fields broken (always pushed as raw text). */
const rawFrames: fc.Arbitrary<Push> = fc.oneof(
  junkText.map((text) => () => h.gateway.pushRaw(text)),
  junkJson.map((json) => () => h.gateway.pushRaw(JSON.stringify(json) ?? '')),
  fc
    .record({ topic: fc.constantFrom(FAKE_TOPIC_ROBOT, FAKE_TOPIC_CARD, 'ping'), changes: mutations(FRAME_PATHS) })
    .map(({ topic, changes }) => () => {
      const frame = {
        specVersion: '1.0',
        type: topic === 'ping' ? 'SYSTEM' : 'CALLBACK',
        headers: { appId: 'x', contentType: 'application/json', messageId: randomUUID(), time: '0', topic },
        data: '{}',
      };
      h.gateway.pushRaw(JSON.stringify(mutate(frame, changes)));
    }),
);

const ROBOT_PATHS = [
  'conversationId',
  'conversationType',
  'msgId',
  'senderStaffId',
  'senderNick',
  'sessionWebhook',
  'sessionWebhookExpiredTime',
  'msgtype',
  'text',
  'text.content',
  'atUsers',
  'isInAtList',
];
/** Robot messages from an allowed person with fields missing or wrong, and text that names no usable run. */
const robotMessages: fc.Arbitrary<Push> = fc.oneof(
  fc
    .record({
      text: fc.oneof(
        junkText,
        junkText.map((j) => `approve ${j}`),
        fc.constantFrom('reject', 'pending ../x', '取消'),
      ),
      changes: fc.option(mutations(ROBOT_PATHS), { nil: undefined }),
    })
    .map(({ text, changes }) => () => {
      const session = h.openapi.createSession();
      const data = {
        conversationId: GROUP,
        conversationType: '2',
        msgId: `msg${randomUUID()}`,
        senderNick: 'Alice',
        senderStaffId: 'alice',
        sessionWebhook: session.url,
        sessionWebhookExpiredTime: session.expiredTime,
        msgtype: 'text',
        text: { content: ` ${text}` },
        isInAtList: true,
        atUsers: [{ dingtalkId: '$:LWCP_v1:$bot' }],
      };
      h.gateway.pushRobotMessage(changes ? mutate(data, changes) : data);
    }),
  // `data` that is not JSON, or JSON that is not an object.
  fc
    .oneof(
      junkText,
      junkJson.map((j) => JSON.stringify(j) ?? ''),
    )
    .map((data) => () => h.gateway.push('CALLBACK', FAKE_TOPIC_ROBOT, data)),
);

/** `content` of a card callback: broken JSON, JSON of the wrong shape, double-encoded, wrong types inside. */
const brokenContent: fc.Arbitrary<string> = fc.oneof(
  junkText,
  junkJson.map((j) => JSON.stringify(j) ?? ''),
  junkJson.map((j) => JSON.stringify({ cardPrivateData: j })),
  fc
    .record({
      actionIds: junkJson,
      action: junkJson.filter((v) => v !== 'approve' && v !== 'reject' && v !== 'postpone'),
      reason: junkJson,
    })
    .map(({ actionIds, action, reason }) =>
      JSON.stringify({ cardPrivateData: { actionIds, params: { action, reject_reason: reason } } }),
    ),
  fc
    .constantFrom('approve', 'reject')
    .map((action) => JSON.stringify(JSON.stringify({ cardPrivateData: { actionIds: [action], params: { action } } }))),
);

const CARD_PATHS = ['type', 'outTrackId', 'userId', 'corpId', 'spaceType', 'spaceId', 'content'];
/**
 * Card clicks: on the real card with broken content (so no usable action), or on a mangled card id with any
 * content, including a well-formed approve; fields missing or wrong on top.
 */
const cardClicks: fc.Arbitrary<Push> = fc
  .record({
    target: fc.oneof(
      brokenContent.map((content) => ({ outTrackId: `opsgate-${realId}`, content })),
      fc.record({
        outTrackId: fc.constant(null).chain(() => mangledId(`opsgate-${realId}`)),
        content: fc.oneof(
          brokenContent,
          fc.constant(JSON.stringify({ cardPrivateData: { actionIds: ['approve'], params: { action: 'approve' } } })),
        ),
      }),
    ),
    changes: fc.option(mutations(CARD_PATHS.filter((p) => p !== 'outTrackId')), { nil: undefined }),
  })
  .map(({ target, changes }) => () => {
    const data = {
      type: 'actionCallback',
      outTrackId: target.outTrackId,
      corpId: 'dingcorp',
      userId: 'alice',
      spaceType: 'IM_GROUP',
      spaceId: GROUP,
      content: target.content,
    };
    h.gateway.pushCardCallback(changes ? mutate(data, changes) : data);
  });

const batches = fc.array(fc.oneof(rawFrames, robotMessages, cardClicks), { minLength: 1, maxLength: 15 });

/** A valid command on the same connection, answered through its own session webhook. */
async function helpIsAnswered(): Promise<void> {
  const { session } = h.say('help');
  await h.waitFor(
    () => h.openapi.messages.some((m) => m.kind === 'webhook' && m.to === session),
    'help answered after malformed frames',
  );
}

describe('malformed DingTalk Stream frames', () => {
  it('leave the connection working, raise nothing process-wide, and never reach the cloud', async () => {
    await fc.assert(
      fc.asyncProperty(batches, async (pushes) => {
        for (const push of pushes) push();
        await helpIsAnswered();
        expect(crashes).toEqual([]);
        expect(h.cloud.calls.length).toBe(cloudCalls);
        expect(h.gateway.upgrades).toBe(1);
      }),
      { seed: SEED, numRuns: 150, endOnFailure: true },
    );
    // Work a frame started may still run after its ack: one more round trip, then look again.
    await helpIsAnswered();
    expect(crashes).toEqual([]);
    expect(h.cloud.calls.length).toBe(cloudCalls);
    expect((await h.approvals.get(realId))?.status).toBe('open');
    expect(h.lines.some((l) => l.text.includes('malformed stream frame dropped'))).toBe(true);
  }, 120_000);
});
