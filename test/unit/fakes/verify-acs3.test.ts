import openapiUtilModule from '@alicloud/openapi-util';
import { describe, expect, it } from 'vitest';
import { EMPTY_SHA256, sha256Hex } from '../../../src/fakes/cloud/sign-util.js';
import { acs3CanonicalRequest, acs3Signature, createAcs3Verifier } from '../../../src/fakes/cloud/verify-acs3.js';

// Vector from docs/reference/aliyun-yunxiao.md (Alibaba's signature V3 documentation, RunInstances).
// CJS interop differs between Node (module.exports) and vitest (exports.default): take whichever holds the class.
type OpenApiUtilClass = typeof openapiUtilModule.default;
const loaded = openapiUtilModule as unknown as OpenApiUtilClass | { default: OpenApiUtilClass };
const OpenApiUtil: OpenApiUtilClass = 'getAuthorization' in loaded ? loaded : loaded.default;

const VECTOR_SIG = '06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0';
const SIGNED = ['host', 'x-acs-action', 'x-acs-content-sha256', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-version'];
const NOW = Date.parse('2023-10-26T10:22:32Z');

function vector(signature = VECTOR_SIG) {
  return {
    method: 'POST',
    target: '/?ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai',
    headers: {
      host: 'ecs.cn-shanghai.aliyuncs.com',
      'x-acs-action': 'RunInstances',
      'x-acs-version': '2014-05-26',
      'x-acs-date': '2023-10-26T10:22:32Z',
      'x-acs-signature-nonce': '3156853299f313e23d1673dc12e1703d',
      'x-acs-content-sha256': EMPTY_SHA256,
      authorization: `ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=${SIGNED.join(';')},Signature=${signature}`,
    },
    body: '',
  };
}

const secretFor = (id: string) => (id === 'YourAccessKeyId' ? 'YourAccessKeySecret' : undefined);

describe('verify-acs3: reference vector', () => {
  it('recomputes the RunInstances signature', () => {
    const canonical = acs3CanonicalRequest(vector(), SIGNED, EMPTY_SHA256) as string;
    expect(canonical.split('\n').slice(0, 3)).toEqual([
      'POST',
      '/',
      'ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai',
    ]);
    expect(acs3Signature('YourAccessKeySecret', canonical)).toBe(VECTOR_SIG);
  });

  it('accepts the vector once, then refuses the reused nonce', () => {
    const verifier = createAcs3Verifier({ secretFor, now: () => NOW });
    expect(verifier.verify(vector())).toMatchObject({ ok: true, accessKeyId: 'YourAccessKeyId' });
    expect(verifier.verify(vector())).toMatchObject({ ok: false, code: 'SignatureNonceUsed' });
  });

  it('refuses a stale date, a wrong signature, an unsigned x-acs header and a body that does not match', () => {
    const late = createAcs3Verifier({ secretFor, now: () => NOW + 16 * 60_000 });
    expect(late.verify(vector())).toMatchObject({ code: 'InvalidTimeStamp.Expired' });
    const verifier = createAcs3Verifier({ secretFor, now: () => NOW });
    expect(verifier.verify(vector('0'.repeat(64)))).toMatchObject({ code: 'SignatureDoesNotMatch' });
    const extra = vector();
    expect(verifier.verify({ ...extra, headers: { ...extra.headers, 'x-acs-extra': '1' } })).toMatchObject({
      code: 'IncompleteSignature',
    });
    expect(verifier.verify({ ...vector(), body: 'x' })).toMatchObject({ code: 'SignatureDoesNotMatch' });
    expect(createAcs3Verifier({ secretFor: () => undefined, now: () => NOW }).verify(vector())).toMatchObject({
      code: 'InvalidAccessKeyId.NotFound',
    });
  });

  it('accepts what @alicloud/openapi-util getAuthorization produces for a ROA call', () => {
    const body = '{"a":1}';
    const headers: Record<string, string> = {
      host: '127.0.0.1:9000',
      'content-type': 'application/json; charset=utf-8',
      'x-acs-action': 'RefusePipelineValidate',
      'x-acs-version': '2021-06-25',
      'x-acs-date': '2023-10-26T10:22:32Z',
      'x-acs-signature-nonce': 'n-1',
      'x-acs-content-sha256': sha256Hex(body),
    };
    const pathname = '/organization/org1/pipelines/12/pipelineRuns/45/jobs/777/refuse';
    const request = { method: 'POST', pathname, headers, query: { b: 'x y', a: '1' } };
    headers.authorization = OpenApiUtil.getAuthorization(
      request as never,
      'ACS3-HMAC-SHA256',
      headers['x-acs-content-sha256'] as string,
      'AK',
      'SK',
    );
    const verifier = createAcs3Verifier({ secretFor: (id) => (id === 'AK' ? 'SK' : undefined), now: () => NOW });
    expect(verifier.verify({ method: 'POST', target: `${pathname}?b=x%20y&a=1`, headers, body })).toMatchObject({
      ok: true,
    });
  });
});
