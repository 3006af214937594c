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
 * Independent verifier for Alibaba Cloud signature V3 (`ACS3-HMAC-SHA256`), written from the algorithm in
 * docs/reference/aliyun-yunxiao.md: headers named by the Authorization header, x-acs-content-sha256 equal to
 * the body hash, x-acs-date within 15 minutes, and each x-acs-signature-nonce accepted once (the replay guard).
 *
 * @example
 * const verifier = createAcs3Verifier({ secretFor: (id) => secrets.get(id), now: Date.now });
 * const v = verifier.verify(request);
 * if (!v.ok) reply(400, { Code: v.code, Message: v.message });
 */
export const ACS3_ALGORITHM = 'ACS3-HMAC-SHA256';
const MAX_SKEW_MS = 15 * 60_000;

export type Acs3ErrorCode =
  | 'IncompleteSignature'
  | 'InvalidTimeStamp.Expired'
  | 'InvalidAccessKeyId.NotFound'
  | 'SignatureDoesNotMatch'
  | 'SignatureNonceUsed';
export type Acs3Result =
  { ok: true; accessKeyId: string; nonce: string } | { ok: false; code: Acs3ErrorCode; message: string };

export interface Acs3Authorization {
  accessKeyId: string;
  signedHeaders: string[];
  signature: string;
}

/** encodeURIComponent plus `!'()*` escaped (space → %20), as the reference specifies. */
export const acsEncode = rfc3986Encode;

/** Parses `ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=a;b,Signature=hex`. */
export function parseAcs3Authorization(header: string | undefined): Acs3Authorization | undefined {
  const fields = parseAuthorizationFields(header, ACS3_ALGORITHM);
  if (!fields) return undefined;
  const accessKeyId = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!accessKeyId || !signedHeaders || !signature) return undefined;
  return { accessKeyId, signedHeaders: signedHeaders.split(';'), signature };
}

/** `2023-10-26T10:22:32Z` → epoch ms, or undefined. */
export function parseAcsDate(value: string | undefined): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(value ?? '')) return undefined;
  const at = Date.parse(value as string);
  return Number.isNaN(at) ? undefined : at;
}

/** The canonical request (reference steps 1–3); undefined when the target cannot be decoded. */
export function acs3CanonicalRequest(
  req: ReceivedRequest,
  signedHeaders: readonly string[],
  hashedPayload: string,
): string | undefined {
  const parts = splitTarget(req.target);
  if (!parts) return undefined;
  const uri = parts.path === '' ? '/' : encodePath(parts.path, acsEncode);
  if (uri === undefined) return undefined;
  const query = parts.pairs
    .map(([k, v]) => [acsEncode(k), acsEncode(v)] as const)
    .sort(([ka, va], [kb, vb]) => (ka === kb ? cmp(va, vb) : cmp(ka, kb)))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const headers = signedHeaders.map((name) => `${name}:${(headerValue(req, name) ?? '').trim()}\n`).join('');
  return [req.method.toUpperCase(), uri, query, headers, signedHeaders.join(';'), hashedPayload].join('\n');
}

/** `hex(HMAC-SHA256(secret, "ACS3-HMAC-SHA256\n{hex(sha256(canonical))}"))` (reference steps 4–5). */
export function acs3Signature(secret: string, canonicalRequest: string): string {
  return hmacHex(secret, `${ACS3_ALGORITHM}\n${sha256Hex(canonicalRequest)}`);
}

export interface Acs3VerifierOptions {
  secretFor: (accessKeyId: string) => string | undefined;
  now: () => number;
  maxSkewMs?: number;
}

export interface Acs3Verifier {
  verify(req: ReceivedRequest): Acs3Result;
}

export function createAcs3Verifier(options: Acs3VerifierOptions): Acs3Verifier {
  const maxSkew = options.maxSkewMs ?? MAX_SKEW_MS;
  const nonces = new Map<string, number>();

  function forget(now: number): void {
    if (nonces.size < 1_000) return;
    // A nonce older than twice the date window can never come back with an acceptable x-acs-date.
    for (const [nonce, at] of nonces) if (now - at > 2 * maxSkew) nonces.delete(nonce);
  }

  function verify(req: ReceivedRequest): Acs3Result {
    const fail = (code: Acs3ErrorCode, message: string): Acs3Result => ({ ok: false, code, message });
    const auth = parseAcs3Authorization(headerValue(req, 'authorization'));
    if (!auth) return fail('IncompleteSignature', 'Authorization is missing or not ACS3-HMAC-SHA256');
    const names = auth.signedHeaders;
    if (names.some((n) => n !== n.toLowerCase()) || names.join(';') !== [...names].sort().join(';')) {
      return fail('IncompleteSignature', 'SignedHeaders must be lower-case and sorted');
    }
    const present = Object.keys(req.headers).map((k) => k.toLowerCase());
    const mustSign = ['host', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256'];
    mustSign.push(...present.filter((h) => h.startsWith('x-acs-') || h === 'content-type'));
    const unsigned = mustSign.find((h) => !names.includes(h));
    if (unsigned !== undefined) return fail('IncompleteSignature', `header ${unsigned} must be signed`);
    const absent = names.find((n) => headerValue(req, n) === undefined);
    if (absent !== undefined) return fail('IncompleteSignature', `signed header ${absent} is absent`);
    const now = options.now();
    const at = parseAcsDate(headerValue(req, 'x-acs-date'));
    if (at === undefined || Math.abs(now - at) > maxSkew) {
      return fail('InvalidTimeStamp.Expired', 'x-acs-date is missing, malformed or outside 15 minutes');
    }
    const secret = options.secretFor(auth.accessKeyId);
    if (secret === undefined) return fail('InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    const declared = headerValue(req, 'x-acs-content-sha256') ?? '';
    if (!sameHex(declared.toLowerCase(), sha256Hex(req.body))) {
      return fail('SignatureDoesNotMatch', 'x-acs-content-sha256 does not match the request body');
    }
    const canonical = acs3CanonicalRequest(req, names, declared);
    if (canonical === undefined) return fail('SignatureDoesNotMatch', 'request target is not decodable');
    if (!sameHex(acs3Signature(secret, canonical), auth.signature.toLowerCase())) {
      return fail('SignatureDoesNotMatch', 'The request signature does not conform to Aliyun standards.');
    }
    const nonce = headerValue(req, 'x-acs-signature-nonce') ?? '';
    if (nonces.has(nonce)) return fail('SignatureNonceUsed', 'The request signature nonce has been used.');
    forget(now);
    nonces.set(nonce, now);
    return { ok: true, accessKeyId: auth.accessKeyId, nonce };
  }

  return { verify };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
