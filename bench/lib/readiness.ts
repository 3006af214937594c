import { request } from 'node:http';
import { createServer } from 'node:net';

/**
 * A port that was free a moment ago on 127.0.0.1 (listen on 0, read it, close). For a child that must be told its
 * port up front.
 * @example
 * const port = await freePort(); // spawn the server with PORT=port
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** One GET on a fresh connection; resolves with the status, or 0 when the connection failed. */
export function getStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', agent: false }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
      res.once('error', () => resolve(0));
    });
    req.once('error', () => resolve(0));
    req.end();
  });
}

/**
 * Polls `url` every `everyMs` until it answers 200; resolves with how many polls it took. Rejects after timeoutMs.
 * @example
 * await waitFor200(`http://127.0.0.1:${port}/readyz`);
 */
export async function waitFor200(url: string, everyMs = 5, timeoutMs = 15_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (let polls = 1; ; polls++) {
    if ((await getStatus(url)) === 200) return polls;
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
