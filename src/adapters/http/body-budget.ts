import type { IncomingMessage, ServerResponse } from 'node:http';
import { OpsError } from '../../core/errors.js';

/**
 * Bytes that requests not yet authenticated (signature not checked: Slack events, pipeline webhooks) may hold in
 * memory together. A per-request cap alone still lets many slow connections each pin a body just under the cap;
 * the shared budget bounds their sum, and a request that does not fit is answered 503 at once.
 * @example
 * const budget = createBodyBudget(32 * 1024 * 1024);
 * const body = await readBody(req, res, { limit: 64 * 1024, budget });
 */
export interface BodyBudget {
  readonly total: number;
  readonly used: number;
  tryReserve(bytes: number): boolean;
  release(bytes: number): void;
}

export const DEFAULT_BODY_BUDGET_BYTES = 32 * 1024 * 1024;

export function createBodyBudget(total: number = DEFAULT_BODY_BUDGET_BYTES): BodyBudget {
  let used = 0;
  return {
    total,
    get used() {
      return used;
    },
    tryReserve(bytes) {
      if (used + bytes > total) return false;
      used += bytes;
      return true;
    },
    release(bytes) {
      used = Math.max(0, used - bytes);
    },
  };
}

/**
 * Reads a raw body (signatures cover the exact bytes) within `limit` bytes and the shared budget. The declared
 * Content-Length is reserved before a byte is read; a chunked body reserves each chunk as it comes. What was reserved
 * is given back when the response is closed. Throws INPUT.TOO_LARGE (413) or SERVER.BUSY (503); the caller answers at
 * once with `Connection: close`, without reading the rest.
 */
export function readBody(
  req: IncomingMessage,
  res: ServerResponse,
  options: { limit: number; budget: BodyBudget },
): Promise<Buffer> {
  const { limit, budget } = options;
  return new Promise((resolve, reject) => {
    const tooLarge = () => new OpsError('INPUT.TOO_LARGE', `body larger than ${limit} bytes`, { limit });
    const busy = () =>
      new OpsError('SERVER.BUSY', 'too many request bodies in flight; retry shortly', { budget: budget.total });
    let reserved = 0;
    res.once('close', () => budget.release(reserved));
    const declared = Number(req.headers['content-length']);
    const hasLength = Number.isInteger(declared) && declared >= 0;
    if (hasLength && declared > limit) return reject(tooLarge());
    if (hasLength) {
      if (!budget.tryReserve(declared)) return reject(busy());
      reserved = declared;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (error: OpsError) => {
      // Stop reading but keep the socket: the answer goes out with `Connection: close`.
      req.off('data', onData);
      req.pause();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return stop(tooLarge());
      if (!hasLength) {
        if (!budget.tryReserve(chunk.length)) return stop(busy());
        reserved += chunk.length;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}
