import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_WEBHOOK_SECRET } from '../support/known-secrets.js';
import { startHttpHarness } from './http-harness.js';

/** A client that trickles its request is cut off at the read deadline (node's requestTimeout/headersTimeout). */
describe('per-request read deadline', () => {
  let h: Awaited<ReturnType<typeof startHttpHarness>>;
  beforeAll(async () => {
    h = await startHttpHarness(HTTP_WEBHOOK_SECRET, { readDeadline: { headersMs: 300, requestMs: 600 } });
  });
  afterAll(() => h.close());

  const trickle = (head: string, byte: string) =>
    new Promise<{ answer: string; closed: boolean; sent: number }>((resolve) => {
      const socket = connect(h.port, '127.0.0.1');
      let answer = '';
      let sent = 0;
      socket.write(head);
      const timer = setInterval(() => {
        sent++;
        socket.write(byte);
      }, 100);
      socket.on('data', (d) => (answer += String(d)));
      socket.on('close', () => {
        clearInterval(timer);
        resolve({ answer, closed: true, sent });
      });
      socket.on('error', () => undefined);
      // A bound on the wait, not a timing assertion: a server without a deadline never closes.
      setTimeout(() => {
        clearInterval(timer);
        socket.destroy();
        resolve({ answer, closed: false, sent });
      }, 10_000).unref();
    });

  it('a body trickled one byte every 100 ms is answered 408 and the connection closed', async () => {
    const head =
      'POST /v1/approvals HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n';
    const result = await trickle(head, ' ');
    expect(result.closed).toBe(true);
    expect(result.answer).toMatch(/^HTTP\/1\.1 408/);
    expect(result.sent).toBeLessThan(1000);
  });

  it('headers trickled one byte every 100 ms are cut off too', async () => {
    const result = await trickle('GET /healthz HTTP/1.1\r\nx-slow: ', 'a');
    expect(result.closed).toBe(true);
  });
});
