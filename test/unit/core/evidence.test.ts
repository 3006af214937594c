import { describe, expect, it } from 'vitest';
import { describeEvidence, describeGate } from '../../../src/core/i18n/evidence.js';
import { LOCALES } from '../../../src/core/i18n/index.js';
import { formatDuration, formatTime } from '../../../src/core/i18n/time.js';
import { EVIDENCE_NOW, fullApproval, minimalApproval, nullApproval } from '../../support/approval-fixtures.js';

describe('evidence and gate settings in words', () => {
  for (const locale of LOCALES) {
    it(`describes every field, in ${locale}`, () => {
      const a = fullApproval();
      expect(describeEvidence(locale, a, EVIDENCE_NOW, 'UTC')).toMatchSnapshot();
      expect(describeGate(locale, a.review, EVIDENCE_NOW, 'UTC')).toMatchSnapshot();
    });

    it(`leaves out what is missing or null, in ${locale}`, () => {
      for (const a of [minimalApproval(), nullApproval()]) {
        const { facts, url } = describeEvidence(locale, a, EVIDENCE_NOW, 'UTC');
        expect(facts.map((f) => f.key)).toEqual(['run']);
        expect(url).toMatch(/^https:\/\//);
        expect(describeGate(locale, a.review, EVIDENCE_NOW, 'UTC').map((f) => f.key)).toEqual(['kind']);
      }
    });
  }

  it('says the gate rule, progress and what the timeout does', () => {
    const a = fullApproval();
    const en = describeGate('en', a.review, EVIDENCE_NOW, 'UTC');
    expect(en.find((f) => f.key === 'rule')?.text).toBe('all 3 approvers');
    expect(en.find((f) => f.key === 'progress')?.text).toBe('1 of 3 approved');
    expect(en.find((f) => f.key === 'timeout')?.text).toBe('rejects automatically at 16:40 UTC');
    expect(en.find((f) => f.key === 'waiting')?.text).toBe('for 25 min (since 14:15 UTC)');
    const any = describeGate(
      'en',
      { ...a.review, settings: { approvers: ['a', 'b', 'c'], strategy: 'any' } },
      EVIDENCE_NOW,
      'UTC',
    );
    expect(any.find((f) => f.key === 'rule')?.text).toBe('any one of 3 approvers');
    const zh = describeGate('zh-CN', a.review, EVIDENCE_NOW, 'Asia/Shanghai');
    expect(zh.find((f) => f.key === 'timeout')?.text).toBe('将于 2026-11-30 00:40 UTC+8 自动拒绝');
    expect(zh.find((f) => f.key === 'rule')?.text).toBe('需全部 3 位审批人通过');
  });

  it('keeps only http(s) run links and clips a long first commit line', () => {
    const a = fullApproval();
    const bad = describeEvidence(
      'en',
      { ...a, evidence: { ...a.evidence, url: 'javascript:alert(1)' } },
      EVIDENCE_NOW,
      'UTC',
    );
    expect(bad.url).toMatch(/^https:\/\/devcloud/);
    const long = describeEvidence(
      'en',
      { ...a, evidence: { commitMessage: `${'x'.repeat(500)}\nsecond` } },
      EVIDENCE_NOW,
      'UTC',
    );
    expect(long.facts.find((f) => f.key === 'commit')?.text.length).toBeLessThanOrEqual(120);
  });

  it('formats times in a zone with its offset, and durations', () => {
    expect(formatTime(Date.UTC(2026, 10, 29, 16, 40), Date.UTC(2026, 10, 29, 14, 0), 'UTC')).toBe('16:40 UTC');
    expect(formatTime(Date.UTC(2026, 10, 29, 16, 40), Date.UTC(2026, 10, 29, 14, 0), 'Nowhere/Else')).toBe('16:40 UTC');
    expect(formatDuration('en', 30_000)).toBe('less than a minute');
    expect(formatDuration('en', 125 * 60_000)).toBe('2 h 5 min');
    expect(formatDuration('zh-CN', 26 * 3600_000)).toBe('1 天 2 小时');
  });
});
