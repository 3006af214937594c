import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '../../src/app/runtime.js';
import { OpsError } from '../../src/core/errors.js';
import { t } from '../../src/core/i18n/index.js';
import {
  type FakeCloud,
  type FaultSpec,
  type HuaweiRunSeed,
  startFakeCloud,
} from '../../src/fakes/cloud/fake-cloud.js';
import { type FakeSlackApi, startFakeSlackApi } from '../../src/fakes/slack-api.js';
import { runtimeEnv } from '../support/runtime-env.js';
import { teeLogger, testLogger } from '../support/test-logger.js';
import { botClient, type CapturedLine, captureLines, hasButtons, until } from './bot-client.js';

/**
 * Cloud and Slack faults met by the whole bot (startRuntime: real HTTP server, Bolt receiver, core, approval service,
 * memory store) while someone clicks Approve. Whatever the fault: no crash, the person is told, every audit intent
 * has its outcome, and the approval agrees with the cloud (open with buttons, or decided without).
 */
let cloud: FakeCloud;
let slack: FakeSlackApi;
let runtime: Runtime;
let bot: ReturnType<typeof botClient>;
const lines: CapturedLine[] = [];
const crashes: unknown[] = [];
const onCrash = (err: unknown) => void crashes.push(err);

beforeAll(async () => {
  process.on('unhandledRejection', onCrash);
  process.on('uncaughtException', onCrash);
  cloud = await startFakeCloud();
  slack = await startFakeSlackApi();
  runtime = await startRuntime({
    // A short cloud timeout so the "never answers" faults end quickly; two retries for 429/503.
    // No background sweep or refresh during the tests: they would read runs and could take an injected fault.
    env: runtimeEnv(cloud, slack, {
      OPSGATE_HTTP_TIMEOUT_MS: '2000',
      OPSGATE_HTTP_RETRIES: '2',
      OPSGATE_SWEEP_INTERVAL_MS: '3600000',
    }),
    // Slack Web API retries on (one), so a 429 with Retry-After is waited out and retried.
    slackClientRetries: 1,
    logger: teeLogger(captureLines(lines), testLogger('resilience-faults')),
  });
  bot = botClient(`http://127.0.0.1:${runtime.port}`, slack);
});
afterAll(async () => {
  await runtime?.stop();
  await slack?.close();
  await cloud?.close();
  process.off('unhandledRejection', onCrash);
  process.off('uncaughtException', onCrash);
});

const review = (run: HuaweiRunSeed) => run.reviews[0]!;
/** `…/<run>/jobs/<job run>/steps/<step run>/pass`: the approve call of this run's review. */
const passPath = (run: HuaweiRunSeed) =>
  `${run.runId}/jobs/${review(run).jobRunId}/steps/${review(run).stepRunId}/pass`;
const passCalls = (run: HuaweiRunSeed) =>
  cloud.calls.filter((c) => c.method === 'POST' && c.path.endsWith(passPath(run)));
/** The fault was met: a call of this run's pipeline carries it. */
const faulted = (run: HuaweiRunSeed) => cloud.calls.some((c) => c.fault && c.path.includes(run.pipelineId));
const cloudStatus = (run: HuaweiRunSeed) => cloud.huawei.review(run.runId, review(run).stepRunId).status;
const english = (code: string) => t('en', `error.${code}`);

/** The checks every fault case ends with. */
async function expectConsistent(id: string, ts: string, run: HuaweiRunSeed) {
  // No crash: nothing escaped, and the bot still serves.
  expect(crashes).toEqual([]);
  expect((await fetch(`http://127.0.0.1:${runtime.port}/healthz`)).status).toBe(200);
  // The audit is complete: every intent has exactly one outcome.
  expect(await runtime.store.audit.unsettled()).toEqual([]);
  const records = (await runtime.store.audit.list({ limit: 100_000 })).filter((r) => r.target.includes(run.runId));
  const intents = records.filter((r) => r.phase === 'intent');
  expect(intents.length).toBeGreaterThan(0);
  for (const intent of intents) {
    expect(records.filter((r) => r.phase === 'outcome' && r.id === intent.id)).toHaveLength(1);
  }
  // The approval agrees with the cloud and with what people see.
  const approval = await runtime.store.approvals.get(id);
  const open = approval?.status === 'open';
  expect(open || approval?.status === 'approved').toBe(true);
  expect(cloudStatus(run)).toBe(open ? 'RUNNING' : 'COMPLETED');
  expect(hasButtons(slack.message(bot.channel, ts)?.blocks)).toBe(open);
  const last = bot.lastUpdate(ts);
  if (last) expect(hasButtons(last.body.blocks)).toBe(open);
  return { approval, records };
}

