import { Agent, type Dispatcher, errors as undiciErrors } from 'undici';
import { OpsError } from '../core/errors.js';
import { type Clock, type Logger, silentLogger } from '../core/ports.js';

/**
 * The one HTTP client every provider uses: a keep-alive pool per origin (undici Agent), connect/header/body
 * timeouts, retries with exponential backoff and full jitter that honour Retry-After, and errors that never carry
 * a header value (tokens and signatures live in headers).
 *
 * Retry rules (why): 429 and 503 mean the request was refused before any effect, so they are always retried;
 * 502/504 and resets/timeouts after the request was written may have had an effect, so they are retried only for
 * idempotent requests and otherwise surface as PROVIDER.AMBIGUOUS for the caller to resolve by reading state.
 * Connection errors before anything was sent (refused, DNS, connect timeout) are always retried.
 */
export interface HttpRequest {
  /** e.g. https://cloudpipeline-ext.cn-north-4.myhuaweicloud.com */
  origin: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Already-encoded path, e.g. /v5/abc/api/pipelines/def/… (IDs validated before they get here). */
  path: string;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  body?: string;
  /** Safe to repeat when the outcome is unknown (GET, reads). */
  idempotent: boolean;
  /**
   * Called before each attempt with the final request (origin, path, query string, headers, body); returns headers
   * to add (signatures, dates, nonces: fresh per attempt).
   */
  sign?: (req: SignableRequest) => Promise<Record<string, string>> | Record<string, string>;
  /** Label for logs and errors, e.g. "huawei.pipeline.refuse". */
  label: string;
}

export interface SignableRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** Parsed JSON, or undefined when the body is not JSON. */
  json: unknown;
}

export interface HttpClientOptions {
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  /** Longest gap between two body chunks (undici's bodyTimeout). */
  bodyTimeoutMs?: number;
  /**
   * Deadline of one attempt from sending to the last body byte (default: headersTimeoutMs). undici's own timeouts
   * bound only the wait for headers and the gap between chunks: a peer that trickles one byte every few seconds
   * would otherwise hold a request for as long as it likes.
   */
  totalTimeoutMs?: number;
  /** Attempts after the first. */
  retries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Upper bound on a Retry-After we are willing to wait. */
  maxRetryAfterMs?: number;
  /** Maximum response body size in bytes. */
  maxBodyBytes?: number;
  connectionsPerOrigin?: number;
  dispatcher?: Dispatcher;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  now?: Clock;
  logger?: Logger;
}

export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
}

