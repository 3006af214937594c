import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { acs3Signature, canonicalRequest, sha256Hex } from '../../../../src/providers/aliyun/acs3-signer.js';

/** A tiny scripted HTTP peer on 127.0.0.1 for the Yunxiao provider tests (the full fake cloud lives in test/fakes). */
export interface Recorded {
  method: string;
  /** Path and query as received. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status?: number;
  /** Objects and booleans are sent as JSON; strings as they are. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface TestServer {
  origin: string;
  requests: Recorded[];
  close(): Promise<void>;
}

export async function startServer(handler: (req: Recorded, index: number) => Reply): Promise<TestServer> {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded: Recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      const reply = handler(recorded, requests.length - 1);
      const text =
        reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      res.writeHead(reply.status ?? 200, {
        'content-type': typeof reply.body === 'string' ? 'text/plain' : 'application/json',
        ...reply.headers,
      });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Server-side check of an ACS3-HMAC-SHA256 request, rebuilt from what arrived on the wire. */
export function verifyAcs3(req: Recorded, accessKeyId: string, accessKeySecret: string): boolean {
  const auth = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(
    String(req.headers.authorization ?? ''),
  );
  if (!auth || auth[1] !== accessKeyId) return false;
  const hashedPayload = sha256Hex(req.body);
  if (req.headers['x-acs-content-sha256'] !== hashedPayload) return false;
  const url = new URL(req.url, `http://${req.headers.host}`);
  const { canonical, signedHeaders } = canonicalRequest({
    method: req.method,
    url,
    headers: req.headers,
    hashedPayload,
  });
  return signedHeaders === auth[2] && acs3Signature(canonical, accessKeySecret) === auth[3];
}