/** Opens an approval for a fresh run and injects the fault once it is posted (the opening read is not faulted). */
async function openWithFault(fault?: (run: HuaweiRunSeed) => FaultSpec) {
  const run = cloud.huawei.addRun({ reviews: ['Release approval'] });
  const { id, ts } = await bot.open(run.url);
  if (fault) cloud.inject(fault(run));
  return { run, id, ts };
}

describe('cloud faults during a decision: retried, or re-read, and the decision is made', () => {
  const cases: Array<{ name: string; fault: (run: HuaweiRunSeed) => FaultSpec; passCalls: number }> = [
    {
      name: '503 on the approve call, then success (retried: 503 means nothing was done)',
      fault: (run) => ({ match: passPath(run), kind: 'status', status: 503 }),
      passCalls: 2,
    },
    {
      name: '429 with Retry-After on the approve call, then success (waited out and retried)',
      fault: (run) => ({ match: passPath(run), kind: 'status', status: 429, retryAfter: '1' }),
      passCalls: 2,
    },
    {
      name: 'a slow answer, within the timeout',
      fault: (run) => ({ match: passPath(run), kind: 'latency', ms: 300 }),
      passCalls: 1,
    },
    {
      name: 'connection reset after the cloud applied it (ambiguous: the re-read shows the decision)',
      fault: (run) => ({ match: passPath(run), kind: 'reset', applyBeforeFailing: true }),
      passCalls: 1,
    },
    {
      name: 'no answer until the timeout, after the cloud applied it (ambiguous: the re-read shows it)',
      fault: (run) => ({ match: passPath(run), kind: 'timeout', applyBeforeFailing: true }),
      passCalls: 1,
    },
  ];

  it.each(cases)('$name', async ({ fault, passCalls: expectedCalls }) => {
    const { run, id, ts } = await openWithFault(fault);
    const mark = slack.calls.length;
    expect((await bot.click(id, ts, 'approve')).status).toBe(200);
    const reply = await bot.threadReply(ts, 15_000);
    expect(String(reply.body.text)).toContain('Approved');
    expect(faulted(run)).toBe(true);
    expect(passCalls(run)).toHaveLength(expectedCalls);
    const { approval, records } = await expectConsistent(id, ts, run);
    expect(approval?.status).toBe('approved');
    expect(records.filter((r) => r.phase === 'outcome').map((r) => r.ok)).toEqual([true]);
    // Nobody was told of an error.
    expect(slack.calls.slice(mark).filter((c) => c.method === 'chat.postEphemeral')).toEqual([]);
  });
});

describe('one round trip: a click decides with the ids its approval holds', () => {
  it('never reads the run on the happy path (a 503 on reading it is never met)', async () => {
    const { run, id, ts } = await openWithFault((r) => ({
      match: `GET /v5/${r.projectId}/api/pipelines/${r.pipelineId}/`,
      kind: 'status',
    }));
    expect((await bot.click(id, ts, 'approve')).status).toBe(200);
    expect(String((await bot.threadReply(ts, 15_000)).body.text)).toContain('Approved');
    expect(faulted(run)).toBe(false);
    expect(passCalls(run)).toHaveLength(1);
    expect((await expectConsistent(id, ts, run)).approval?.status).toBe('approved');
  });
});