const RETRY_ALWAYS = new Set([429, 503]);
const RETRY_IF_IDEMPOTENT = new Set([502, 504]);
/** undici codes for failures before the request was written: safe to retry any method. */
const BEFORE_SEND = new Set(['UND_ERR_CONNECT_TIMEOUT', 'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const {
    connectTimeoutMs = 5_000,
    headersTimeoutMs = 15_000,
    bodyTimeoutMs = 15_000,
    totalTimeoutMs = headersTimeoutMs,
    retries = 3,
    baseDelayMs = 200,
    maxDelayMs = 5_000,
    maxRetryAfterMs = 30_000,
    maxBodyBytes = 4 * 1024 * 1024,
    connectionsPerOrigin = 32,
    random = Math.random,
    sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
    now = Date.now,
    logger = silentLogger,
  } = options;
  const ownDispatcher = options.dispatcher === undefined;
  // Agent keeps one keep-alive Pool per origin.
  const dispatcher =
    options.dispatcher ??
    new Agent({
      connect: { timeout: connectTimeoutMs },
      headersTimeout: headersTimeoutMs,
      bodyTimeout: bodyTimeoutMs,
      connections: connectionsPerOrigin,
      keepAliveTimeout: 30_000,
    });

  function backoff(attempt: number, retryAfter: string | undefined): number {
    const hinted = parseRetryAfter(retryAfter, now());
    if (hinted !== undefined) return Math.min(hinted, maxRetryAfterMs);
    const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
    return Math.floor(random() * cap);
  }

  async function once(req: HttpRequest): Promise<HttpResponse> {
    const url = new URL(req.path, req.origin);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.append(k, String(v));
    const body = req.body ?? '';
    const headers: Record<string, string> = { ...(req.headers ?? {}) };
    if (req.sign) Object.assign(headers, await req.sign({ method: req.method, url, headers: { ...headers }, body }));
    // One deadline over headers and body: aborting destroys the socket, whichever part is still arriving.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new TotalTimeoutError()), totalTimeoutMs);
    try {
      return await receive(req, url, headers, body, deadline.signal);
    } catch (err) {
      throw deadline.signal.aborted ? new TotalTimeoutError() : err;
    } finally {
      clearTimeout(timer);
    }
  }

  async function receive(
    req: HttpRequest,
    url: URL,
    headers: Record<string, string>,
    body: string,
    signal: AbortSignal,
  ): Promise<HttpResponse> {
    const res = await dispatcher.request({
      signal,
      origin: url.origin,
      path: url.pathname + url.search,
      method: req.method,
      headers,
      body: req.body === undefined ? null : body,
      headersTimeout: headersTimeoutMs,
      bodyTimeout: bodyTimeoutMs,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > maxBodyBytes) {
        res.body.destroy();
        throw new OpsError('PROVIDER.BAD_RESPONSE', `${req.label}: response larger than ${maxBodyBytes} bytes`, {
          label: req.label,
        });
      }
      chunks.push(chunk as Buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) {
      if (v !== undefined) flat[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    }
    let json: unknown;
    if (text.length > 0) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    return { status: res.statusCode, headers: flat, text, json };
  }

  async function request(req: HttpRequest): Promise<HttpResponse> {
    for (let attempt = 0; ; attempt++) {
      const started = now();
      try {
        const res = await once(req);
        const retryable = RETRY_ALWAYS.has(res.status) || (req.idempotent && RETRY_IF_IDEMPOTENT.has(res.status));
        logger.debug({ label: req.label, status: res.status, attempt, ms: now() - started }, 'http response');
        if (retryable && attempt < retries) {
          const delay = backoff(attempt, res.headers['retry-after']);
          logger.warn({ label: req.label, status: res.status, attempt, delayMs: delay }, 'retrying');
          await sleep(delay);
          continue;
        }
        if (!req.idempotent && RETRY_IF_IDEMPOTENT.has(res.status)) {
          throw new OpsError('PROVIDER.AMBIGUOUS', `${req.label}: gateway answered ${res.status}`, {
            label: req.label,
            status: res.status,
          });
        }
        return res;
      } catch (err) {
        if (err instanceof OpsError) throw err;
        const code = errorCode(err);
        const beforeSend = code !== undefined && BEFORE_SEND.has(code);
        if ((beforeSend || req.idempotent) && attempt < retries) {
          const delay = backoff(attempt, undefined);
          logger.warn({ label: req.label, error: code, attempt, delayMs: delay }, 'retrying after network error');
          await sleep(delay);
          continue;
        }
        throw networkError(req, code, beforeSend, err);
      }
    }
  }

  return {
    request,
    async close() {
      if (ownDispatcher) await dispatcher.close();
    },
  };
}

const TOTAL_TIMEOUT = 'OPSGATE_TOTAL_TIMEOUT';

/** The whole-response deadline passed (a code of our own, read like undici's timeout codes). */
class TotalTimeoutError extends Error {
  readonly code = TOTAL_TIMEOUT;
  constructor() {
    super('response not complete within the deadline');
  }
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; cause?: { code?: unknown } };
  if (typeof e.code === 'string') return e.code;
  if (e.cause && typeof e.cause.code === 'string') return e.cause.code;
  return undefined;
}

function networkError(req: HttpRequest, code: string | undefined, beforeSend: boolean, cause: unknown): OpsError {
  const meta = { label: req.label, network: code ?? 'unknown' };
  // The cause is kept for debugging but its message is never copied: undici messages can echo URLs.
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    // A name that does not resolve is a setting to check, not an outage to wait out: say which host.
    const host = hostOf(req.origin);
    return new OpsError('PROVIDER.UNAVAILABLE', `${req.label}: cannot resolve ${host}`, { ...meta, host }, { cause });
  }
  if (beforeSend) return new OpsError('PROVIDER.UNAVAILABLE', `${req.label}: cannot connect`, meta, { cause });
  if (!req.idempotent) {
    return new OpsError('PROVIDER.AMBIGUOUS', `${req.label}: no answer after sending (${meta.network})`, meta, {
      cause,
    });
  }
  const timeout =
    cause instanceof undiciErrors.HeadersTimeoutError ||
    cause instanceof undiciErrors.BodyTimeoutError ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === TOTAL_TIMEOUT;
  return new OpsError(timeout ? 'PROVIDER.TIMEOUT' : 'PROVIDER.UNAVAILABLE', `${req.label}: ${meta.network}`, meta, {
    cause,
  });
}

function hostOf(origin: string): string {
  try {
    return new URL(origin).host;
  } catch {
    return 'the endpoint';
  }
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** Percent-encodes one path segment (IDs are validated already; this is defence in depth). */
export function seg(value: string): string {
  return encodeURIComponent(value);
}
