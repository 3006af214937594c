import { describe, expect, it } from 'vitest';
import { REDACTED, registerSecrets, scrub, scrubDeep } from '../../../src/core/scrub.js';

describe('the scrubber', () => {
  registerSecrets(['unit-secret-value-7f3a', 'with"quote-secret', 'short', undefined]);

  it('replaces registered values, in their JSON- and URL-encoded spellings too', () => {
    expect(scrub('sk unit-secret-value-7f3a echoed')).toBe(`sk ${REDACTED} echoed`);
    expect(scrub(JSON.stringify({ m: 'x with"quote-secret y' }))).not.toContain('quote-secret');
    expect(scrub(`a=${encodeURIComponent('with"quote-secret')}`)).toBe(`a=${REDACTED}`);
    // Values under 8 characters are not registered (they would garble ordinary words).
    expect(scrub('a short word')).toBe('a short word');
  });

  it.each([
    ['slack bot token', 'token xoxb-1234-5678-abcdefgh here', 'xoxb-'],
    ['slack app token', 'xapp-1-A0B1C2-123-abc', 'xapp-'],
    ['yunxiao pat', 'pt-AbCdEfGhIjKlMnOpQrSt_123', 'pt-AbC'],
    ['huawei iam token', 'X-Subject-Token MIIEfakeTOKENabcdefghijklmnopqrstuv==', 'MIIE'],
    ['aliyun access key id', 'key LTAI5tAbCdEfGhIjKlMn', 'LTAI5t'],
    ['authorization header', 'Authorization: Bearer abc.def.ghi', 'abc.def'],
    [
      'json authorization',
      '{"authorization":"SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host, Signature=deadbeef"}',
      'deadbeef',
    ],
    ['signature query', 'x?Signature=0123456789abcdef&y=1', '0123456789abcdef'],
    ['slack v0 signature', `v0=${'a'.repeat(64)}`, 'aaaa'],
    ['session webhook', 'https://oapi.dingtalk.com/robot/sendBySession?session=c0ffee123456', 'c0ffee'],
    ['slack response url', 'https://hooks.slack.com/commands/T1/2/abcSECRET', 'abcSECRET'],
    ['url credentials', 'redis://user:p4ssw0rd@redis:6379/0', 'p4ssw0rd'],
    ['password field', 'password=hunter2hunter2', 'hunter2'],
  ])('replaces a %s', (_name, text, leaked) => {
    const out = scrub(text);
    expect(out).not.toContain(leaked);
    expect(out).toContain(REDACTED);
  });

  it('keeps the host of a URL with credentials', () => {
    expect(scrub('redis://user:p4ssw0rd@redis:6379/0')).toBe(`redis://${REDACTED}@redis:6379/0`);
  });

  it('keeps ordinary text, codes and URLs as they are', () => {
    const text =
      'AUTH.BAD_SIGNATURE: signature does not match · https://devcloud.cn-north-4.huaweicloud.com/cicd/project/p1 · HUAWEI_IAM_PASSWORD is required';
    expect(scrub(text)).toBe(text);
  });

  it('scrubs every string of a JSON value, and leaves keys and other values', () => {
    expect(scrubDeep({ a: ['unit-secret-value-7f3a', 1, true], b: { c: null } })).toEqual({
      a: [REDACTED, 1, true],
      b: { c: null },
    });
  });
});