describe('cloud faults during a decision that leave it undone: the clicker is told, the buttons come back', () => {
  const cases: Array<{ name: string; fault: (run: HuaweiRunSeed) => FaultSpec; code: string; passCalls: number }> = [
    {
      name: '500 on the approve call (not retried: it may have had an effect, and the cloud said it failed)',
      fault: (run) => ({ match: passPath(run), kind: 'status', status: 500 }),
      code: 'PROVIDER.UNAVAILABLE',
      passCalls: 1,
    },
    {
      name: '429 on every attempt (retries used up)',
      fault: (run) => ({ match: passPath(run), kind: 'status', status: 429, retryAfter: '0', times: 3 }),
      code: 'PROVIDER.RATE_LIMITED',
      passCalls: 3,
    },
    {
      name: 'connection reset before the cloud applied it (ambiguous: re-read shows it waiting, no blind retry)',
      fault: (run) => ({ match: passPath(run), kind: 'reset' }),
      code: 'OUTCOME.UNKNOWN',
      passCalls: 1,
    },
    {
      name: 'no answer until the timeout, not applied (ambiguous: re-read shows it waiting, no blind retry)',
      fault: (run) => ({ match: passPath(run), kind: 'timeout' }),
      code: 'OUTCOME.UNKNOWN',
      passCalls: 1,
    },
  ];

  it.each(cases)('$name', async ({ fault, code, passCalls: expectedCalls }) => {
    const { run, id, ts } = await openWithFault(fault);
    const mark = slack.calls.length;
    expect((await bot.click(id, ts, 'approve')).status).toBe(200);
    const note = await bot.noteTo('UALICE', mark, 15_000);
    expect(String(note.body.text)).toContain(english(code));
    expect(faulted(run)).toBe(true);
    expect(passCalls(run)).toHaveLength(expectedCalls);
    const { approval, records } = await expectConsistent(id, ts, run);
    expect(approval?.status).toBe('open');
    expect(records.filter((r) => r.phase === 'outcome').map((r) => [r.ok, r.code])).toEqual([[false, code]]);
    // The buttons were taken off while deciding, then put back.
    const updates = slack.calls.slice(mark).filter((c) => c.method === 'chat.update' && c.body.ts === ts);
    expect(updates.map((c) => hasButtons(c.body.blocks))).toEqual([false, true]);

    // The approval still works: the next click decides it.
    await bot.click(id, ts, 'approve');
    await bot.threadReply(ts, 15_000);
    expect((await expectConsistent(id, ts, run)).approval?.status).toBe('approved');
    expect(passCalls(run)).toHaveLength(expectedCalls + 1);
  });
});

