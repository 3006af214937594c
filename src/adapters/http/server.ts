import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApprovalService } from '../../core/approvals/service.js';
import type { Core } from '../../core/core.js';
import { OpsError, toOpsError } from '../../core/errors.js';
import type { Clock, Logger } from '../../core/ports.js';
import type { DedupeStore } from '../../core/store-ports.js';
import { handleApprovalRequest } from './approval-request.js';
import { verifyWebhook, WEBHOOK_WINDOW_SECONDS } from './webhook-signature.js';

/**
 * One named readiness check. `informational` checks (the clouds) are reported but do not make the bot unready: a
 * replica that cannot reach a cloud should still answer people and tell them so, not vanish from the load balancer.
 */
export type ReadinessCheck = () => Promise<{ ready: boolean; detail?: string; informational?: boolean }>;

export interface HttpServerDeps {
  core: Core;
  approvals: ApprovalService;
  dedupe: DedupeStore;
  logger: Logger;
  now: Clock;
  newId: () => string;
  /** OPSGATE_WEBHOOK_SECRET; without it POST /v1/approvals answers 404 (feature off). */
  webhookSecret?: string;
  /** Named readiness checks: each adapter, the store, each cloud. */
  readiness: Record<string, ReadinessCheck>;
  /** Prometheus text exposition. */
  metrics: () => Promise<{ contentType: string; body: string }>;
  /** Bolt HTTPReceiver listener for POST /slack/events, when Slack runs in HTTP mode. */
  slackListener?: (req: IncomingMessage, res: ServerResponse) => void;
  /** Counts requests in flight, for graceful shutdown and the queue-depth gauge. */
  track?: <T>(work: Promise<T>) => Promise<T>;
  maxBodyBytes?: number;
}

const CODE_STATUS: Record<string, number> = {
  'AUTH.BAD_SIGNATURE': 401,
  'AUTH.DENIED': 403,
  'REVIEW.NONE_WAITING': 409,
  'CONFIG.CLOUD_DISABLED': 422,
  'CONFIG.REGION_NOT_CONFIGURED': 422,
  'APPROVAL.NOT_POSTED': 422,
};

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
    ...headers,
  });
  res.end(text);
}

function statusFor(error: OpsError): number {
  return (
    CODE_STATUS[error.code] ?? (error.code.startsWith('INPUT.') ? 400 : error.code.startsWith('PROVIDER.') ? 502 : 500)
  );
}

/** Reads the raw body with a size cap (the signature covers the exact bytes). */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => new OpsError('INPUT.INVALID', `body larger than ${limit} bytes`, { limit });
    if (Number(req.headers['content-length'] ?? 0) > limit) return reject(tooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop reading but keep the socket: the 4xx answer goes out with `Connection: close` (see approvalsRoute).
        req.off('data', onData);
        req.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * The bot's one HTTP server: /healthz (alive), /readyz (each dependency ready or why not), /metrics (Prometheus),
 * POST /v1/approvals (signed pipeline requests), POST /slack/events (Bolt, HTTP mode).
 */
export function createHttpServer(deps: HttpServerDeps): {
  server: Server;
  listen(port: number, host?: string): Promise<number>;
} {
  const limit = deps.maxBodyBytes ?? 64 * 1024;
  const track = deps.track ?? (<T>(w: Promise<T>) => w);

  async function approvalsRoute(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = deps.newId();
    try {
      if (!deps.webhookSecret) throw new OpsError('INPUT.UNKNOWN_COMMAND', 'approval requests are not enabled', {});
      const body = await readBody(req, limit);
      const signature = header(req, 'x-opsgate-signature');
      verifyWebhook(deps.webhookSecret, { timestamp: header(req, 'x-opsgate-timestamp'), signature }, body, deps.now());
      // A valid signature may be replayed inside the window: remember it for the window's length.
      if (!(await deps.dedupe.claim(`webhook:${signature}`, WEBHOOK_WINDOW_SECONDS * 2000))) {
        throw new OpsError('AUTH.BAD_SIGNATURE', 'this request was already received', {});
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        throw new OpsError('INPUT.INVALID', 'body is not JSON', {});
      }
      const { status, ids, channels } = await track(handleApprovalRequest(deps, parsed, requestId));
      send(res, status, { id: ids[0], ids, channels });
    } catch (err) {
      const error = toOpsError(err);
      if (error.code === 'INPUT.UNKNOWN_COMMAND' && !deps.webhookSecret) return send(res, 404, { error: 'not found' });
      deps.logger.info({ route: 'POST /v1/approvals', code: error.code, requestId }, 'approval request refused');
      // A body left unread (too large) cannot be skipped on a kept-alive connection: close it after the answer.
      const close: Record<string, string> = req.complete ? {} : { connection: 'close' };
      send(res, statusFor(error), { error: { code: error.code, message: error.message }, requestId }, close);
    }
  }

  async function readyRoute(res: ServerResponse): Promise<void> {
    const entries = await Promise.all(
      Object.entries(deps.readiness).map(async ([name, check]) => {
        try {
          return [name, await check()] as const;
        } catch (err) {
          return [name, { ready: false, detail: toOpsError(err).code }] as const;
        }
      }),
    );
    const ready = entries.every(([, r]) => r.ready || ('informational' in r && r.informational === true));
    send(res, ready ? 200 : 503, { ready, checks: Object.fromEntries(entries) });
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const route = `${req.method} ${path}`;
    const handle = async () => {
      switch (route) {
        case 'GET /healthz':
          return send(res, 200, { status: 'ok' });
        case 'GET /readyz':
          return readyRoute(res);
        case 'GET /metrics': {
          const m = await deps.metrics();
          return send(res, 200, m.body, { 'content-type': m.contentType });
        }
        case 'POST /v1/approvals':
          return approvalsRoute(req, res);
        case 'POST /slack/events':
          if (deps.slackListener) return deps.slackListener(req, res);
          return send(res, 404, { error: 'slack is not configured' });
        default:
          return send(res, 404, { error: 'not found' });
      }
    };
    handle().catch((err) => {
      deps.logger.error({ route, code: toOpsError(err).code }, 'http handler failed');
      if (!res.headersSent) send(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  return {
    server,
    listen: (port, host = '0.0.0.0') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
      }),
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
