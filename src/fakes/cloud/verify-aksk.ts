import {
  encodePath,
  headerValue,
  hmacHex,
  type ReceivedRequest,
  sameHex,
  sha256Hex,
  splitTarget,
  parseAuthorizationFields,
  rfc3986Encode,
} from './sign-util.js';

/**
 * Independent verifier for Huawei Cloud `SDK-HMAC-SHA256` (AK/SK) signatures, written from the algorithm in
 * docs/reference/huawei-codearts.md (not from the product's signer): canonical URI with a trailing "/",
 * sorted encoded query, headers named by the Authorization header, exact body hash, X-Sdk-Date within 15 minutes.
 *
 * @example
 * const v = verifyAksk(request, { secretFor: (ak) => (ak === 'AK' ? 'SK' : undefined), now: Date.now() });
 * if (!v.ok) console.log(v.reason);
 */
export const AKSK_ALGORITHM = 'SDK-HMAC-SHA256';
const MAX_SKEW_MS = 15 * 60_000;

export type AkskFailure = 'missing' | 'malformed' | 'date' | 'unknown-key' | 'signature' | 'project-id';
export type AkskResult = { ok: true; accessKey: string } | { ok: false; reason: AkskFailure; message: string };

export interface AkskAuthorization {
  accessKey: string;
  signedHeaders: string[];
  signature: string;
}

/** RFC 3986 unreserved characters stay, everything else is %XX with upper-case hex. */
export const huaweiEncode = rfc3986Encode;

/** Parses `SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex`. */
export function parseAkskAuthorization(header: string | undefined): AkskAuthorization | undefined {
  const fields = parseAuthorizationFields(header, AKSK_ALGORITHM);
  if (!fields) return undefined;
  const accessKey = fields.get('Access');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!accessKey || !signedHeaders || !signature) return undefined;
  return { accessKey, signedHeaders: signedHeaders.split(';'), signature };
}

/** `20200608T023900Z` → epoch ms, or undefined. */
export function parseSdkDate(value: string | undefined): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

/** The canonical request (reference steps 2–6); undefined when the target cannot be decoded. */
export function akskCanonicalRequest(
  req: ReceivedRequest,
  signedHeaders: readonly string[],
  payloadHash: string,
): string | undefined {
  const parts = splitTarget(req.target);
  if (!parts) return undefined;
  let uri = encodePath(parts.path, huaweiEncode);
  if (uri === undefined) return undefined;
  if (!uri.endsWith('/')) uri += '/';
  const query = parts.pairs
    .map(([k, v]) => [huaweiEncode(k), huaweiEncode(v)] as const)
    .sort(([ka, va], [kb, vb]) => (ka === kb ? cmp(va, vb) : cmp(ka, kb)))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const headers = signedHeaders.map((name) => `${name}:${(headerValue(req, name) ?? '').trim()}\n`).join('');
  return [req.method.toUpperCase(), uri, query, headers, signedHeaders.join(';'), payloadHash].join('\n');
}

/** `hex(HMAC-SHA256(SK, "SDK-HMAC-SHA256\n{date}\n{hex(sha256(canonical))}"))` (reference step 7). */
export function akskSignature(secretKey: string, sdkDate: string, canonicalRequest: string): string {
  return hmacHex(secretKey, `${AKSK_ALGORITHM}\n${sdkDate}\n${sha256Hex(canonicalRequest)}`);
}

export interface VerifyAkskOptions {
  secretFor: (accessKey: string) => string | undefined;
  now: number;
  maxSkewMs?: number;
  /** Pipeline/Check/Build with AK/SK need the IAM project in X-Project-Id (default true). */
  requireProjectId?: boolean;
}

export function verifyAksk(req: ReceivedRequest, options: VerifyAkskOptions): AkskResult {
  const fail = (reason: AkskFailure, message: string): AkskResult => ({ ok: false, reason, message });
  const raw = headerValue(req, 'authorization');
  if (raw === undefined) return fail('missing', 'no Authorization header');
  const auth = parseAkskAuthorization(raw);
  if (!auth) return fail('malformed', 'Authorization is not SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…');
  const names = auth.signedHeaders;
  if (names.some((n) => n !== n.toLowerCase()) || names.join(';') !== [...names].sort().join(';')) {
    return fail('malformed', 'SignedHeaders must be lower-case and sorted');
  }
  for (const required of ['host', 'x-sdk-date']) {
    if (!names.includes(required)) return fail('malformed', `${required} is not a signed header`);
  }
  const missing = names.find((n) => headerValue(req, n) === undefined);
  if (missing !== undefined) return fail('malformed', `signed header ${missing} is absent`);
  const sdkDate = headerValue(req, 'x-sdk-date') ?? '';
  const at = parseSdkDate(sdkDate);
  if (at === undefined) return fail('date', 'X-Sdk-Date is not YYYYMMDDTHHMMSSZ');
  if (Math.abs(options.now - at) > (options.maxSkewMs ?? MAX_SKEW_MS)) return fail('date', 'X-Sdk-Date skew too large');
  const secret = options.secretFor(auth.accessKey);
  if (secret === undefined) return fail('unknown-key', 'access key not found');
  // SDKs may send X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD instead of hashing the body (huaweicloud-sdk-core buildPayloadHash).
  const declared = headerValue(req, 'x-sdk-content-sha256');
  const payloadHash = declared === 'UNSIGNED-PAYLOAD' ? declared : sha256Hex(req.body);
  if (declared !== undefined && declared !== 'UNSIGNED-PAYLOAD' && declared !== payloadHash) {
    return fail('signature', 'X-Sdk-Content-Sha256 does not match the body');
  }
  const canonical = akskCanonicalRequest(req, names, payloadHash);
  if (canonical === undefined) return fail('malformed', 'request target is not decodable');
  if (!sameHex(akskSignature(secret, sdkDate, canonical), auth.signature.toLowerCase())) {
    return fail('signature', 'verify aksk signature fail');
  }
  if ((options.requireProjectId ?? true) && !headerValue(req, 'x-project-id')) {
    return fail('project-id', 'X-Project-Id is required with AK/SK');
  }
  return { ok: true, accessKey: auth.accessKey };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