describe('Slack Web API faults around a decision: the decision is made once, the failure is logged', () => {
  const logged = (msg: string, since: number) => lines.slice(since).find((l) => l.msg === msg);

  it('429 with Retry-After on the "processing" update: waited out, the update lands, one decision', async () => {
    const { run, id, ts } = await openWithFault();
    const mark = slack.calls.length;
    const logMark = lines.length;
    slack.inject({ method: 'chat.update', status: 429, retryAfter: 1 });
    await bot.click(id, ts, 'approve');
    await bot.threadReply(ts, 15_000);
    // The Web API client says so through Bolt's logger (source: slack).
    const rateLimited = lines.slice(logMark).find((l) => /rate limit/i.test(l.msg ?? ''));
    expect(rateLimited?.obj).toMatchObject({ source: 'slack' });
    const updates = slack.calls.slice(mark).filter((c) => c.method === 'chat.update' && c.body.ts === ts);
    expect(updates.map((c) => c.status)).toEqual([429, 200, 200]);
    expect(hasButtons(updates[1]?.body.blocks)).toBe(false);
    expect(passCalls(run)).toHaveLength(1);
    expect((await expectConsistent(id, ts, run)).approval?.status).toBe('approved');
  });

  it('500 on every try of the "processing" update: logged, the decision goes on once, the final update lands', async () => {
    const { run, id, ts } = await openWithFault();
    const mark = slack.calls.length;
    const logMark = lines.length;
    slack.inject({ method: 'chat.update', status: 500, times: 2 });
    await bot.click(id, ts, 'approve');
    await bot.threadReply(ts, 15_000);
    const failed = logged('slack approval message update failed', logMark);
    expect(failed?.obj).toMatchObject({ approvalId: id, code: 'PLATFORM.ERROR' });
    const updates = slack.calls.slice(mark).filter((c) => c.method === 'chat.update' && c.body.ts === ts);
    expect(updates.map((c) => c.status)).toEqual([500, 500, 200]);
    expect(passCalls(run)).toHaveLength(1);
    expect((await expectConsistent(id, ts, run)).approval?.status).toBe('approved');
  });

  it('500 on every try of the thread reply: logged, the message still shows the decision', async () => {
    const { run, id, ts } = await openWithFault();
    const logMark = lines.length;
    slack.inject({ method: 'chat.postMessage', status: 500, times: 2 });
    await bot.click(id, ts, 'approve');
    await until(() => logged('approval message update failed', logMark) !== undefined, 'follow-up failure logged');
    expect(logged('approval message update failed', logMark)?.obj).toMatchObject({
      approvalId: id,
      platform: 'slack',
      code: 'PLATFORM.ERROR',
    });
    expect(passCalls(run)).toHaveLength(1);
    expect(String(slack.message(bot.channel, ts)?.text)).toContain('Approved');
    expect((await expectConsistent(id, ts, run)).approval?.status).toBe('approved');
  });

  it('429 with Retry-After on the thread reply: waited out, the reply lands', async () => {
    const { run, id, ts } = await openWithFault();
    const mark = slack.calls.length;
    slack.inject({ method: 'chat.postMessage', status: 429, retryAfter: 1 });
    await bot.click(id, ts, 'approve');
    await until(
      () => slack.calls.slice(mark).some((c) => c.body.thread_ts === ts && c.response?.ok === true),
      'thread reply after the 429',
      15_000,
    );
    const replies = slack.calls.slice(mark).filter((c) => c.method === 'chat.postMessage' && c.body.thread_ts === ts);
    expect(replies.map((c) => c.status)).toEqual([429, 200]);
    expect(passCalls(run)).toHaveLength(1);
    expect((await expectConsistent(id, ts, run)).approval?.status).toBe('approved');
  });

  it('a failed decision whose private note fails too: logged, the buttons are back, the approval is open', async () => {
    const { run, id, ts } = await openWithFault((r) => ({ match: passPath(r), kind: 'status', status: 500 }));
    const logMark = lines.length;
    slack.inject({ method: 'chat.postEphemeral', status: 500, times: 2 });
    await bot.click(id, ts, 'approve');
    await until(() => logged('slack ephemeral note failed', logMark) !== undefined, 'note failure logged');
    expect(passCalls(run)).toHaveLength(1);
    expect((await expectConsistent(id, ts, run)).approval?.status).toBe('open');
  });
});

describe('the store failing during a decision', () => {
  it('the intent cannot be written: nothing is sent, the clicker is told, the buttons come back', async () => {
    const { run, id, ts } = await openWithFault();
    const { audit, approvals } = runtime.store;
    const write = audit.write;
    const get = approvals.get;
    // The store goes away at the audit intent, and stays away until the flow has answered.
    let down = false;
    audit.write = async (record) => {
      if (record.phase === 'intent' && record.target.includes(run.runId)) down = true;
      if (down) throw new OpsError('STORE.ERROR', 'store unreachable', {});
      return write.call(audit, record);
    };
    approvals.get = async (approvalId) => {
      if (down) throw new OpsError('STORE.ERROR', 'store unreachable', {});
      return get.call(approvals, approvalId);
    };
    const mark = slack.calls.length;
    try {
      await bot.click(id, ts, 'approve');
      const note = await bot.noteTo('UALICE', mark);
      expect(String(note.body.text)).toContain(english('STORE.ERROR'));
    } finally {
      audit.write = write;
      approvals.get = get;
    }
    expect(passCalls(run)).toHaveLength(0);
    const updates = slack.calls.slice(mark).filter((c) => c.method === 'chat.update' && c.body.ts === ts);
    expect(updates.map((c) => hasButtons(c.body.blocks))).toEqual([false, true]);
    expect(crashes).toEqual([]);
    expect(await runtime.store.audit.unsettled()).toEqual([]);
    expect((await runtime.store.approvals.get(id))?.status).toBe('open');
    expect(cloudStatus(run)).toBe('RUNNING');
  });
});
