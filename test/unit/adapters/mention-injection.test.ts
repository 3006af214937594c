import { describe, expect, it } from 'vitest';
import { cardParams, createNames } from '../../../src/adapters/dingtalk/card-params.js';
import { toMarkdown } from '../../../src/adapters/dingtalk/poster.js';
import { approvalMessage, reasonModal } from '../../../src/adapters/slack/blocks.js';
import { renderedMrkdwn, renderedPlain } from '../../../src/adapters/slack/text.js';
import type { Approval } from '../../../src/core/store-ports.js';

/** Pipeline-supplied strings that try to ping everyone, mention a person and plant a link. */
const HOSTILE =
  '<!channel> <@U0EVIL> <https://evil.example|click> [x](https://evil.example) ![p](https://t.example/p.png)';

function approval(status: Approval['status']): Approval {
  return {
    id: 'a1',
    ref: { cloud: 'yunxiao', organizationId: 'org1', pipelineId: '123', runId: '45', jobId: '6' },
    review: { id: '6', jobId: '6', name: `step ${HOSTILE}`, stage: `stage ${HOSTILE}` },
    runName: `run ${HOSTILE}`,
    title: `title ${HOSTILE}`,
    requester: `webhook:${HOSTILE}`,
    status,
    createdAt: 0,
    updatedAt: 0,
    expiresAt: 60_000,
    messages: [],
    approvers: [],
    ...(status === 'rejected' ? { decision: { by: 'slack:UALICE', at: 1, decision: 'reject', reason: HOSTILE } } : {}),
    version: 1,
  } as Approval;
}

/** Every string in a Slack payload that Slack parses as mrkdwn (`text` fallbacks and mrkdwn objects). */
function parsedTexts(value: unknown, out: string[] = [], key = ''): string[] {
  if (typeof value === 'string') {
    if (key === 'text') out.push(value);
  } else if (Array.isArray(value)) {
    for (const v of value) parsedTexts(v, out, key);
  } else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (o.type === 'plain_text') return out; // never parsed for mentions
    for (const [k, v] of Object.entries(o)) parsedTexts(v, out, k);
  }
  return out;
}

describe('pipeline-supplied names cannot inject mentions or links', () => {
  it.each(['open', 'rejected', 'decided-elsewhere'] as const)('Slack approval message (%s), fallback included', (s) => {
    for (const state of [{ kind: 'stored' as const }, { kind: 'processing' as const, by: 'slack:UALICE' }]) {
      const message = approvalMessage('en', approval(s), state);
      const texts = parsedTexts(message);
      expect(texts[0]).toBe(message.text);
      for (const text of texts) {
        expect(text).not.toContain('<!channel>');
        expect(text).not.toContain('<@U0EVIL>');
        expect(text).not.toContain('<https://evil.example');
      }
      expect(message.text).toContain('&lt;!channel&gt;');
    }
  });

  it('Slack reason modal and rendered replies', () => {
    const texts = parsedTexts(reasonModal('en', approval('open'), 'm'));
    const rendered = { title: HOSTILE, lines: [HOSTILE] };
    for (const text of [...texts, renderedPlain(rendered), renderedMrkdwn(rendered)]) {
      expect(text).not.toMatch(/<!channel>|<@U0EVIL>|<https:/);
    }
  });

  it('DingTalk card markdown fields and markdown messages', () => {
    const params = cardParams(approval('rejected'), 'en', 'Asia/Shanghai', createNames());
    // The card's markdown variables (summary: run, stage, step, requester; status_text: the reason).
    for (const key of ['summary', 'status_text'] as const) {
      expect(params[key]).not.toMatch(/(?<!\\)\[x(?<!\\)\]\(/);
      expect(params[key]).toContain('\\[x\\](https://evil.example)');
    }
    const md = toMarkdown({ ok: false, title: HOSTILE, lines: [HOSTILE, '# heading'] }, 'staff1');
    expect(md.text).not.toMatch(/(?<!\\)\[(x|p)(?<!\\)\]\(/);
    expect(md.text).toContain('\\# heading');
    expect(md.text.startsWith('@staff1 **')).toBe(true);
  });
});
