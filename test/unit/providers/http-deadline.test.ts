import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../src/net/http-client.js';

/**
 * A hostile cloud: it answers 200 with headers at once, then sends one byte of a long body every 50 ms. Each gap is
 * well under undici's bodyTimeout, so only a deadline over the whole response ends the request.
 */
describe('the HTTP client bounds the whole response, not the gap between bytes', () => {
  let server: Server;
  let origin: string;
  const BODY_BYTES = 400;
  const trickles: Array<{ sent: number; closed: boolean }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const state = { sent: 0, closed: false };
      trickles.push(state);
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(BODY_BYTES) });
      const timer = setInterval(() => {
        if (state.sent >= BODY_BYTES) return clearInterval(timer);
        state.sent++;
        res.write(' ');
      }, 50);
      res.on('close', () => {
        state.closed = true;
        clearInterval(timer);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const client = () =>
    createHttpClient({ headersTimeoutMs: 5_000, bodyTimeoutMs: 5_000, totalTimeoutMs: 300, retries: 0 });

  it('a read ends as PROVIDER.TIMEOUT long before the trickle would finish, and the socket is closed', async () => {
    const http = client();
    const call = http.request({ origin, method: 'GET', path: '/v5/runs', idempotent: true, label: 'test.read' });
    await expect(call).rejects.toMatchObject({ code: 'PROVIDER.TIMEOUT', meta: { label: 'test.read' } });
    const state = trickles.at(-1)!;
    expect(state.sent).toBeLessThan(BODY_BYTES);
    // The client hung up: the fake sees its response closed (a bounded wait for the close event).
    for (let i = 0; i < 100 && !state.closed; i++) await new Promise((r) => setTimeout(r, 20));
    expect(state.closed).toBe(true);
    await http.close();
  });

  it('a decision that timed out mid-body is ambiguous (it may have been applied)', async () => {
    const http = client();
    const call = http.request({ origin, method: 'POST', path: '/refuse', body: '{}', idempotent: false, label: 'x' });
    await expect(call).rejects.toMatchObject({ code: 'PROVIDER.AMBIGUOUS' });
    expect(trickles.at(-1)!.sent).toBeLessThan(BODY_BYTES);
    await http.close();
  });

  it('an idempotent read is retried after the deadline, each attempt bounded', async () => {
    const before = trickles.length;
    const http = createHttpClient({ totalTimeoutMs: 200, retries: 1, sleep: async () => undefined });
    await expect(
      http.request({ origin, method: 'GET', path: '/v5/runs', idempotent: true, label: 'r' }),
    ).rejects.toMatchObject({ code: 'PROVIDER.TIMEOUT' });
    expect(trickles.length - before).toBe(2);
    await http.close();
  });
});
