import { OpsError } from '../../src/core/errors.js';
import { type IncomingHttpHeaders, request } from 'node:http';
import { Writable } from 'node:stream';
import { createHttpServer } from '../../src/adapters/http/server.js';
import { signWebhook } from '../../src/adapters/http/webhook-signature.js';
import { loadConfig } from '../../src/app/config.js';
import { createLogger } from '../../src/app/logger.js';
import { createMetrics } from '../../src/app/metrics.js';
import { createProviders } from '../../src/app/providers.js';
import { parsePolicy } from '../../src/core/authz.js';
import { createCore } from '../../src/core/core.js';
import { createMemoryStore } from '../../src/store/memory/memory-store.js';
import { type FakeCloud, startFakeCloud } from '../fakes/fake-cloud.js';
import { cloudEnv } from '../support/cloud-env.js';
import { testLogSink } from '../support/test-logger.js';

export interface Answer {
  status: number;
  text: string;
  headers: IncomingHttpHeaders;
  json: () => { error?: { code: string; message: string }; channels?: unknown[]; [key: string]: unknown };
}

const PIPELINE_POLICY = `
roles:
  pipeline:
    allow: [review.pending]
    scope: { huawei: { projects: ["*"] }, yunxiao: { organizations: ["*"], pipelines: ["*"] } }
bindings:
  - { role: pipeline, subjects: ["webhook:pipeline"] }
`;

/**
 * The real HTTP server on 127.0.0.1:0 with a core against the fake cloud, an approval service on the memory store,
 * and a debug logger into `logLines`. `answered` keeps every status, header and body the server sent.
 *
 * @example
 * const h = await startHttpHarness('whsec-…');
 * const answer = await h.call('GET', '/healthz');
 */
export async function startHttpHarness(
  webhookSecret: string,
  options: { now?: () => number; readDeadline?: { headersMs: number; requestMs: number } } = {},
) {
  const now = options.now ?? Date.now;
  const cloud: FakeCloud = await startFakeCloud();
  const { providers, http } = createProviders(loadConfig(cloudEnv(cloud)), {});
  const logLines: string[] = [];
  const answered: string[] = [];
  // Kept for assertions, and written to the run's log directory for the secret scan (test/global-setup.ts).
  const file = testLogSink('http-harness');
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      file.write(String(chunk));
      done();
    },
  });
  const logger = createLogger({ level: 'debug', destination });
  let ids = 0;
  const newId = () => `id-${++ids}`;
  const store = createMemoryStore(now);
  const core = createCore({ providers, store, policy: parsePolicy(PIPELINE_POLICY), logger, newId, now });
  const approvals = core.approvals;
  // A Slack poster that reaches every channel but CGONE (as if Slack answered channel_not_found there).
  const posted: Array<{ approvalId: string; channel: string }> = [];
  approvals.registerPoster({
    platform: 'slack',
    async post(approval, channel) {
      if (channel === 'CGONE')
        throw new OpsError('PLATFORM.ERROR', 'slack chat.postMessage failed', { slackError: 'channel_not_found' });
      posted.push({ approvalId: approval.id, channel });
      return { platform: 'slack', channel, messageId: `${Date.now() / 1000}` };
    },
    async update() {},
    async followUp() {},
  });
  const metrics = createMetrics();
  const { server, listen } = createHttpServer({
    core,
    approvals,
    dedupe: store.dedupe,
    logger,
    now,
    newId,
    webhookSecret,
    ...(options.readDeadline ? { readDeadline: options.readDeadline } : {}),
    readiness: { store: async () => ({ ready: true }) },
    metrics: () => metrics.render(),
  });
  const port = await listen(0, '127.0.0.1');

  /** A raw node:http request (fetch and URL would normalise paths such as `/%2e%2e/x` before sending them). */
  function call(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          answered.push(`${res.statusCode} ${JSON.stringify(res.headers)} ${text}`);
          resolve({ status: res.statusCode ?? 0, text, headers: res.headers, json: () => JSON.parse(text) });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /**
   * Streams `total` bytes in 16 KiB chunks, stopping as soon as the answer arrives; resolves the status and bytes
   * sent. With `total` well above what loopback socket buffers hold (a few MiB), `sent < total` shows the server
   * answered without reading the whole body.
   */
  function streamBody(total: number, headers: Record<string, string>): Promise<{ status: number; sent: number }> {
    return new Promise((resolve, reject) => {
      let sent = 0;
      let done = false;
      const req = request({ host: '127.0.0.1', port, path: '/v1/approvals', method: 'POST', headers });
      req.on('response', (res) => {
        done = true;
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, sent }));
      });
      req.on('error', (err) => (done ? undefined : reject(err)));
      const chunk = Buffer.alloc(16 * 1024, 0x61);
      const pump = () => {
        while (!done && sent < total) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (!done) req.end();
      };
      pump();
    });
  }

  return {
    cloud,
    port,
    call,
    streamBody,
    logLines,
    answered,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await http.close();
      await cloud.close();
    },
  };
}

/** Headers of a request signed the way pipelines sign (X-Opsgate-Timestamp / X-Opsgate-Signature). */
export function signed(secret: string, body: string, timestamp = nowSeconds()): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-opsgate-timestamp': String(timestamp),
    'x-opsgate-signature': signWebhook(secret, timestamp, body),
  };
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);
