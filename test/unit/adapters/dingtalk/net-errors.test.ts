import { describe, expect, it } from 'vitest';
import { dingTalkUnavailable } from '../../../../src/adapters/dingtalk/net-errors.js';
import { OpsError } from '../../../../src/core/errors.js';
import { renderError } from '../../../../src/core/i18n/index.js';

describe('a failed call to DingTalk', () => {
  it('says DingTalk is unavailable, not the cloud, in both languages', () => {
    const network = new OpsError('PROVIDER.UNAVAILABLE', 'dingtalk.group.send: cannot connect', {
      network: 'ECONNREFUSED',
    });
    let thrown: unknown;
    try {
      dingTalkUnavailable(network);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({
      code: 'PLATFORM.UNAVAILABLE',
      meta: { platform: 'DingTalk', network: 'ECONNREFUSED' },
    });
    expect(renderError('en', thrown as OpsError).title).toBe(
      'DingTalk is unavailable right now (ECONNREFUSED); try again shortly.',
    );
    expect(renderError('zh-CN', thrown as OpsError).title).toContain('DingTalk 暂时不可用');
  });

  it('passes other errors on unchanged', () => {
    const other = new OpsError('INPUT.BAD_ID', 'bad', {});
    expect(() => dingTalkUnavailable(other)).toThrow(other);
  });
});
