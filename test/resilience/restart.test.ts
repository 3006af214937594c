import { type ChildProcess, execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/core/i18n/index.js';
import type { Store } from '../../src/core/store-ports.js';
import { type FakeCloud, type HuaweiRunSeed, startFakeCloud } from '../../src/fakes/cloud/fake-cloud.js';
import { type FakeSlackApi, startFakeSlackApi } from '../../src/fakes/slack-api.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { type BotProcess, startBotProcess } from '../support/bot-process.js';
import { type RedisServer, startRedisServer } from '../support/redis-server.js';
import { runtimeEnv } from '../support/runtime-env.js';
import { botClient, hasButtons, until } from './bot-client.js';

/**
 * The built bot (`node dist/app/main.js`) killed or starved of its store in the middle of work: SIGKILL between an
 * audit intent and its outcome on SQLite, and a Redis restart between two clicks.
 */
let cloud: FakeCloud;
let slack: FakeSlackApi;
const bots: BotProcess[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  cloud = await startFakeCloud();
  slack = await startFakeSlackApi();
});
afterEach(() => {
  for (const bot of bots.splice(0)) if (bot.child.exitCode === null && bot.child.signalCode === null) bot.child.kill();
});
afterAll(async () => {
  await slack?.close();
  await cloud?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function start(env: Record<string, string>): Promise<BotProcess> {
  const bot = await startBotProcess(env);
  bots.push(bot);
  return bot;
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** A second connection to the bot's SQLite file (WAL lets it read while the bot writes). */
async function peek<T>(path: string, read: (store: Store) => Promise<T>): Promise<T> {
  const store = createSqliteStore({ path });
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}

const review = (run: HuaweiRunSeed) => run.reviews[0]!;
const passPath = (run: HuaweiRunSeed) =>
  `${run.runId}/jobs/${review(run).jobRunId}/steps/${review(run).stepRunId}/pass`;
const passCalls = (run: HuaweiRunSeed) =>
  cloud.calls.filter((c) => c.method === 'POST' && c.path.endsWith(passPath(run)));
const cloudStatus = (run: HuaweiRunSeed) => cloud.huawei.review(run.runId, review(run).stepRunId).status;
const logged = (bot: BotProcess, msg: string) =>
  bot.logs.some((line) => {
    try {
      return (JSON.parse(line) as { msg?: string }).msg === msg;
    } catch {
      return false;
    }
  });

describe('the process killed between an audit intent and its outcome (SQLite)', () => {
  it('settles the intent from the run on restart, and an approval opened before the kill still decides', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsgate-crash-'));
    dirs.push(dir);
    const db = join(dir, 'state.db');
    // The hung decision must outlive the process: a cloud timeout far beyond the test.
    const env = runtimeEnv(cloud, slack, { OPSGATE_STORE: `sqlite:${db}`, OPSGATE_HTTP_TIMEOUT_MS: '600000' });
    const first = await start(env);
    const client = botClient(`http://127.0.0.1:${first.port}`, slack);
    const crashed = cloud.huawei.addRun({ reviews: ['Release approval'] });
    const pending = cloud.huawei.addRun({ reviews: ['Release approval'] });
    const a = await client.open(crashed.url);
    const b = await client.open(pending.url);

    // The cloud applies the approval and never answers; the bot waits on it with the intent written.
    cloud.inject({ match: passPath(crashed), kind: 'timeout', applyBeforeFailing: true });
    await client.click(a.id, a.ts, 'approve');
    await until(() => passCalls(crashed).length === 1, 'the approve call reached the cloud');
    expect(cloudStatus(crashed)).toBe('COMPLETED');
    const [intent, ...others] = await peek(db, (s) => s.audit.unsettled());
    expect(others).toEqual([]);
    expect(intent).toMatchObject({ phase: 'intent', operation: 'review.approve', subject: 'slack:UALICE' });
    expect(intent?.target).toContain(`${crashed.runId}/${review(crashed).stepRunId}`);
    await killHard(first.child);

    // A new process on the same file, reconciling approvals quickly.
    const second = await start({ ...env, OPSGATE_SWEEP_INTERVAL_MS: '200', OPSGATE_REFRESH_INTERVAL_MS: '200' });
    await until(() => logged(second, 'settled audit intents left by a crash'), 'settlement on restart');
    const records = await peek(db, async (s) => ({ open: await s.audit.unsettled(), all: await s.audit.list() }));
    expect(records.open).toEqual([]);
    const outcomes = records.all.filter((r) => r.id === intent?.id && r.phase === 'outcome');
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ ok: true, detail: 'settled on restart: review is approved' });
    // No second approve call: the settlement read the run instead.
    expect(passCalls(crashed)).toHaveLength(1);

    // The approval opened before the kill: its button still decides it, through the new process.
    const after = botClient(`http://127.0.0.1:${second.port}`, slack);
    expect((await after.click(b.id, b.ts, 'approve')).status).toBe(200);
    await after.threadReply(b.ts, 10_000);
    expect(cloudStatus(pending)).toBe('COMPLETED');
    expect(passCalls(pending)).toHaveLength(1);

    // The crashed approval (left "processing", without buttons) is closed as decided by the person who clicked,
    // from the settled audit intent: not "decided elsewhere", since opsgate made that decision.
    await until(
      async () => (await peek(db, (s) => s.approvals.get(a.id)))?.status !== 'open',
      'crashed approval reconciled',
    );
    const closed = await peek(db, (s) => s.approvals.get(a.id));
    expect(closed).toMatchObject({ status: 'approved', decision: { by: 'slack:UALICE', decision: 'approve' } });
    expect(hasButtons(slack.message(client.channel, a.ts)?.blocks)).toBe(false);
    expect(await peek(db, (s) => s.audit.unsettled())).toEqual([]);
    expect(logged(second, 'unhandled rejection') || logged(second, 'uncaught exception')).toBe(false);
    expect(await second.stop()).toBe(0);
  }, 60_000);
});

