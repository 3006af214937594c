import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type SandboxProcess, startSandboxProcess } from './sandbox-process.js';

/**
 * `npm run sandbox`, driven in a pseudo-terminal as a person would: the real bot, the fakes behind it, and the
 * terminal chat in front. Needs dist/ (`npm test` builds it first).
 */
const root = join(import.meta.dirname, '..', '..', '..');
let tmp: string;
let running: SandboxProcess | undefined;

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'app', 'sandbox.js'))) {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'ignore' });
  }
  tmp = mkdtempSync(join(tmpdir(), 'opsgate-sandbox-test-'));
}, 120_000);

afterEach(() => {
  running?.kill();
  running = undefined;
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

function start(): SandboxProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', TMPDIR: tmp };
  delete env.OPSGATE_LOCALE;
  running = startSandboxProcess({ cwd: root, env });
  return running;
}

async function welcome(sandbox: SandboxProcess) {
  const text = (await sandbox.waitFor(/The bot's log: \S+\n/))[0] ?? '';
  const urls = (sandbox.output().match(/https:\/\/\S+/g) ?? []).filter((u) => !u.includes('…'));
  const huawei = urls.find((u) => u.includes('huaweicloud.com'));
  const yunxiao = urls.find((u) => u.includes('flow.aliyun.com'));
  const huaweiDouble = urls.filter((u) => u.includes('huaweicloud.com')).find((u) => u !== huawei);
  expect(text).toBeTruthy();
  return { huawei: huawei!, huaweiDouble: huaweiDouble!, yunxiao: yunxiao! };
}

describe('npm run sandbox (in a pseudo-terminal)', () => {
  it('reject and approve through Slack and DingTalk, see a denial, and quit with exit code 0', async () => {
    const sandbox = start();
    const runs = await welcome(sandbox);
    expect(runs.huawei && runs.huaweiDouble && runs.yunxiao).toBeTruthy();
    expect(sandbox.output()).toContain('slack:UBOB');

    // Slack: the approval message with numbered buttons.
    let mark = sandbox.output().length;
    sandbox.type(`/ops pending ${runs.huawei}`);
    const posted = await sandbox.waitFor(
      /#(\d+) · Slack #releases · opsgate[^╰]*Release approval[^╰]*\[(\d+)\] Approve\s+\[(\d+)\] Reject/,
      mark,
    );
    const [, message, , reject] = posted;

    // Reject → the bot opens the reason modal (views.open) → the sandbox asks → a signed view_submission.
    mark = sandbox.output().length;
    sandbox.type(reject!);
    await sandbox.waitFor(/Slack modal · Reject review[\s\S]*Reason\? /, mark);
    sandbox.type('not today');
    await sandbox.waitFor(
      new RegExp(`✎ updated #${message} · Slack #releases[^╰]*Rejected by @UALICE at [^\\n]*: not today`),
      mark,
    );
    await sandbox.waitFor(new RegExp(`↳ reply in the thread of #${message}[^╰]*Reason: not today`), mark);

    // DingTalk: a card pushed through the real Stream client; Approve is a card callback frame.
    mark = sandbox.output().length;
    sandbox.type(`@opsgate pending ${runs.yunxiao}`);
    const card = await sandbox.waitFor(
      /#(\d+) · DingTalk group "Releases" · card[^╰]*Manual check[^╰]*\[(\d+)\] 同意\s+\[(\d+)\] 拒绝/,
      mark,
    );
    const [, cardNumber, approve] = card;
    mark = sandbox.output().length;
    sandbox.type(approve!);
    await sandbox.waitFor(
      new RegExp(`✎ updated #${cardNumber} · DingTalk card[^╰]*Alice 于 UTC\\+8 \\d\\d:\\d\\d 批准`),
      mark,
    );
    await sandbox.waitFor(/DingTalk group "Releases" · opsgate[^╰]*已批准[^╰]*“Manual check”/, mark);

    // bob may list but not decide: his click on Approve (after Slack's confirm dialog) gets a private note.
    sandbox.type(':as bob');
    mark = sandbox.output().length;
    sandbox.type(`/ops pending ${runs.huaweiDouble}`);
    const second = await sandbox.waitFor(
      /#\d+ · Slack #releases · opsgate[^╰]*\[(\d+)\] Approve\s+\[\d+\] Reject/,
      mark,
    );
    mark = sandbox.output().length;
    sandbox.type(second[1]!);
    await sandbox.waitFor(/Approve\? \[y\/N\] /, mark);
    sandbox.type('y');
    await sandbox.waitFor(/\(only you can see this\)[^╰]*not allowed to review\.approve[^╰]*slack:UBOB/, mark);

    // A pressed-out button is gone.
    mark = sandbox.output().length;
    sandbox.type(reject!);
    await sandbox.waitFor(new RegExp(`Button \\[${reject}\\] is no longer on its message`), mark);

    sandbox.type(':quit');
    expect(await sandbox.exited).toBe(0);
    expect(sandbox.output()).toContain('Bye.');
  }, 90_000);

  it('Ctrl-D ends the chat and stops everything with exit code 0', async () => {
    const sandbox = start();
    await welcome(sandbox);
    sandbox.ctrlD();
    expect(await sandbox.exited).toBe(0);
    expect(sandbox.output()).toContain('Bye.');
  }, 60_000);

  it('Ctrl-C ends the chat and stops everything with exit code 0', async () => {
    const sandbox = start();
    await welcome(sandbox);
    sandbox.ctrlC();
    expect(await sandbox.exited).toBe(0);
    expect(sandbox.output()).toContain('Bye.');
  }, 60_000);
});
