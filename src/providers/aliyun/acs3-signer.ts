import { createHash, createHmac } from 'node:crypto';

/**
 * Alibaba Cloud signature V3 (`ACS3-HMAC-SHA256`), as documented in "Request syntax and signature method V3"
 * (see docs/reference/aliyun-yunxiao.md, cross-checked against `@alicloud/openapi-util` getAuthorization).
 */
export const ACS3_ALGORITHM = 'ACS3-HMAC-SHA256';

export interface Acs3SignInput {
  method: string;
  /** The final URL (path and query exactly as sent). */
  url: URL;
  /** Headers already on the request (content-type is signed when present). */
  headers: Record<string, string>;
  body: string;
  accessKeyId: string;
  accessKeySecret: string;
  date: Date;
  /** Unique per attempt: the gateway rejects a reused nonce (replay guard). */
  nonce: string;
  action: string;
  version: string;
}

export interface CanonicalInput {
  method: string;
  url: URL;
  /** Any headers; only host, content-type and x-acs-* are used. Names are case-insensitive. */
  headers: Record<string, string | string[] | undefined>;
  /** Hex SHA-256 of the body (the value of x-acs-content-sha256). */
  hashedPayload: string;
}

/** RFC 3986 encoding: encodeURIComponent plus `!'()*` (space becomes %20). */
export function acs3Encode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** `YYYY-MM-DDTHH:mm:ssZ` in UTC (no milliseconds), the form x-acs-date requires. */
export function acs3Date(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Each path segment decoded then re-encoded, so the canonical URI does not depend on how the URL was written. */
function canonicalUri(url: URL): string {
  const path = url.pathname || '/';
  return path
    .split('/')
    .map((segment) => {
      try {
        return acs3Encode(decodeURIComponent(segment));
      } catch {
        return segment;
      }
    })
    .join('/');
}

function canonicalQuery(url: URL): string {
  const pairs = [...url.searchParams.entries()];
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${acs3Encode(k)}=${acs3Encode(v)}`).join('&');
}

/**
 * The canonical request of signature V3 and its signed-header list.
 * @example
 * const { canonical, signedHeaders } = canonicalRequest({ method: 'GET', url, headers, hashedPayload: sha256Hex('') });
 */
export function canonicalRequest(input: CanonicalInput): { canonical: string; signedHeaders: string } {
  const signed = new Map<string, string[]>();
  for (const [name, raw] of Object.entries(input.headers)) {
    const key = name.toLowerCase();
    if (raw === undefined || !(key === 'host' || key === 'content-type' || key.startsWith('x-acs-'))) continue;
    const values = (Array.isArray(raw) ? raw : [raw]).map((v) => v.trim());
    signed.set(key, [...(signed.get(key) ?? []), ...values]);
  }
  const names = [...signed.keys()].sort();
  const headerLines = names.map((n) => `${n}:${(signed.get(n) ?? []).sort().join(',')}\n`).join('');
  const signedHeaders = names.join(';');
  const canonical = [
    input.method.toUpperCase(),
    canonicalUri(input.url),
    canonicalQuery(input.url),
    headerLines,
    signedHeaders,
    input.hashedPayload,
  ].join('\n');
  return { canonical, signedHeaders };
}

/** Hex HMAC-SHA256 over `ACS3-HMAC-SHA256\n{hex(sha256(canonical))}`. */
export function acs3Signature(canonical: string, accessKeySecret: string): string {
  const stringToSign = `${ACS3_ALGORITHM}\n${sha256Hex(canonical)}`;
  return createHmac('sha256', accessKeySecret).update(stringToSign).digest('hex');
}

/**
 * Computes the headers to add to one attempt of a request (call it again for every retry: fresh date and nonce).
 * @example
 * const added = signAcs3({ method: 'GET', url, headers: {}, body: '', accessKeyId, accessKeySecret,
 *   date: new Date(now()), nonce: randomUUID(), action: 'GetPipelineRun', version: '2021-06-25' });
 */
export function signAcs3(input: Acs3SignInput): Record<string, string> {
  const added: Record<string, string> = {
    host: input.url.host,
    'x-acs-action': input.action,
    'x-acs-version': input.version,
    'x-acs-date': acs3Date(input.date),
    'x-acs-signature-nonce': input.nonce,
    'x-acs-content-sha256': sha256Hex(input.body),
  };
  // Our values replace any caller copy of these names, whatever its case.
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.headers)) if (!(k.toLowerCase() in added)) base[k] = v;
  const hashedPayload = added['x-acs-content-sha256'] as string;
  const { canonical, signedHeaders } = canonicalRequest({
    method: input.method,
    url: input.url,
    headers: { ...base, ...added },
    hashedPayload,
  });
  const signature = acs3Signature(canonical, input.accessKeySecret);
  added.Authorization = `${ACS3_ALGORITHM} Credential=${input.accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`;
  return added;
}
