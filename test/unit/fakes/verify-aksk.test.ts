import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js';
import { describe, expect, it } from 'vitest';
import { EMPTY_SHA256, sha256Hex } from '../../../src/fakes/cloud/sign-util.js';
import { akskCanonicalRequest, akskSignature, verifyAksk } from '../../../src/fakes/cloud/verify-aksk.js';

// Vectors from docs/reference/huawei-codearts.md (Huawei SDK tests).
const HOST = 'service.endpoint.myhuaweicloud.com';
const DATE = '20200608T023900Z';
const NOW = Date.UTC(2020, 5, 8, 2, 39, 0);
const secretFor = (ak: string) => (ak === 'AccessKey' ? 'SecretKey' : undefined);

function vectorRequest(method: 'GET' | 'POST', body: string, signature: string) {
  return {
    method,
    target: '/resources?size=1',
    headers: {
      host: HOST,
      'x-sdk-date': DATE,
      'x-project-id': 'p1',
      authorization: `SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=${signature}`,
    },
    body,
  };
}

const GET_SIG = 'cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842';
const POST_SIG = '436b1ac0a1ae03705934bb70ef2f2e09f7bfed2117d731a38235053199323a1f';
const POST_BODY = '{"name":"test","id":1}';

describe('verify-aksk: reference vectors', () => {
  it('rebuilds the GET canonical request and signature', () => {
    const req = vectorRequest('GET', '', GET_SIG);
    const canonical = akskCanonicalRequest(req, ['host', 'x-sdk-date'], EMPTY_SHA256);
    expect(canonical).toBe(
      `GET\n/resources/\nsize=1\nhost:${HOST}\nx-sdk-date:${DATE}\n\nhost;x-sdk-date\n${EMPTY_SHA256}`,
    );
    expect(akskSignature('SecretKey', DATE, canonical as string)).toBe(GET_SIG);
    expect(verifyAksk(req, { secretFor, now: NOW })).toEqual({ ok: true, accessKey: 'AccessKey' });
  });

  it('rebuilds the POST signature from the body hash', () => {
    const req = vectorRequest('POST', POST_BODY, POST_SIG);
    const canonical = akskCanonicalRequest(req, ['host', 'x-sdk-date'], sha256Hex(POST_BODY));
    expect(akskSignature('SecretKey', DATE, canonical as string)).toBe(POST_SIG);
    expect(verifyAksk(req, { secretFor, now: NOW }).ok).toBe(true);
  });

  it('refuses a changed body, a skewed date, an unknown key and a missing project', () => {
    const post = vectorRequest('POST', '{"name":"test","id":2}', POST_SIG);
    expect(verifyAksk(post, { secretFor, now: NOW })).toMatchObject({ ok: false, reason: 'signature' });
    const get = vectorRequest('GET', '', GET_SIG);
    expect(verifyAksk(get, { secretFor, now: NOW + 15 * 60_000 }).ok).toBe(true);
    expect(verifyAksk(get, { secretFor, now: NOW + 15 * 60_000 + 1000 })).toMatchObject({ reason: 'date' });
    expect(verifyAksk(get, { secretFor: () => undefined, now: NOW })).toMatchObject({ reason: 'unknown-key' });
    const { 'x-project-id': _, ...headers } = get.headers;
    expect(verifyAksk({ ...get, headers }, { secretFor, now: NOW })).toMatchObject({ reason: 'project-id' });
    expect(verifyAksk({ ...get, headers: { host: HOST } }, { secretFor, now: NOW })).toMatchObject({
      reason: 'missing',
    });
  });

  it('accepts what the official huaweicloud-sdk-core signer produces', () => {
    const body = { reason: 'no' };
    const request = {
      method: 'POST',
      endpoint: 'http://127.0.0.1:8080/v5/p1/api/pipelines/x/pipeline-runs/y/jobs/j/steps/s/refuse',
      headers: { 'Content-Type': 'application/json', 'X-Project-Id': 'iam-project' },
      queryParams: { a: 'x y', b: '1' },
      data: body,
    };
    const signed = AKSKSigner.sign(request as never, new BasicCredentials().withAk('AK1').withSk('SK1')) as Record<
      string,
      string
    >;
    const headers = Object.fromEntries(Object.entries(signed).map(([k, v]) => [k.toLowerCase(), v]));
    const at = Date.parse(
      (headers['x-sdk-date'] as string).replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
    );
    const req = {
      method: 'POST',
      target: `${new URL(request.endpoint).pathname}?b=1&a=x%20y`,
      headers,
      body: JSON.stringify(body),
    };
    expect(verifyAksk(req, { secretFor: (ak) => (ak === 'AK1' ? 'SK1' : undefined), now: at })).toEqual({
      ok: true,
      accessKey: 'AK1',
    });
  });
});
