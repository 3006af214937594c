import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** A request as the fake server received it: raw target (path + query, as sent), headers, exact body bytes. */
export interface ReceivedRequest {
  method: string;
  /** e.g. `/v5/abc/api/pipelines/def/pipeline-runs/detail?pipeline_run_id=…` */
  target: string;
  headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>;
  body: string | Buffer;
}

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function hmacHex(key: string, data: string): string {
  return createHmac('sha256', key).update(data, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex strings. */
export function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** One header's value (several values joined with ","), or undefined. */
export function headerValue(req: ReceivedRequest, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(req.headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return Array.isArray(value) ? value.join(',') : value;
  }
  return undefined;
}

/** Decodes a percent-encoded component; undefined when it is malformed. */
export function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** Splits a raw target into path and the decoded query pairs (order kept, `+` is a literal plus). */
export function splitTarget(target: string): { path: string; pairs: Array<[string, string]> } | undefined {
  const at = target.indexOf('?');
  const path = at < 0 ? target : target.slice(0, at);
  const query = at < 0 ? '' : target.slice(at + 1);
  const pairs: Array<[string, string]> = [];
  for (const part of query.split('&')) {
    if (part.length === 0) continue;
    const eq = part.indexOf('=');
    const key = safeDecode(eq < 0 ? part : part.slice(0, eq));
    const value = safeDecode(eq < 0 ? '' : part.slice(eq + 1));
    if (key === undefined || value === undefined) return undefined;
    pairs.push([key, value]);
  }
  return { path, pairs };
}

/** Re-encodes each path segment after decoding it, with the given component encoder. */
export function encodePath(path: string, encode: (s: string) => string): string | undefined {
  const out: string[] = [];
  for (const segment of path.split('/')) {
    const decoded = safeDecode(segment);
    if (decoded === undefined) return undefined;
    out.push(encode(decoded));
  }
  return out.join('/');
}

/** encodeURIComponent plus `!'()*` escaped, upper-case hex: RFC 3986, as both signing schemes specify. */
export function rfc3986Encode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Parses `<ALGORITHM> Key=value, Key=value, …` (commas, optional spaces) into its fields, or undefined when the header
 * is missing or names another algorithm.
 */
export function parseAuthorizationFields(
  header: string | undefined,
  algorithm: string,
): Map<string, string> | undefined {
  if (header === undefined || !header.startsWith(`${algorithm} `)) return undefined;
  const fields = new Map<string, string>();
  for (const part of header.slice(algorithm.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return fields;
}
