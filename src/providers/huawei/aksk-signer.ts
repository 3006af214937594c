import { createHash, createHmac } from 'node:crypto';

/**
 * Huawei Cloud API Gateway `SDK-HMAC-SHA256` request signing (AK/SK), as done by Huawei's SDKs
 * (huaweicloud-sdk-core `AKSKSigner`; steps in docs/reference/huawei-codearts.md).
 */
export const SDK_SIGNING_ALGORITHM = 'SDK-HMAC-SHA256';

export interface AkSkInput {
  method: string;
  url: URL;
  /** Headers the request will carry (all of them are signed); `host` is taken from the URL when absent. */
  headers: Record<string, string>;
  /** Exact body text that is sent ('' for none). */
  body: string;
  ak: string;
  sk: string;
  date: Date;
}

export interface CanonicalInput {
  method: string;
  url: URL;
  /** Final header set, including `host` and `X-Sdk-Date`. */
  headers: Record<string, string>;
  body: string;
}

/**
 * `YYYYMMDDTHHMMSSZ` in UTC, the X-Sdk-Date format.
 * @example
 * formatSdkDate(new Date(Date.UTC(2020, 5, 8, 2, 39))); // '20200608T023900Z'
 */
export function formatSdkDate(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/**
 * Signs one request; returns the headers to add.
 * @example
 * const add = signAkSk({ method: 'GET', url: new URL('https://iam.cn-north-4.myhuaweicloud.com/v3/projects'),
 *   headers: { 'X-Project-Id': pid }, body: '', ak, sk, date: new Date(now()) });
 * // add = { 'X-Sdk-Date': '20200608T023900Z', Authorization: 'SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…' }
 */
export function signAkSk(input: AkSkInput): { 'X-Sdk-Date': string; Authorization: string } {
  const sdkDate = formatSdkDate(input.date);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.headers)) {
    if (k.toLowerCase() !== 'x-sdk-date' && k.toLowerCase() !== 'authorization') headers[k] = v;
  }
  if (!Object.keys(headers).some((k) => k.toLowerCase() === 'host')) headers.host = input.url.host;
  headers['X-Sdk-Date'] = sdkDate;
  const { canonical, signedHeaders } = buildCanonical({
    method: input.method,
    url: input.url,
    headers,
    body: input.body,
  });
  const stringToSign = `${SDK_SIGNING_ALGORITHM}\n${sdkDate}\n${sha256Hex(canonical)}`;
  const signature = createHmac('sha256', input.sk).update(stringToSign, 'utf8').digest('hex');
  return {
    'X-Sdk-Date': sdkDate,
    Authorization: `${SDK_SIGNING_ALGORITHM} Access=${input.ak}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

/**
 * The canonical request string (exported for tests against Huawei's vectors).
 * @example
 * canonicalRequest({ method: 'GET', url: new URL('https://h/resources?size=1'), headers: { host: 'h', 'X-Sdk-Date': d }, body: '' });
 */
export function canonicalRequest(input: CanonicalInput): string {
  return buildCanonical(input).canonical;
}

function buildCanonical(input: CanonicalInput): { canonical: string; signedHeaders: string } {
  const byName = new Map<string, string>();
  for (const [k, v] of Object.entries(input.headers)) byName.set(k.toLowerCase(), v.trim());
  const names = [...byName.keys()].sort(compareCodeUnits);
  const canonicalHeaders = names.map((n) => `${n}:${byName.get(n)}\n`).join('');
  const signedHeaders = names.join(';');
  const canonical = [
    input.method.toUpperCase(),
    canonicalUri(input.url.pathname),
    canonicalQuery(input.url.searchParams),
    canonicalHeaders,
    signedHeaders,
    sha256Hex(input.body),
  ].join('\n');
  return { canonical, signedHeaders };
}

/** Each segment decoded then re-encoded (RFC 3986 unreserved kept), with a trailing '/' as the gateway expects. */
function canonicalUri(pathname: string): string {
  const path = pathname
    .split('/')
    .map((s) => encodeRfc3986(safeDecode(s)))
    .join('/');
  return path.endsWith('/') ? path : `${path}/`;
}

/** Keys sorted by their raw (decoded) value, repeated keys' values sorted, as huaweicloud-sdk-core does. */
function canonicalQuery(params: URLSearchParams): string {
  const grouped = new Map<string, string[]>();
  for (const [k, v] of params) {
    const list = grouped.get(k);
    if (list) list.push(v);
    else grouped.set(k, [v]);
  }
  const parts: string[] = [];
  for (const key of [...grouped.keys()].sort(compareCodeUnits)) {
    const values = (grouped.get(key) ?? []).sort(compareCodeUnits);
    for (const v of values) parts.push(`${encodeRfc3986(key)}=${encodeRfc3986(v)}`);
  }
  return parts.join('&');
}

/**
 * Percent-encodes everything except `A-Za-z0-9-_.~`, uppercase hex over UTF-8 bytes.
 * @example
 * encodeRfc3986("a b*'"); // 'a%20b%2A%27'
 */
export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
