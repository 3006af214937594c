import { Pool } from 'undici';

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

export interface Poster {
  /** POSTs to the path and resolves with the status once the whole answer has arrived. */
  post(request: SignedRequest): Promise<number>;
  /**
   * Opens `count` connections (that many GETs of `path` at once, any status), so a burst that follows is not timed
   * with TCP set-up in it.
   */
  warm(count: number, path?: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A keep-alive HTTP client for load generation (undici Pool, up to `connections` sockets to one origin).
 * @example
 * const poster = createPoster('http://127.0.0.1:3000', '/slack/events');
 * const status = await poster.post({ body, headers });
 */
export function createPoster(origin: string, path: string, connections = 256): Poster {
  const pool = new Pool(origin, { connections, pipelining: 1 });
  return {
    async post({ body, headers }) {
      const res = await pool.request({ path, method: 'POST', headers, body });
      await res.body.dump();
      return res.statusCode;
    },
    async warm(count, warmPath = '/healthz') {
      await Promise.all(
        Array.from({ length: count }, async () => {
          const res = await pool.request({ path: warmPath, method: 'GET' });
          await res.body.dump();
        }),
      );
    },
    close: () => pool.close(),
  };
}
