import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_WEBHOOK_SECRET } from '../support/known-secrets.js';
import { nowSeconds, signed as signedWith, startHttpHarness } from './http-harness.js';

const SECRET = HTTP_WEBHOOK_SECRET;
const OTHER_SECRET = 'whsec-someone-else';
const LIMIT = 64 * 1024;

let h: Awaited<ReturnType<typeof startHttpHarness>>;
beforeAll(async () => {
  h = await startHttpHarness(SECRET);
});
afterAll(() => h?.close());

const signed = (body: string, options: { secret?: string; timestamp?: number } = {}) =>
  signedWith(options.secret ?? SECRET, body, options.timestamp);
const approve = (body: string, headers: Record<string, string>) => h.call('POST', '/v1/approvals', body, headers);
const requestBody = (target: string) => JSON.stringify({ target, channels: { slack: ['C0123'] } });

describe('POST /v1/approvals: the answer tells the truth about where the approval was posted', () => {
  const post = (channels: { slack?: string[]; dingtalk?: string[] }) => {
    const run = h.cloud.huawei.addRun({ reviews: ['Release approval'] });
    const body = JSON.stringify({ target: run.url, channels });
    return approve(body, signed(body));
  };

  it('201 when every channel got it', async () => {
    const answer = await post({ slack: ['C0123', 'C0456'] });
    expect(answer.status).toBe(201);
    expect(answer.json().channels).toEqual([
      expect.objectContaining({ platform: 'slack', channel: 'C0123', ok: true }),
      expect.objectContaining({ platform: 'slack', channel: 'C0456', ok: true }),
    ]);
  });

  it('207 with the result per channel when some channel did not', async () => {
    const answer = await post({ slack: ['C0123', 'CGONE'] });
    expect(answer.status).toBe(207);
    expect(answer.json().channels).toEqual([
      expect.objectContaining({ channel: 'C0123', ok: true }),
      expect.objectContaining({
        channel: 'CGONE',
        ok: false,
        error: expect.objectContaining({ code: 'PLATFORM.ERROR' }),
      }),
    ]);
  });

  it('422 APPROVAL.NOT_POSTED when nothing could be posted (unknown channel, chat not configured)', async () => {
    for (const channels of [{ slack: ['CGONE'] }, { dingtalk: ['cidNotConfigured'] }]) {
      const answer = await post(channels);
      expect(answer.status, JSON.stringify(channels)).toBe(422);
      expect(answer.json().error?.code).toBe('APPROVAL.NOT_POSTED');
    }
  });
});

describe('POST /v1/approvals: authentication', () => {
  it('opens an approval for a correctly signed request, and refuses its replay', async () => {
    const run = h.cloud.huawei.addRun({ reviews: ['Release approval'] });
    const body = requestBody(run.url);
    const headers = signed(body);
    const first = await approve(body, headers);
    expect(first.status).toBe(201);
    expect(first.json()).toMatchObject({ id: expect.any(String) });
    const before = h.cloud.calls.length;
    const replay = await approve(body, headers);
    expect(replay.status).toBe(401);
    expect(replay.json().error?.code).toBe('AUTH.BAD_SIGNATURE');
    expect(h.cloud.calls.length).toBe(before);
  });

  it('refuses missing, malformed, wrong-secret and wrong-body signatures with 401 and no cloud call', async () => {
    const run = h.cloud.huawei.addRun({ reviews: ['Release approval'] });
    const body = requestBody(run.url);
    const good = signed(body);
    const before = h.cloud.calls.length;
    const cases: Array<Record<string, string>> = [
      { 'content-type': 'application/json' },
      { ...good, 'x-opsgate-signature': '' },
      { 'x-opsgate-signature': good['x-opsgate-signature']! },
      { ...good, 'x-opsgate-signature': `v1=${'0'.repeat(64)}` },
      { ...good, 'x-opsgate-signature': good['x-opsgate-signature']!.toUpperCase() },
      { ...good, 'x-opsgate-signature': `v0=${good['x-opsgate-signature']!.slice(3)}` },
      { ...good, 'x-opsgate-timestamp': 'yesterday' },
      signed(body, { secret: OTHER_SECRET }),
      signed(`${body} `),
      { ...good, 'x-opsgate-timestamp': String(nowSeconds() + 1) },
    ];
    for (const headers of cases) {
      const answer = await approve(body, headers);
      expect(answer.status, JSON.stringify(headers)).toBe(401);
      expect(answer.json().error?.code).toBe('AUTH.BAD_SIGNATURE');
    }
    expect(h.cloud.calls.length).toBe(before);
  });

  it('refuses a correctly signed request whose timestamp is more than 5 minutes old or ahead', async () => {
    const run = h.cloud.huawei.addRun({ reviews: ['Release approval'] });
    const body = requestBody(run.url);
    const before = h.cloud.calls.length;
    for (const skew of [-301, -3600, 301, 86_400]) {
      const answer = await approve(body, signed(body, { timestamp: nowSeconds() + skew }));
      expect(answer.status, `skew ${skew}`).toBe(401);
      expect(answer.json().error?.message).toMatch(/window/);
    }
    expect(h.cloud.calls.length).toBe(before);
  });
});

