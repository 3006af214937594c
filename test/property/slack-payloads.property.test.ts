import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonClickBody, slashCommandBody, viewSubmissionBody } from '../../src/fakes/slack-payloads.js';
import { signedHeaders } from '../../src/fakes/slack-signing.js';
import { ALICE, RELEASES, SIGNING_SECRET, type SlackHarness, startSlackHarness } from '../support/slack-harness.js';
import { SEED } from './arbitraries.js';
import { junkJson, junkText, mangledId, mutate, mutations } from './malformed.js';

/**
 * Malformed Slack requests, correctly signed so that they pass the signature check and reach Bolt and opsgate's
 * listeners (the real HTTPReceiver of the Slack adapter). Whatever the body:
 * - the server answers, within a bound (Bolt answers 404 when no listener acks: after ~3 s in production, 150 ms here);
 * - the status is 200, or one Bolt itself gives: 400 (body not JSON / `payload` not JSON; and `null` bodies, which
 *   opsgate answers before Bolt, see src/adapters/slack/null-body-guard.ts), 404 (nothing acked: unknown event
 *   type, action id, command or callback id), 413 (over 4 MB), or 500 when Bolt's own routing throws on a payload
 *   whose objects have the wrong type (e.g. `actions: null`, `view: null`, `event: null`, `channel: null`) — before
 *   any listener runs. Every 500 is checked against a bare Bolt app with no listeners, which must answer 500 too;
 * - no `unhandledRejection` or `uncaughtException` in the process;
 * - no cloud call, and the open approval the ids are derived from stays open.
 */
const UNHANDLED_MS = 150;
let h: SlackHarness;
let bare: { url: string; server: Server };
let realId = '';
let realTs = '';
let cloudCalls = 0;
const crashes: unknown[] = [];
const onCrash = (err: unknown) => void crashes.push(err);

beforeAll(async () => {
  process.on('unhandledRejection', onCrash);
  process.on('uncaughtException', onCrash);
  // Requests nothing acks get Bolt's 404 after this long instead of ~3 s (the answer is the same, only sooner).
  h = await startSlackHarness({ unhandledRequestTimeoutMs: UNHANDLED_MS });
  const run = h.cloud.huawei.addRun({ reviews: ['Release approval'] });
  await h.command(`pending ${run.url}`);
  const posted = await h.approvalPosted(RELEASES);
  realId = posted.approvalId;
  realTs = posted.ts;
  cloudCalls = h.cloud.calls.length;
  bare = await startBareBolt();
});
afterAll(async () => {
  await h?.close();
  await new Promise<void>((resolve) => {
    bare?.server.close(() => resolve());
    bare?.server.closeAllConnections();
  });
  process.off('unhandledRejection', onCrash);
  process.off('uncaughtException', onCrash);
});

