import OpenApiUtilModule from '@alicloud/openapi-util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  acs3Date,
  acs3Encode,
  canonicalRequest,
  sha256Hex,
  signAcs3,
} from '../../../../src/providers/aliyun/acs3-signer.js';

// CommonJS package (`exports.default = Client`): Node's ESM loader yields `module.exports`, vitest may unwrap it.
type OpenApiUtilClass = typeof OpenApiUtilModule.default;
const loaded = OpenApiUtilModule as unknown as OpenApiUtilClass | { default: OpenApiUtilClass };
const OpenApiUtil: OpenApiUtilClass = 'getAuthorization' in loaded ? loaded : loaded.default;
type TeaRequest = Parameters<typeof OpenApiUtil.getAuthorization>[0];

const VECTOR = {
  url: new URL(
    'https://ecs.cn-shanghai.aliyuncs.com/?ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai',
  ),
  accessKeyId: 'YourAccessKeyId',
  accessKeySecret: 'YourAccessKeySecret',
  date: new Date('2023-10-26T10:22:32Z'),
  nonce: '3156853299f313e23d1673dc12e1703d',
  action: 'RunInstances',
  version: '2014-05-26',
};

describe('signAcs3', () => {
  it('reproduces the documented RunInstances vector', () => {
    const added = signAcs3({ ...VECTOR, method: 'POST', headers: {}, body: '' });
    expect(added).toEqual({
      host: 'ecs.cn-shanghai.aliyuncs.com',
      'x-acs-action': 'RunInstances',
      'x-acs-version': '2014-05-26',
      'x-acs-date': '2023-10-26T10:22:32Z',
      'x-acs-signature-nonce': '3156853299f313e23d1673dc12e1703d',
      'x-acs-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      Authorization:
        'ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0',
    });
  });

  it('builds the documented canonical request layout', () => {
    const url = new URL("https://h.example/a%20b/c?b=x y&a=!'()*&a=0");
    const { canonical, signedHeaders } = canonicalRequest({
      method: 'get',
      url,
      headers: { Host: 'h.example', 'Content-Type': ' application/json ', 'X-Acs-Action': 'A', accept: 'x' },
      hashedPayload: sha256Hex(''),
    });
    expect(signedHeaders).toBe('content-type;host;x-acs-action');
    expect(canonical).toBe(
      [
        'GET',
        '/a%20b/c',
        'a=%21%27%28%29%2A&a=0&b=x%20y',
        'content-type:application/json\nhost:h.example\nx-acs-action:A\n',
        'content-type;host;x-acs-action',
        sha256Hex(''),
      ].join('\n'),
    );
  });

  it("formats dates without milliseconds and escapes !'()*", () => {
    expect(acs3Date(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)))).toBe('2024-01-02T03:04:05Z');
    expect(acs3Encode("a b!'()*~+/")).toBe('a%20b%21%27%28%29%2A~%2B%2F');
  });

  it('signs a fresh nonce and date into different signatures', () => {
    const base = { ...VECTOR, method: 'GET', headers: {}, body: '' };
    const one = signAcs3(base);
    const two = signAcs3({ ...base, nonce: 'other' });
    const three = signAcs3({ ...base, date: new Date('2023-10-26T10:22:33Z') });
    expect(new Set([one.Authorization, two.Authorization, three.Authorization]).size).toBe(3);
  });
});

const segment = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 8 })
  .filter((s) => s !== '.' && s !== '..' && !s.includes('/'));
const queryKey = fc.stringMatching(/^[A-Za-z0-9_.~-]{1,10}$/);
const value = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom("!'()*", 'a b+c', '100%', '&=?#', '中文', '~tilde'),
);

const generated = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
  segments: fc.array(segment, { minLength: 0, maxLength: 4 }),
  query: fc.dictionary(queryKey, value, { maxKeys: 5 }),
  contentType: fc.option(fc.constantFrom('application/json; charset=utf-8', 'application/x-www-form-urlencoded'), {
    nil: undefined,
  }),
  extra: fc.dictionary(fc.stringMatching(/^x-acs-[a-z]{1,8}$/), fc.stringMatching(/^ ?[ -~]{0,12} ?$/), {
    maxKeys: 2,
  }),
  body: fc.oneof(fc.constant(''), fc.constant('{}'), fc.string({ unit: 'grapheme', maxLength: 40 })),
  nonce: fc.stringMatching(/^[0-9a-f]{32}$/),
  seconds: fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }),
});

describe('signAcs3 against @alicloud/openapi-util getAuthorization', () => {
  it('agrees on generated requests (paths, special-character queries, bodies, headers)', () => {
    let checked = 0;
    fc.assert(
      fc.property(generated, (g) => {
        const encodedPath = OpenApiUtil.getEncodePath(`/${g.segments.join('/')}`);
        const url = new URL(encodedPath, 'https://devops.cn-hangzhou.aliyuncs.com');
        for (const [k, v] of Object.entries(g.query)) url.searchParams.append(k, v);
        const headers: Record<string, string> = { Accept: 'application/json', ...g.extra };
        if (g.contentType) headers['Content-Type'] = g.contentType;
        // Our own values replace caller copies of the names we set (x-acs-action etc.).
        const added = signAcs3({
          method: g.method,
          url,
          headers,
          body: g.body,
          accessKeyId: 'LTAI-test',
          accessKeySecret: 'secret-for-cross-check',
          date: new Date(g.seconds * 1000),
          nonce: g.nonce,
          action: 'GetPipelineRun',
          version: '2021-06-25',
        });
        const { Authorization, ...signedAdded } = added;
        const finalHeaders: Record<string, string> = {};
        for (const [k, v] of Object.entries(headers)) if (!(k.toLowerCase() in signedAdded)) finalHeaders[k] = v;
        const teaRequest = {
          method: g.method,
          pathname: encodedPath,
          query: { ...g.query },
          headers: { ...finalHeaders, ...signedAdded },
        } as unknown as TeaRequest;
        const expected = OpenApiUtil.getAuthorization(
          teaRequest,
          'ACS3-HMAC-SHA256',
          sha256Hex(g.body),
          'LTAI-test',
          'secret-for-cross-check',
        );
        expect(Authorization).toBe(expected);
        checked++;
      }),
      { seed: 20240611, numRuns: 60 },
    );
    expect(checked).toBeGreaterThanOrEqual(20);
  });
});
