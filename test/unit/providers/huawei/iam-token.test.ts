import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OpsError } from '../../../../src/core/errors.js';
import type { HttpClient } from '../../../../src/net/http-client.js';
import { createIamTokenSource } from '../../../../src/providers/huawei/iam-token.js';
import { captureLogger, createFakeIam, type Fake, startFake, testHttp } from './helpers.js';

const USER = 'ops-bot';
const PASSWORD = 'Pa55-w0rd-never-shown';
const HOUR = 3600_000;

describe('IAM token source', () => {
  let fake: Fake;
  let http: HttpClient;
  let clock: number;
  let iam: ReturnType<typeof createFakeIam>;
  const now = () => clock;

  beforeEach(async () => {
    clock = Date.UTC(2025, 0, 1, 8, 0, 0);
    iam = createFakeIam({ user: USER, password: PASSWORD, now, ttlMs: 24 * HOUR });
    fake = await startFake((rec) => iam.handle(rec));
    http = testHttp(0);
  });
  afterEach(async () => {
    await http.close();
    await fake.close();
  });

  function source(extra: { password?: string; project?: { id: string } | { name: string } } = {}) {
    return createIamTokenSource({
      http,
      iamEndpoint: fake.url,
      user: USER,
      password: extra.password ?? PASSWORD,
      domain: 'acme',
      project: extra.project ?? { name: 'cn-north-4' },
      now,
    });
  }

  it('shares one IAM request among 1000 concurrent callers on a cold cache', async () => {
    const tokens = source();
    const all = await Promise.all(Array.from({ length: 1000 }, () => tokens.get()));
    expect(fake.requests).toHaveLength(1);
    expect(new Set(all).size).toBe(1);
    expect(all[0]).toMatch(/^tok-1-/);
    const rec = fake.requests[0]!;
    expect(rec.method).toBe('POST');
    expect(rec.path).toBe('/v3/auth/tokens');
    expect(rec.headers['content-type']).toBe('application/json;charset=utf8');
    expect(JSON.parse(rec.body)).toEqual({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: USER, password: PASSWORD, domain: { name: 'acme' } } },
        },
        scope: { project: { name: 'cn-north-4' } },
      },
    });
    await tokens.get();
    expect(fake.requests).toHaveLength(1);
  });

  it('scopes to a project id when given', async () => {
    await source({ project: { id: '0123456789abcdef0123456789abcdef' } }).get();
    expect(JSON.parse(fake.requests[0]!.body).auth.scope).toEqual({
      project: { id: '0123456789abcdef0123456789abcdef' },
    });
  });

  it('refreshes before expires_at minus the margin, not earlier', async () => {
    const tokens = source();
    const first = await tokens.get();
    clock += 24 * HOUR - 11 * 60_000;
    expect(await tokens.get()).toBe(first);
    expect(iam.issued).toBe(1);
    clock += 2 * 60_000;
    const second = await tokens.get();
    expect(second).not.toBe(first);
    expect(iam.issued).toBe(2);
  });

  it('refreshes halfway when a token lives shorter than twice the margin', async () => {
    const shortIam = createFakeIam({ user: USER, password: PASSWORD, now, ttlMs: 10 * 60_000 });
    fake.setHandler((rec) => shortIam.handle(rec));
    const tokens = source();
    const first = await tokens.get();
    clock += 4 * 60_000;
    expect(await tokens.get()).toBe(first);
    clock += 2 * 60_000;
    expect(await tokens.get()).not.toBe(first);
  });

  it('invalidate(token) forces one new token; a stale invalidate is ignored', async () => {
    const tokens = source();
    const first = await tokens.get();
    tokens.invalidate(first);
    const [a, b] = await Promise.all([tokens.get(), tokens.get()]);
    expect(a).toBe(b);
    expect(a).not.toBe(first);
    expect(iam.issued).toBe(2);
    tokens.invalidate(first);
    expect(await tokens.get()).toBe(a);
    expect(iam.issued).toBe(2);
  });

  it('a failed IAM call is not cached: the next get() succeeds', async () => {
    iam.failNext({ status: 500, json: { error: { code: 500, message: 'IAM down' } } });
    const tokens = source();
    const err = await tokens.get().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpsError);
    expect((err as OpsError).code).toBe('PROVIDER.UNAVAILABLE');
    expect((err as OpsError).meta).toMatchObject({ provider: 'huawei', status: 500, requestId: 'req-1' });
    expect(await tokens.get()).toMatch(/^tok-1-/);
    expect(fake.requests).toHaveLength(2);
  });

  it('keeps using a still-valid token when an early refresh fails', async () => {
    const logger = captureLogger();
    const tokens = createIamTokenSource({
      http,
      iamEndpoint: fake.url,
      user: USER,
      password: PASSWORD,
      domain: 'acme',
      project: { name: 'cn-north-4' },
      now,
      logger,
    });
    const first = await tokens.get();
    clock += 24 * HOUR - 5 * 60_000;
    iam.failNext({ status: 500, json: {} });
    expect(await tokens.get()).toBe(first);
    expect(await tokens.get()).not.toBe(first);
    expect(JSON.stringify(logger.lines)).not.toContain(PASSWORD);
    expect(JSON.stringify(logger.lines)).not.toContain(first);
  });

  it('maps bad credentials to PROVIDER.AUTH_FAILED without the password anywhere', async () => {
    const wrong = 'wrong-Secret-123';
    const err = (await source({ password: wrong })
      .get()
      .catch((e: unknown) => e)) as OpsError;
    expect(err.code).toBe('PROVIDER.AUTH_FAILED');
    expect(err.meta).toMatchObject({ status: 401, providerCode: '401' });
    expect(JSON.stringify(err) + err.message + String(err.stack)).not.toContain(wrong);
  });

  it('redacts the password if IAM echoes it back', async () => {
    iam.failNext({ status: 400, json: { error: { code: 'IAM.0001', message: `bad password ${PASSWORD} given` } } });
    const err = (await source()
      .get()
      .catch((e: unknown) => e)) as OpsError;
    expect(err.code).toBe('PROVIDER.BAD_REQUEST');
    expect(JSON.stringify(err)).not.toContain(PASSWORD);
    expect(err.meta.providerMessage).toBe('bad password *** given');
  });

  it('rejects a 201 without X-Subject-Token or expires_at as PROVIDER.BAD_RESPONSE', async () => {
    iam.failNext({ status: 201, json: { token: { expires_at: '2099-01-01T00:00:00Z' } } });
    iam.failNext({ status: 201, headers: { 'X-Subject-Token': 'abc' }, json: { token: {} } });
    const tokens = source();
    await expect(tokens.get()).rejects.toMatchObject({ code: 'PROVIDER.BAD_RESPONSE' });
    await expect(tokens.get()).rejects.toMatchObject({ code: 'PROVIDER.BAD_RESPONSE' });
    expect(await tokens.get()).toMatch(/^tok-1-/);
  });
});
