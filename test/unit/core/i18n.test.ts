import { describe, expect, it } from 'vitest';
import { ERROR_CODES, OpsError } from '../../../src/core/errors.js';
import { en, type MessageKey } from '../../../src/core/i18n/en.js';
import { renderError, renderHelp, t, toLocale } from '../../../src/core/i18n/index.js';
import { zhCN } from '../../../src/core/i18n/zh-cn.js';

describe('i18n catalogs', () => {
  it('have the same keys in English and Simplified Chinese', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
  });

  it('have words for every error code in both languages', () => {
    for (const code of ERROR_CODES) {
      expect(en[`error.${code}`], code).toBeTruthy();
      expect(zhCN[`error.${code}`], code).toBeTruthy();
    }
  });

  it('fills placeholders and keeps placeholders of each key identical across languages', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(en) as MessageKey[])
      expect(names(zhCN[key] ?? ''), key).toEqual(names(en[key] ?? ''));
    expect(t('en', 'error.AUTH.DENIED', { permission: 'review.reject', subject: 'slack:U1' })).toContain(
      'review.reject',
    );
  });

  it('renders a denial with the permission and a typo with its suggestion, in Chinese too', () => {
    const denied = renderError(
      'zh-CN',
      new OpsError('AUTH.DENIED', 'x', { permission: 'review.approve', subject: 's' }),
    );
    expect(denied.title).toContain('review.approve');
    const typo = renderError(
      'en',
      new OpsError('INPUT.UNKNOWN_COMMAND', 'x', { word: 'rejcet', suggestion: 'reject' }),
    );
    expect(typo.lines.join()).toContain('"reject"');
  });

  it('maps platform locales and renders help per topic', () => {
    expect(toLocale('zh_CN')).toBe('zh-CN');
    expect(toLocale('en-US')).toBe('en');
    expect(toLocale(undefined, 'zh-CN')).toBe('zh-CN');
    expect(renderHelp('en', 'reject').lines[0]).toContain('reject <run-url');
    expect(renderHelp('en', 'nope').title).toContain('No help');
  });
});
