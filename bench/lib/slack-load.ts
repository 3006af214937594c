import { randomUUID } from 'node:crypto';
import type { FakeSlackApi, FakeSlackCall } from '../../src/fakes/slack-api.js';
import { buttonClickBody, slashCommandBody } from '../../src/fakes/slack-payloads.js';
import { signedHeaders } from '../../src/fakes/slack-signing.js';
import { BENCH_SIGNING_SECRET, BENCH_SLACK_CHANNEL, BENCH_SLACK_USER } from './bot-env.js';
import type { SignedRequest } from './http-poster.js';
import { tapPush } from './taps.js';

/** An approval message the bot posted: what a click on its Approve button names. */
export interface PostedApproval {
  approvalId: string;
  channel: string;
  ts: string;
}

function signed(body: string): SignedRequest {
  return { body, headers: signedHeaders(BENCH_SIGNING_SECRET, body) };
}

/**
 * Signed `/ops <text>` as Slack sends it (form-encoded, v0 signature with the current timestamp).
 * @example
 * const req = slashCommand(slack, 'help'); await poster.post(req);
 */
export function slashCommand(slack: Pick<FakeSlackApi, 'responseUrl'>, text: string): SignedRequest {
  return signed(
    slashCommandBody({
      text,
      userId: BENCH_SLACK_USER,
      channelId: BENCH_SLACK_CHANNEL,
      responseUrl: slack.responseUrl(randomUUID()),
    }),
  );
}

/** Signed Approve click on an approval message (a new action_ts each time, so it is a new click). */
export function approveClick(slack: Pick<FakeSlackApi, 'responseUrl'>, target: PostedApproval): SignedRequest {
  return signed(
    buttonClickBody({
      userId: BENCH_SLACK_USER,
      channelId: target.channel,
      messageTs: target.ts,
      actionId: 'opsgate_approve',
      value: target.approvalId,
      responseUrl: slack.responseUrl(randomUUID()),
    }),
  );
}

const FINAL = / · (Approved|Rejected) by /;

export type SlackCounts = SlackTracker['counts'];

/** What the bot has sent to the fake Slack Web API, counted and timed as it arrives. */
export interface SlackTracker {
  /** Approval messages posted (chat.postMessage with the Approve button), in arrival order. */
  approvals: PostedApproval[];
  counts: { responseUrl: number; processing: number; final: number; threadReply: number; ephemeral: number };
  /**
   * Called with the kind, `channel ts` and arrival time (performance.now()) of each chat.update of an approval
   * message: 'processing' (buttons removed after a click) or 'final' (the message shows the decision).
   */
  onUpdate?: (kind: 'processing' | 'final', key: string, at: number) => void;
  /** Drops the fake's call records (the counts stay), so a long run's memory stays flat. */
  forget(): void;
}

/**
 * Taps FakeSlackApi.calls. Each call is read in a microtask, after the fake has filled in its answer (the `ts`).
 * @example
 * const tracker = trackSlack(slack);
 * tracker.onUpdate = (kind, key, at) => kind === 'final' && finals.set(key, at);
 */
export function trackSlack(slack: FakeSlackApi): SlackTracker {
  const tracker: SlackTracker = {
    approvals: [],
    counts: { responseUrl: 0, processing: 0, final: 0, threadReply: 0, ephemeral: 0 },
    forget() {
      slack.calls.length = 0;
    },
  };
  const onCall = (call: FakeSlackCall, at: number) => {
    const { counts } = tracker;
    if (call.method === 'response_url') counts.responseUrl++;
    else if (call.method === 'chat.postEphemeral') counts.ephemeral++;
    else if (call.method === 'chat.update') {
      const kind = FINAL.test(String(call.body.text ?? '')) ? 'final' : 'processing';
      counts[kind]++;
      tracker.onUpdate?.(kind, `${call.body.channel} ${call.body.ts}`, at);
    } else if (call.method === 'chat.postMessage') {
      if (call.body.thread_ts) counts.threadReply++;
      else queueMicrotask(() => collectApproval(call));
    }
  };
  const collectApproval = (call: FakeSlackCall) => {
    const blocks = (call.body.blocks ?? []) as Array<{ type?: string; elements?: Array<{ value?: string }> }>;
    const approvalId = blocks.find((b) => b.type === 'actions')?.elements?.[0]?.value;
    const ts = call.response?.ts;
    if (approvalId && typeof ts === 'string') {
      tracker.approvals.push({ approvalId, channel: String(call.body.channel), ts });
    }
  };
  tapPush(slack.calls, onCall);
  return tracker;
}
