import { describe, expect, it } from 'vitest';
import { createDecisionGate } from '../../../src/core/approvals/gate.js';
import { listInbox } from '../../../src/core/approvals/inbox.js';
import { parsePolicy } from '../../../src/core/authz.js';
import { parseCommand } from '../../../src/core/commands.js';
import { createCore } from '../../../src/core/core.js';
import { renderOutcome } from '../../../src/core/i18n/index.js';
import { createMemoryStore } from '../../../src/store/memory/memory-store.js';
import { RELEASER_POLICY } from '../../support/cloud-env.js';
import { EVIDENCE_NOW, fullApproval } from '../../support/approval-fixtures.js';

const policy = parsePolicy(RELEASER_POLICY);
const core = createCore({
  providers: { pipelines: {} },
  store: createMemoryStore(() => EVIDENCE_NOW),
  policy,
  now: () => EVIDENCE_NOW,
});

describe('whoami and inbox in the grammar', () => {
  it('parses whoami, inbox and the Chinese alias 待审批, and refuses extra words with the usage', () => {
    expect(parseCommand('whoami')).toEqual({ op: 'whoami' });
    expect(parseCommand('inbox')).toEqual({ op: 'inbox' });
    expect(parseCommand('待审批')).toEqual({ op: 'inbox' });
    expect(() => parseCommand('whoami now')).toThrow(expect.objectContaining({ code: 'INPUT.BAD_ARGUMENT' }));
  });

  it('accepts a #name or an id as the watch channel, and nothing else', () => {
    const url = 'https://flow.aliyun.com/pipelines/1/builds/2';
    expect(parseCommand(`watch ${url} #releases`)).toMatchObject({ channel: '#releases' });
    expect(parseCommand(`watch ${url} <#C0123|releases>`)).toMatchObject({ channel: 'C0123' });
    expect(() => parseCommand(`watch ${url} #<script>`)).toThrow(
      expect.objectContaining({ code: 'INPUT.BAD_ARGUMENT' }),
    );
  });
});

describe('whoami', () => {
  it('reports each permission with the binding that grants it, open to everyone', async () => {
    const outcome = await core.execute({ subject: 'slack:UBOB', context: ['slack-channel:CREL'], text: 'whoami' });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok || outcome.result.kind !== 'whoami') throw new Error('no report');
    const approve = outcome.result.report.permissions.find((p) => p.permission === 'review.approve');
    expect(approve?.grantedBy).toEqual([
      { role: 'releaser', via: 'slack-channel:CREL', scope: expect.objectContaining({ huawei: { projects: ['*'] } }) },
    ]);
    expect(outcome.result.report.permissions.find((p) => p.permission === 'notice.update')?.allowed).toBe(false);
    const zh = renderOutcome('zh-CN', outcome);
    expect(zh.title).toBe('策略把你识别为 slack:UBOB。');
    expect(zh.lines.join('\n')).toContain('✓ review.approve：角色 releaser，经由 slack-channel:CREL（CodeArts 项目 *');
  });

  it('works for a person bound to nothing (no cloud call, no denial)', async () => {
    const outcome = await core.execute({ subject: 'cli:nobody', text: 'whoami' });
    expect(outcome.ok && renderOutcome('en', outcome).lines[0]).toBe('No channel or group here.');
  });
});

describe('approvals.inbox', () => {
  it('lists open, unexpired approvals the person may decide here, newest first', async () => {
    const store = createMemoryStore(() => EVIDENCE_NOW);
    const mk = (id: string, createdAt: number, extra = {}) => ({ ...fullApproval(), id, createdAt, ...extra });
    await store.approvals.create(mk('old', EVIDENCE_NOW - 3000));
    await store.approvals.create(mk('new', EVIDENCE_NOW - 1000));
    await store.approvals.create(mk('expired', EVIDENCE_NOW - 500, { expiresAt: EVIDENCE_NOW - 1 }));
    await store.approvals.create(mk('closed', EVIDENCE_NOW - 400, { status: 'approved' }));
    const deps = { store, gate: createDecisionGate({ policy, now: () => EVIDENCE_NOW }) };
    const who = (subject: string, context: string[] = []) => ({ subject, context });
    expect((await listInbox(deps, who('slack:UALICE'))).map((a) => a.id)).toEqual(['new', 'old']);
    expect(await listInbox(deps, who('slack:UBOB'))).toEqual([]);
    expect((await listInbox(deps, who('slack:UBOB', ['slack-channel:CREL']))).map((a) => a.id)).toEqual(['new', 'old']);
    expect((await listInbox(deps, who('slack:UALICE'), 1)).map((a) => a.id)).toEqual(['new']);
  });

  it('answers "inbox" through the core (CLI, DingTalk text) in words, newest first', async () => {
    const store = createMemoryStore(() => EVIDENCE_NOW);
    const withStore = createCore({ providers: { pipelines: {} }, store, policy, now: () => EVIDENCE_NOW });
    await store.approvals.create({ ...fullApproval(), id: 'one', createdAt: EVIDENCE_NOW - 1000 });
    const outcome = await withStore.execute({ subject: 'cli:alice', text: 'inbox' });
    expect(outcome.ok && outcome.result.kind === 'inbox' && outcome.result.approvals.map((a) => a.id)).toEqual(['one']);
    const words = renderOutcome('zh-CN', outcome);
    expect(words.title).toBe('等待你处理的审批（1），最新的在前：');
    expect(words.lines[0]).toContain('web-release & <api> #42');
    const nobody = await withStore.execute({ subject: 'cli:nobody', text: '待审批' });
    expect(nobody.ok && renderOutcome('en', nobody).title).toBe('Nothing is waiting for your decision.');
  });
});