describe('the process killed while the cloud had not answered a decision it never applied (SQLite)', () => {
  it('puts the buttons back at restart, says the decision was lost, and the next click decides', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsgate-crash-'));
    dirs.push(dir);
    const db = join(dir, 'state.db');
    const env = runtimeEnv(cloud, slack, {
      OPSGATE_STORE: `sqlite:${db}`,
      OPSGATE_HTTP_TIMEOUT_MS: '600000',
      OPSGATE_DECISION_LEASE_MS: '3000',
    });
    const first = await start(env);
    const client = botClient(`http://127.0.0.1:${first.port}`, slack);
    const run = cloud.huawei.addRun({ reviews: ['Release approval'] });
    const a = await client.open(run.url);
    // The cloud never answers and never applies: the message shows "Processing" without buttons when the bot dies.
    cloud.inject({ match: passPath(run), kind: 'timeout' });
    await client.click(a.id, a.ts, 'approve');
    await until(() => passCalls(run).length === 1, 'the approve call reached the cloud');
    await until(() => !hasButtons(slack.message(client.channel, a.ts)?.blocks), 'processing shown');
    await killHard(first.child);
    expect(cloudStatus(run)).not.toBe('COMPLETED');

    const mark = slack.calls.length;
    const second = await start(env);
    // The dead holder's lease (3 s here, no longer renewed) lapses first; then the restart pass redraws the message.
    await until(
      () => hasButtons(slack.message(client.channel, a.ts)?.blocks),
      'buttons back on the approval message after restart',
      45_000,
    );
    const note = await slack.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.thread_ts === a.ts && slack.calls.indexOf(c) >= mark,
    );
    expect(String(note.body.text)).toContain('did not reach the cloud');
    expect((await peek(db, (s) => s.approvals.get(a.id)))?.status).toBe('open');
    // The lease of the dead holder does not block the next click for long: it lapses, and the click decides.
    const after = botClient(`http://127.0.0.1:${second.port}`, slack);
    expect((await after.click(a.id, a.ts, 'approve')).status).toBe(200);
    await until(() => cloudStatus(run) === 'COMPLETED', 'a click after the restart decides', 15_000);
    expect(await second.stop()).toBe(0);
  }, 120_000);
});

