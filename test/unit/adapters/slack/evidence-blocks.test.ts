import { describe, expect, it } from 'vitest';
import { approvalMessage } from '../../../../src/adapters/slack/blocks.js';
import { inboxBlocks } from '../../../../src/adapters/slack/inbox.js';
import { safeMrkdwn } from '../../../../src/adapters/slack/text.js';
import { LOCALES } from '../../../../src/core/i18n/index.js';
import type { GateKind } from '../../../../src/core/ports.js';
import type { Approval } from '../../../../src/core/store-ports.js';
import { EVIDENCE_NOW, fullApproval, minimalApproval, nullApproval } from '../../../support/approval-fixtures.js';

const options = { now: EVIDENCE_NOW, timezone: 'UTC' };
type Block = {
  type: string;
  text?: { text: string };
  fields?: Array<{ text: string }>;
  elements?: Array<Record<string, unknown>>;
};

/** Block Kit limits (docs.slack.dev/reference/block-kit/blocks/section-block, …/block-elements/button-element). */
function expectWithinLimits(blocks: Block[]): void {
  expect(blocks.length).toBeLessThanOrEqual(50);
  for (const b of blocks) {
    if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    if (b.fields) {
      expect(b.fields.length).toBeLessThanOrEqual(10);
      for (const f of b.fields) expect(f.text.length).toBeLessThanOrEqual(2000);
    }
    for (const e of b.elements ?? []) {
      if (e.type === 'button') {
        expect(String(e.value).length).toBeLessThanOrEqual(2000);
        expect((e.text as { text: string }).text.length).toBeLessThanOrEqual(75);
      }
    }
  }
}

const withKind = (a: Approval, kind: GateKind): Approval => ({ ...a, review: { ...a.review, kind } });

describe('Slack approval message with evidence', () => {
  for (const locale of LOCALES) {
    for (const [name, make] of [
      ['every optional field', fullApproval],
      ['no optional field', minimalApproval],
      ['null fields', nullApproval],
    ] as const) {
      it(`renders ${name} (${locale})`, () => {
        const message = approvalMessage(locale, make(), { kind: 'stored' }, options);
        expectWithinLimits(message.blocks as Block[]);
        expect(message).toMatchSnapshot();
      });
    }
  }

  it('escapes cloud text and strips mention syntax: nothing pings, links or breaks the markup', () => {
    const text = JSON.stringify(approvalMessage('en', fullApproval(), { kind: 'stored' }, options).blocks);
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<@U123>');
    expect(text).toContain('alice @channel');
    expect(text).toContain('Fix checkout for @U123 &amp; friends');
    expect(text).toContain('web-release &amp; &lt;api&gt;');
    expect(safeMrkdwn('<https://evil.example|click> <#C1|general> a>b')).toBe('click #general a&gt;b');
  });

  it('gives each gate kind its own buttons', () => {
    const labels = (a: Approval, locale: (typeof LOCALES)[number] = 'en') => {
      const actions = (approvalMessage(locale, a, { kind: 'stored' }, options).blocks as Block[]).find(
        (b) => b.type === 'actions',
      );
      return actions?.elements?.map((e) => [e.action_id, (e.text as { text: string }).text]);
    };
    expect(labels(fullApproval())).toEqual([
      ['opsgate_approve', 'Approve'],
      ['opsgate_reject', 'Reject'],
    ]);
    expect(labels(withKind(fullApproval(), 'stage-check'))).toEqual([
      ['opsgate_approve', 'Let the stage start'],
      ['opsgate_reject', 'Block the stage'],
    ]);
    expect(labels(withKind(fullApproval(), 'delay'))).toEqual([
      ['opsgate_approve', 'Run now'],
      ['opsgate_reject', 'Stop'],
      ['opsgate_postpone', 'Postpone 1 h'],
    ]);
    expect(labels(withKind(fullApproval(), 'delay'), 'zh-CN')).toEqual([
      ['opsgate_approve', '立即执行'],
      ['opsgate_reject', '终止'],
      ['opsgate_postpone', '推迟 1 小时'],
    ]);
    const closed = approvalMessage('en', { ...fullApproval(), status: 'expired' }, { kind: 'stored' }, options);
    expect((closed.blocks as Block[]).some((b) => b.type === 'actions')).toBe(false);
  });

  it('clips huge cloud text to the section limits', () => {
    const a = fullApproval();
    const huge = {
      ...a,
      runName: 'p'.repeat(5000),
      evidence: { ...a.evidence, repository: 'r'.repeat(5000), branch: 'b'.repeat(5000) },
    };
    expectWithinLimits(approvalMessage('en', huge, { kind: 'stored' }, options).blocks as Block[]);
  });

  it('lists an inbox within 50 blocks, saying how many more wait', () => {
    const many = Array.from({ length: 16 }, (_, i) => ({ ...fullApproval(), id: `id-${i}` }));
    const { blocks } = inboxBlocks('en', many, 15, options);
    expectWithinLimits(blocks as Block[]);
    expect(JSON.stringify(blocks.at(-1))).toContain('1 more not shown');
    expect(inboxBlocks('zh-CN', [], 15, options).text).toBe('没有等待你处理的审批。');
  });
});