/** The same Bolt HTTPReceiver setup as the adapter, without a single listener: what Bolt answers on its own. */
async function startBareBolt() {
  const silent = {
    debug() {},
    info() {},
    warn() {},
    error() {},
    setLevel() {},
    getLevel: () => LogLevel.ERROR,
    setName() {},
  };
  const receiver = new HTTPReceiver({
    signingSecret: SIGNING_SECRET,
    processBeforeResponse: false,
    logger: silent,
    unhandledRequestTimeoutMillis: UNHANDLED_MS,
  });
  new App({ receiver, authorize: async () => ({ botToken: 'xoxb-unused' }), logger: silent });
  const server = createServer(receiver.requestListener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events` };
}

interface Request {
  what: string;
  body: string;
  contentType: string;
}

/** Signed POST with a bound: a request that gets no answer within it is a hang. */
async function post(url: string, request: Request): Promise<number> {
  const headers = signedHeaders(SIGNING_SECRET, request.body, { contentType: request.contentType });
  try {
    const res = await fetch(url, { method: 'POST', headers, body: request.body, signal: AbortSignal.timeout(15_000) });
    await res.arrayBuffer();
    return res.status;
  } catch (err) {
    throw new Error(`no answer for ${request.what}: ${(err as Error).name}`);
  }
}

const FORM = 'application/x-www-form-urlencoded';
const form = (fields: Array<[string, string]>) => {
  const params = new URLSearchParams();
  for (const [k, v] of fields) params.append(k, v);
  return params.toString();
};

/** `/ops` invocations with fields missing, replaced by junk, duplicated, or extra. */
const slashCommands: fc.Arbitrary<Request> = fc
  .record({
    text: fc.oneof(
      junkText,
      junkText.map((j) => `approve ${j}`),
      fc.constantFrom('reject', 'pending ../x', 'watch'),
    ),
    drop: fc.subarray(['command', 'text', 'user_id', 'channel_id', 'team_id', 'response_url', 'trigger_id']),
    replace: fc.dictionary(fc.constantFrom('command', 'user_id', 'channel_id', 'response_url', 'team_id'), junkText, {
      maxKeys: 2,
    }),
    extra: fc.array(fc.tuple(junkText, junkText), { maxLength: 2 }),
    duplicate: fc.boolean(),
  })
  .map(({ text, drop, replace, extra, duplicate }) => {
    const base = new URLSearchParams(
      slashCommandBody({ text, userId: ALICE, channelId: RELEASES, responseUrl: h.slack.responseUrl('property') }),
    );
    const fields: Array<[string, string]> = [...base].filter(([k]) => !drop.includes(k));
    for (const [k, v] of Object.entries(replace)) {
      const i = fields.findIndex(([name]) => name === k);
      if (i >= 0) fields[i] = [k, v];
    }
    if (duplicate && fields.length > 0) fields.push(fields[0] as [string, string]);
    return { what: 'slash command', body: form([...fields, ...extra]), contentType: FORM };
  });

const CLICK_PATHS = [
  'type',
  'user',
  'user.id',
  'actions',
  'actions.0',
  'actions.0.action_id',
  'actions.0.value',
  'actions.0.action_ts',
  'actions.0.type',
  'container',
  'container.channel_id',
  'container.message_ts',
  'channel',
  'channel.id',
  'message',
  'message.ts',
  'trigger_id',
  'team',
  'response_url',
];
const VIEW_PATHS = [
  'type',
  'user',
  'user.id',
  'view',
  'view.id',
  'view.callback_id',
  'view.private_metadata',
  'view.state',
  'view.state.values',
  'view.state.values.reason',
  'view.state.values.reason.reason_input',
  'view.state.values.reason.reason_input.value',
  'team',
];
const payload = (what: string, json: unknown): Request => ({
  what,
  body: `payload=${encodeURIComponent(JSON.stringify(json))}`,
  contentType: FORM,
});
const decodePayload = (body: string): Record<string, unknown> =>
  JSON.parse(new URLSearchParams(body).get('payload') ?? '{}') as Record<string, unknown>;

/** Button clicks whose approval id is never a usable one, with more fields broken or wrong-typed. */
const clicks: fc.Arbitrary<Request> = fc
  .record({
    id: fc.constant(null).chain(() => mangledId(realId)),
    actionId: fc.oneof(fc.constantFrom('opsgate_approve', 'opsgate_reject'), junkText),
    changes: fc.option(mutations(CLICK_PATHS), { nil: undefined }),
  })
  .map(({ id, actionId, changes }) => {
    const base = decodePayload(
      buttonClickBody({
        userId: ALICE,
        channelId: RELEASES,
        messageTs: realTs,
        actionId,
        value: id,
        responseUrl: h.slack.responseUrl('property'),
      }),
    );
    return payload('button click', changes ? mutate(base, changes) : base);
  });

/** Reason submissions whose private_metadata is broken (never naming a usable approval). */
const submissions: fc.Arbitrary<Request> = fc
  .record({
    metadata: fc.oneof(
      junkText,
      junkJson.map((j) => JSON.stringify(j) ?? ''),
      fc
        .record({ a: fc.constant(null).chain(() => mangledId(realId)), c: fc.oneof(fc.constant(RELEASES), junkText) })
        .map(({ a, c }) => JSON.stringify({ a, c, t: realTs })),
    ),
    reason: fc.oneof(fc.constant('tests are red'), junkText, fc.constant(null)),
    changes: fc.option(mutations(VIEW_PATHS), { nil: undefined }),
  })
  .map(({ metadata, reason, changes }) => {
    const base = decodePayload(
      viewSubmissionBody({
        userId: ALICE,
        callbackId: 'opsgate_reject_reason',
        privateMetadata: metadata,
        values: { reason: { reason_input: reason } },
      }),
    );
    return payload('reason submission', changes ? mutate(base, changes) : base);
  });

/** Bodies that are not Slack's at all: `payload=` junk, JSON of every type, events with broken parts. */
const strangers: fc.Arbitrary<Request> = fc.oneof(
  junkText.map((j) => ({ what: 'payload junk', body: `payload=${encodeURIComponent(j)}`, contentType: FORM })),
  junkJson.map((j) => payload('payload json', j)),
  junkJson.map((j) => ({ what: 'json body', body: JSON.stringify(j) ?? '', contentType: 'application/json' })),
  junkJson.map((event) => ({
    what: 'event callback',
    body: JSON.stringify({ type: 'event_callback', team_id: 'T0FAKE0001', event }),
    contentType: 'application/json',
  })),
  fc.tuple(junkText, fc.constantFrom(FORM, 'application/json', 'text/plain')).map(([body, contentType]) => ({
    what: 'raw body',
    body,
    contentType,
  })),
);

const requests = fc.array(fc.oneof(slashCommands, clicks, submissions, strangers), { minLength: 1, maxLength: 16 });
const ALLOWED = new Set([200, 400, 404, 413, 500]);

describe('malformed Slack requests, correctly signed', () => {
  it('always get an answer Bolt or opsgate chose, never crash the process, and never reach the cloud', async () => {
    await fc.assert(
      fc.asyncProperty(requests, async (batch) => {
        // Posted together: Bolt's "nobody acked" answer takes ~3 s each, so they wait side by side.
        const statuses = await Promise.all(batch.map((r) => post(h.eventsUrl, r)));
        for (const [i, status] of statuses.entries()) {
          const request = batch[i] as Request;
          expect(ALLOWED.has(status), `${request.what} answered ${status}`).toBe(true);
          if (status === 500) expect(await post(bare.url, request), `bare Bolt on ${request.what}`).toBe(500);
        }
        expect(crashes).toEqual([]);
        expect(h.cloud.calls.length).toBe(cloudCalls);
      }),
      { seed: SEED, numRuns: 16, endOnFailure: true },
    );
    expect((await h.approvals.get(realId))?.status).toBe('open');
  }, 240_000);

  it('documented answers: `null` bodies 400 (not a hang), oversized 413, null actions 500 from Bolt itself', async () => {
    const nullPayload = { what: 'payload=null', body: 'payload=null', contentType: FORM };
    const nullJson = { what: 'json null', body: 'null', contentType: 'application/json' };
    expect(await post(h.eventsUrl, nullPayload)).toBe(400);
    expect(await post(h.eventsUrl, nullJson)).toBe(400);
    const huge = { what: 'over 4 MB', body: `payload=${'x'.repeat(5 * 1024 * 1024)}`, contentType: FORM };
    expect(await post(h.eventsUrl, huge)).toBe(413);
    const nullActions = payload('actions null', { type: 'block_actions', actions: null, user: { id: ALICE } });
    expect(await post(h.eventsUrl, nullActions)).toBe(500);
    expect(await post(bare.url, nullActions)).toBe(500);
    // A reason submission without state is acked with the "give a reason" error, not left to time out.
    const noState = payload('view without state', {
      type: 'view_submission',
      user: { id: ALICE },
      team: { id: 'T0FAKE0001' },
      view: { id: 'V0001', callback_id: 'opsgate_reject_reason', private_metadata: '{}' },
    });
    expect(await post(h.eventsUrl, noState)).toBe(200);
    expect(crashes).toEqual([]);
    expect(h.cloud.calls.length).toBe(cloudCalls);
  });
});