describe('Redis restarted between two clicks', () => {
  let redis: RedisServer | undefined;
  afterAll(async () => {
    await redis?.stop();
  });

  it('the click after the restart gets a clear answer, and the process keeps serving', async () => {
    // Our own redis-server: the run's shared one is not restarted under other tests.
    redis = await startRedisServer();
    const bot = await start(runtimeEnv(cloud, slack, { OPSGATE_STORE: redis.url }));
    const client = botClient(`http://127.0.0.1:${bot.port}`, slack);
    const first = cloud.huawei.addRun({ reviews: ['Release approval'] });
    const second = cloud.huawei.addRun({ reviews: ['Release approval'] });
    const a = await client.open(first.url);
    const b = await client.open(second.url);
    await client.click(a.id, a.ts, 'approve');
    await client.threadReply(a.ts, 10_000);
    expect(cloudStatus(first)).toBe('COMPLETED');

    // The test Redis keeps nothing on disk: after the restart, approval b is gone.
    await redis.restart();
    const mark = slack.calls.length;
    expect((await client.click(b.id, b.ts, 'approve')).status).toBe(200);
    const note = await client.noteTo('UALICE', mark, 15_000);
    expect(String(note.body.text)).toContain(t('en', 'error.APPROVAL.NOT_FOUND'));
    expect(passCalls(second)).toHaveLength(0);

    // Still serving: ready, and a new approval decides.
    const ready = await fetch(`http://127.0.0.1:${bot.port}/readyz`);
    expect(ready.status).toBe(200);
    const third = cloud.huawei.addRun({ reviews: ['Release approval'] });
    const c = await client.open(third.url);
    await client.click(c.id, c.ts, 'approve');
    await client.threadReply(c.ts, 10_000);
    expect(cloudStatus(third)).toBe('COMPLETED');
    expect(logged(bot, 'unhandled rejection') || logged(bot, 'uncaught exception')).toBe(false);
    expect(await bot.stop()).toBe(0);
  }, 60_000);

  it('a click while Redis is down gets a clear answer, and the next click works once it is back', async () => {
    redis ??= await startRedisServer();
    const bot = await start(runtimeEnv(cloud, slack, { OPSGATE_STORE: redis.url }));
    const client = botClient(`http://127.0.0.1:${bot.port}`, slack);
    const run = cloud.huawei.addRun({ reviews: ['Release approval'] });
    const a = await client.open(run.url);
    await promisify(execFile)('redis-cli', ['-p', String(redis.port), 'shutdown', 'nosave']).catch(() => undefined);
    const mark = slack.calls.length;
    expect((await client.click(a.id, a.ts, 'approve')).status).toBe(200);
    const note = await client.noteTo('UALICE', mark, 15_000);
    expect(String(note.body.text)).toContain(t('en', 'error.STORE.ERROR'));
    // A typed command too: told, not silently dropped.
    const typed = await client.command(`approve ${run.url}`);
    expect(typed.status).toBe(200);
    const answer = await client.commandReply(typed.responseUrlId, 15_000);
    expect(String(answer.body.text)).toContain(t('en', 'error.STORE.ERROR'));
    expect(passCalls(run)).toHaveLength(0);
    expect(cloudStatus(run)).toBe('RUNNING');

    await redis.restart();
    const again = cloud.huawei.addRun({ reviews: ['Release approval'] });
    const c = await client.open(again.url);
    await client.click(c.id, c.ts, 'approve');
    await client.threadReply(c.ts, 10_000);
    expect(cloudStatus(again)).toBe('COMPLETED');
    expect(logged(bot, 'unhandled rejection') || logged(bot, 'uncaught exception')).toBe(false);
    expect(await bot.stop()).toBe(0);
  }, 60_000);
});