describe('POST /v1/approvals: bad bodies', () => {
  it('answers a signed body that is not JSON with 400 INPUT.INVALID', async () => {
    for (const body of ['not json', '{"target":', '', '\u0000\u0001']) {
      const answer = await approve(body, signed(body));
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.json().error?.code).toBe('INPUT.INVALID');
    }
  });

  it('answers a signed JSON body of the wrong shape with 400 INPUT.BAD_ARGUMENT', async () => {
    const run = h.cloud.huawei.addRun({ reviews: ['Gate'] });
    const bodies = [
      '[]',
      'null',
      JSON.stringify({ target: run.url }),
      JSON.stringify({ target: run.url, channels: { slack: ['c-lower'] } }),
      JSON.stringify({ target: run.url, channels: { slack: ['C1'] }, extra: 1 }),
      JSON.stringify({ target: run.url, channels: { slack: ['C1'] }, requester: 'root' }),
    ];
    for (const body of bodies) {
      const answer = await approve(body, signed(body));
      expect(answer.status, body).toBe(400);
      expect(answer.json().error?.code).toBe('INPUT.BAD_ARGUMENT');
    }
  });

  it('refuses path-injection targets with 400 INPUT.BAD_ID and makes no cloud call', async () => {
    const run = h.cloud.huawei.addRun({ reviews: ['Gate'] });
    const { projectId: p, pipelineId: pl, runId: r } = run;
    const host = 'https://devcloud.cn-north-4.huaweicloud.com/cicd/project';
    const targets = [
      `huawei ../x ${pl} ${r}`,
      `huawei ${p} ../../v3/auth ${r}`,
      `huawei ${p}%2F..%2F${p} ${pl} ${r}`,
      `huawei ${p} ${pl} ${r.slice(0, 28)}%2e%2e`,
      `${host}/${p}%2F..%2Fx/pipeline/detail/${pl}/${r}`,
      `${host}/${p}/pipeline/detail/${pl}/..%2F${r.slice(3)}`,
      `${host}/${p}/pipeline/detail/${pl}/${r}%2F`,
      'yunxiao org ../1 2',
      'yunxiao ../org 1 2',
      'https://flow.aliyun.com/pipelines/1%2F..%2F2/builds/3',
      'https://flow.aliyun.com/pipelines/1/builds/2?organizationId=..%2Fother',
    ];
    const before = h.cloud.calls.length;
    for (const target of targets) {
      const body = requestBody(target);
      const answer = await approve(body, signed(body));
      expect(answer.status, target).toBe(400);
      expect(answer.json().error?.code, target).toBe('INPUT.BAD_ID');
    }
    expect(h.cloud.calls.length).toBe(before);
  });
});

describe('POST /v1/approvals: body size', () => {
  it('answers a declared oversized body (Content-Length > 64 KiB) with a 4xx before reading it', async () => {
    const total = 32 * 1024 * 1024;
    const headers = { ...signed('x'), 'content-type': 'application/json', 'content-length': String(total) };
    const { status, sent } = await h.streamBody(total, headers);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    expect(sent).toBeLessThan(total);
  });

  it('answers a chunked body that grows past 64 KiB with a 4xx, without reading all of it', async () => {
    const total = 32 * 1024 * 1024;
    const headers = { ...signed('x'), 'content-type': 'application/json', 'transfer-encoding': 'chunked' };
    const { status, sent } = await h.streamBody(total, headers);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    expect(sent).toBeLessThan(total);
  });

  it('answers a body just over the limit, sent whole, with a 4xx (not a reset)', async () => {
    const body = JSON.stringify({ target: 'x'.repeat(LIMIT), channels: { slack: ['C1'] } });
    const answer = await approve(body, signed(body));
    expect(answer.status).toBe(413);
    expect(answer.json().error?.code).toBe('INPUT.TOO_LARGE');
  });
});

describe('other routes', () => {
  it('answers /healthz, /readyz and /metrics, and 404 for anything else', async () => {
    expect((await h.call('GET', '/healthz')).status).toBe(200);
    expect((await h.call('GET', '/healthz?x=1')).status).toBe(200);
    expect((await h.call('GET', '/readyz')).json()).toMatchObject({ ready: true });
    const metrics = await h.call('GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.text).toContain('# HELP');
    for (const [method, path] of [
      ['GET', '/'],
      ['GET', '/v1/approvals'],
      ['POST', '/healthz'],
      ['GET', '/../etc/passwd'],
      ['GET', '/%2e%2e/metrics'],
      ['DELETE', '/v1/approvals'],
      ['POST', '/slack/events'],
    ] as const) {
      expect((await h.call(method, path)).status, `${method} ${path}`).toBe(404);
    }
  });

  it('never puts the webhook secret in an answer or a log line', () => {
    expect(h.answered.length).toBeGreaterThan(30);
    for (const text of [...h.answered, ...h.logLines]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(OTHER_SECRET);
    }
  });
});
