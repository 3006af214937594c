import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createFaultStore, type FaultSpec } from './fake-faults.js';
import { authOf, type FakeCall, type FakeRequest, type FakeResponse, json, serviceOf } from './fake-http.js';
import { createFakeHuawei, type FakeHuawei } from './fake-huawei.js';
import type { HuaweiCredentials } from './fake-huawei-iam.js';
import { type AliyunCredentials, createFakeYunxiao, type FakeYunxiao } from './fake-yunxiao.js';

export type { FaultSpec } from './fake-faults.js';
export type { FakeCall } from './fake-http.js';
export type { HuaweiRunSeed, HuaweiRunSpec } from './fake-huawei-types.js';
export type { YunxiaoRunSeed, YunxiaoRunSpec } from './fake-yunxiao-runs.js';

export interface FakeCloudOptions {
  /** Accepted Huawei credentials (defaults: DEFAULT_HUAWEI_CREDENTIALS; read them back from `cloud.huawei.credentials`). */
  huawei?: Partial<HuaweiCredentials>;
  /** Accepted Alibaba Cloud credentials (defaults: DEFAULT_ALIYUN_CREDENTIALS). */
  aliyun?: Partial<AliyunCredentials>;
  /** Clock for token expiry, signature date skew and run times (default Date.now). */
  now?: () => number;
  /**
   * Benchmarks only: a second pass/refuse of a decided CodeArts review answers 200 (state unchanged) instead of
   * 400 DEVPIPE.00011104, so a throughput run can repeat one valid decision (default false).
   */
  huaweiRepeatableDecisions?: boolean;
}

export interface FakeCloud {
  /** http://127.0.0.1:PORT: the endpoint of every fake service. */
  url: string;
  huawei: FakeHuawei;
  yunxiao: FakeYunxiao;
  inject(fault: FaultSpec): void;
  clearFaults(): void;
  /** Every request in arrival order, without secrets. */
  calls: FakeCall[];
  /** POST /v3/auth/tokens received so far. */
  readonly iamTokenRequests: number;
  /** Base delay before every answer (0 by default). */
  setLatency(ms: number): void;
  /** Stops the server and ends every open socket, including requests held by a `timeout` fault. */
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

/**
 * Starts the fake cloud: one real HTTP server on 127.0.0.1, port 0, serving Huawei IAM, CodeArts Pipeline/Build/Check,
 * Yunxiao devops (ACS3) and Yunxiao openapi-rdc on one origin, with seeds, auth checks and injectable faults.
 *
 * @example
 * const cloud = await startFakeCloud();
 * const run = cloud.huawei.addRun({ reviews: ['Release approval'] });
 * cloud.inject({ match: '/refuse', kind: 'reset', applyBeforeFailing: true });
 * // … point the providers at cloud.url …
 * await cloud.close();
 */
export async function startFakeCloud(options: FakeCloudOptions = {}): Promise<FakeCloud> {
  const now = options.now ?? Date.now;
  const huawei = createFakeHuawei(options.huawei, now, {
    repeatableDecisions: options.huaweiRepeatableDecisions === true,
  });
  const yunxiao = createFakeYunxiao(options.aliyun, now);
  const faults = createFaultStore();
  const calls: FakeCall[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let latency = 0;
  let closed = false;

  const wait = (ms: number) =>
    ms <= 0
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            timers.delete(timer);
            resolve();
          }, ms);
          timers.add(timer);
        });

  function dispatch(req: FakeRequest): FakeResponse {
    try {
      const { service } = req.call;
      if (service === 'devops' || service === 'rdc') return yunxiao.handle(req);
      if (service !== 'unknown') return huawei.handle(req);
      return json(404, { error: 'no fake service at this path' });
    } catch {
      return json(500, { error: 'fake cloud handler failed' });
    }
  }

  async function onRequest(incoming: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of incoming) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) return void incoming.socket.destroy();
      chunks.push(chunk as Buffer);
    }
    const method = incoming.method ?? 'GET';
    const target = incoming.url ?? '/';
    const at = target.indexOf('?');
    const path = at < 0 ? target : target.slice(0, at);
    const call: FakeCall = { method, path, service: serviceOf(path), auth: authOf(incoming.headers), status: 0 };
    calls.push(call);
    const req: FakeRequest = {
      method,
      target,
      path,
      query: new URLSearchParams(at < 0 ? '' : target.slice(at + 1)),
      headers: incoming.headers,
      body: Buffer.concat(chunks),
      call,
    };
    const fault = faults.take(method, target);
    if (fault) call.fault = fault.kind;
    await wait(latency + (fault?.kind === 'latency' ? (fault.ms ?? 0) : 0));
    if (closed) return;
    if (!fault || fault.kind === 'latency') return send(res, call, dispatch(req));
    if (fault.applyBeforeFailing) dispatch(req);
    if (fault.kind === 'status') return send(res, call, statusFault(fault));
    call.status = 0;
    // RST rather than FIN, so clients see ECONNRESET after having sent the request.
    if (fault.kind === 'reset') incoming.socket.resetAndDestroy();
    // 'timeout': never answer; close() destroys the socket.
  }

  const server = createServer((incoming, res) => {
    onRequest(incoming, res).catch(() => incoming.socket.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    huawei,
    yunxiao,
    inject: faults.inject,
    clearFaults: faults.clear,
    calls,
    get iamTokenRequests() {
      return huawei.iamTokenRequests;
    },
    setLatency(ms) {
      latency = Math.max(0, ms);
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await stopped;
    },
  };
}

function statusFault(fault: FaultSpec): FakeResponse {
  const headers: Record<string, string> = fault.retryAfter === undefined ? {} : { 'Retry-After': fault.retryAfter };
  const status = fault.status ?? 503;
  return { status, headers, body: fault.body ?? { error_code: 'FAKE.FAULT', error_msg: `injected ${status}` } };
}

function send(res: ServerResponse, call: FakeCall, response: FakeResponse): void {
  call.status = response.status;
  if (res.destroyed) return;
  const text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
  res.writeHead(response.status, {
    'Content-Type': typeof response.body === 'string' ? 'text/plain;charset=UTF-8' : 'application/json;charset=UTF-8',
    'Content-Length': Buffer.byteLength(text),
    ...response.headers,
  });
  res.end(text);
}
