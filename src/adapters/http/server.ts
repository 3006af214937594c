import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApprovalService } from '../../core/approvals/service.js';
import type { Core } from '../../core/core.js';
import { OpsError, toOpsError } from '../../core/errors.js';
import type { Clock, Logger } from '../../core/ports.js';
import { scrub } from '../../core/scrub.js';
import type { DedupeStore } from '../../core/store-ports.js';
import { handleApprovalRequest } from './approval-request.js';
import { createBodyBudget, DEFAULT_BODY_BUDGET_BYTES, readBody } from './body-budget.js';
import { verifyWebhook, WEBHOOK_DEDUPE_MS } from './webhook-signature.js';

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
  /**
   * Bolt HTTPReceiver listener for POST /slack/events, when Slack runs in HTTP mode. The server reads the body first
   * (within slackMaxBodyBytes and the shared budget) and hands it over as `req.rawBody`, which Bolt reuses.
   */
  slackListener?: (req: IncomingMessage, res: ServerResponse) => void;
  slackMaxBodyBytes?: number;
  /** Bytes all unauthenticated request bodies may hold together (default 32 MiB). */
  bodyBudgetBytes?: number;
  /** Listen queue length (default 4096; the kernel caps it at net.core.somaxconn). */
  backlog?: number;
  /** Slowloris bounds: headers within headersMs (default 5 s), the whole request within requestMs (default 10 s). */
  readDeadline?: { headersMs: number; requestMs: number };
  /** Counts requests in flight, for graceful shutdown and the queue-depth gauge. */
  track?: <T>(work: Promise<T>) => Promise<T>;
  maxBodyBytes?: number;
}

const CODE_STATUS: Record<string, number> = {
  'AUTH.BAD_SIGNATURE': 401,
  'AUTH.DENIED': 403,
  'INPUT.TOO_LARGE': 413,
  'SERVER.BUSY': 503,
  'STORE.UNAVAILABLE': 503,
  'REVIEW.NONE_WAITING': 409,
  'CONFIG.CLOUD_DISABLED': 422,
  'CONFIG.REGION_NOT_CONFIGURED': 422,
  'APPROVAL.NOT_POSTED': 422,
};

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  // Every HTTP answer passes the scrubber (src/core/scrub.ts): an error message that echoed a secret stays inside.
  const text = scrub(typeof body === 'string' ? body : JSON.stringify(body));
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

/**
 * The bot's one HTTP server: /healthz (alive), /readyz (each dependency ready or why not), /metrics (Prometheus),
 * POST /v1/approvals (signed pipeline requests), POST /slack/events (Bolt, HTTP mode).
 */
export function createHttpServer(deps: HttpServerDeps): {
  server: Server;
  listen(port: number, host?: string): Promise<number>;
} {
  const limit = deps.maxBodyBytes ?? 64 * 1024;
  const budget = createBodyBudget(deps.bodyBudgetBytes ?? DEFAULT_BODY_BUDGET_BYTES);
  const track = deps.track ?? (<T>(w: Promise<T>) => w);

  async function approvalsRoute(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = deps.newId();
    try {
      if (!deps.webhookSecret) throw new OpsError('INPUT.UNKNOWN_COMMAND', 'approval requests are not enabled', {});
      const body = (await readBody(req, res, { limit, budget })).toString('utf8');
      const signature = header(req, 'x-opsgate-signature');
      verifyWebhook(deps.webhookSecret, { timestamp: header(req, 'x-opsgate-timestamp'), signature }, body, deps.now());
      // A valid signature may be replayed while its timestamp is acceptable: remember it for longer than that.
      if (!(await deps.dedupe.claim(`webhook:${signature}`, WEBHOOK_DEDUPE_MS))) {
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

  async function slackRoute(
    listener: NonNullable<HttpServerDeps['slackListener']>,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    try {
      const rawBody = await readBody(req, res, { limit: deps.slackMaxBodyBytes ?? limit, budget });
      (req as IncomingMessage & { rawBody?: Buffer }).rawBody = rawBody;
    } catch (err) {
      const error = toOpsError(err);
      deps.logger.info({ route: 'POST /slack/events', code: error.code }, 'slack request refused');
      const close: Record<string, string> = req.complete ? {} : { connection: 'close' };
      return send(res, statusFor(error), { error: { code: error.code, message: error.message } }, close);
    }
    listener(req, res);
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

  // Slowloris: headers within 5 s and the whole request within 10 s (Slack and pipelines send in milliseconds),
  // checked every second rather than node's default 30 s.
  const deadline = deps.readDeadline ?? { headersMs: 5_000, requestMs: 10_000 };
  const checkEvery = Math.min(1_000, deadline.headersMs);
  const options = {
    headersTimeout: deadline.headersMs,
    requestTimeout: deadline.requestMs,
    connectionsCheckingInterval: checkEvery,
  };
  const server = createServer(options, (req, res) => {
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
          if (deps.slackListener) return slackRoute(deps.slackListener, req, res);
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
  return {
    server,
    listen: (port, host = '0.0.0.0') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        // A cold bot hit by a burst (Slack retries, a channel clicking at once) must not overflow the accept queue.
        server.listen({ port, host, backlog: deps.backlog ?? 4096 }, () =>
          resolve((server.address() as AddressInfo).port),
        );
      }),
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
