import type { FakeCloud } from '../../../src/fakes/cloud/fake-cloud.js';
import { sha256Hex } from '../../../src/fakes/cloud/sign-util.js';
import { acs3CanonicalRequest, acs3Signature } from '../../../src/fakes/cloud/verify-acs3.js';
import { akskCanonicalRequest, akskSignature } from '../../../src/fakes/cloud/verify-aksk.js';

/** Test-side HTTP helpers for the fake cloud: plain fetch plus hand-made signatures (canonical forms from the verifiers). */
export interface Answer {
  status: number;
  headers: Headers;
  json: unknown;
}

export async function send(
  cloud: FakeCloud,
  method: string,
  target: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Answer> {
  const res = await fetch(cloud.url + target, { method, headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text.length > 0 ? JSON.parse(text) : undefined };
}

export async function iamToken(cloud: FakeCloud, password = cloud.huawei.credentials.iamPassword): Promise<Answer> {
  const { iamUser, iamDomain } = cloud.huawei.credentials;
  const body = {
    auth: {
      identity: {
        methods: ['password'],
        password: { user: { name: iamUser, password, domain: { name: iamDomain } } },
      },
      scope: { project: { name: 'cn-north-4' } },
    },
  };
  return send(
    cloud,
    'POST',
    '/v3/auth/tokens',
    { 'content-type': 'application/json;charset=utf8' },
    JSON.stringify(body),
  );
}

/** SDK-HMAC-SHA256 headers for a request to the fake (host is what fetch will send). */
export function huaweiSigned(
  cloud: FakeCloud,
  method: string,
  target: string,
  body: string,
  at: number,
): Record<string, string> {
  const headers: Record<string, string> = {
    host: new URL(cloud.url).host,
    'x-project-id': cloud.huawei.iamProjectId,
    'x-sdk-date': new Date(at)
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, ''),
  };
  const names = Object.keys(headers).sort();
  const canonical = akskCanonicalRequest({ method, target, headers, body }, names, sha256Hex(body)) as string;
  const { ak, sk } = cloud.huawei.credentials;
  const signature = akskSignature(sk, headers['x-sdk-date'] as string, canonical);
  const { host: _host, ...rest } = headers;
  return {
    ...rest,
    authorization: `SDK-HMAC-SHA256 Access=${ak}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
}

/** ACS3-HMAC-SHA256 headers for a devops 2021-06-25 call to the fake. */
export function acs3Signed(
  cloud: FakeCloud,
  req: { method: string; target: string; body: string; action: string; nonce: string; at: number },
): Record<string, string> {
  const headers: Record<string, string> = {
    host: new URL(cloud.url).host,
    'x-acs-action': req.action,
    'x-acs-version': '2021-06-25',
    'x-acs-date': new Date(req.at).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'x-acs-signature-nonce': req.nonce,
    'x-acs-content-sha256': sha256Hex(req.body),
  };
  if (req.body.length > 0) headers['content-type'] = 'application/json; charset=utf-8';
  const names = Object.keys(headers).sort();
  const canonical = acs3CanonicalRequest(
    { method: req.method, target: req.target, headers, body: req.body },
    names,
    headers['x-acs-content-sha256'] as string,
  ) as string;
  const { accessKeyId, accessKeySecret } = cloud.yunxiao.credentials;
  const signature = acs3Signature(accessKeySecret, canonical);
  const { host: _host, ...rest } = headers;
  return {
    ...rest,
    authorization: `ACS3-HMAC-SHA256 Credential=${accessKeyId},SignedHeaders=${names.join(';')},Signature=${signature}`,
  };
}
