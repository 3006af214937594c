import type { HttpClient } from '../../../../src/net/http-client.js';
import { createHuaweiProviders, type HuaweiConfig } from '../../../../src/providers/huawei/index.js';
import {
  captureLogger,
  createFakeIam,
  type Fake,
  type Recorded,
  type Reply,
  startFake,
  testHttp,
  verifyAkSk,
} from './helpers.js';

export const SECRETS = {
  password: 'Hunter2-Pa55word!',
  ak: 'AKEXAMPLE0123456789A',
  sk: 'SkSecretValue-0123456789abcdefghijklmnop',
  securityToken: 'sts-security-token-value-0123456789',
  iamProjectId: '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
} as const;

export type Route = (rec: Recorded) => Reply | undefined | Promise<Reply | undefined>;

/**
 * One fake origin serving IAM and the three services, and providers wired to it through createHuaweiProviders.
 * `routes` answer service calls after the fake gateway authenticated them (token or AK/SK verified with the SDK).
 */
export async function startHuaweiEnv(
  mode: 'token' | 'aksk',
  options: { noticeSpelling?: 'legacy' | 'current'; sk?: string } = {},
) {
  let clock = Date.UTC(2025, 0, 1, 8, 0, 0);
  const now = () => clock;
  const iam = createFakeIam({ user: 'ops-bot', password: SECRETS.password, now });
  const routes: Route[] = [];
  const serviceRequests: Recorded[] = [];
  const rejectNextServiceCalls = { count: 0 };
  const fake: Fake = await startFake(async (rec) => {
    if (rec.path === '/v3/auth/tokens') return iam.handle(rec);
    serviceRequests.push(rec);
    if (mode === 'token') {
      const denied = iam.check(rec);
      if (denied) return denied;
    } else {
      const why = verifyAkSk(rec, SECRETS.ak, SECRETS.sk);
      if (why || rec.headers['x-project-id'] !== SECRETS.iamProjectId) {
        return {
          status: 401,
          json: {
            error_code: 'APIGW.0301',
            error_msg: 'Incorrect IAM authentication information: verify aksk signature fail',
          },
        };
      }
    }
    if (rejectNextServiceCalls.count > 0) {
      rejectNextServiceCalls.count -= 1;
      return { status: 401, json: { error_code: 'APIGW.0307', error_msg: 'The token must be updated.' } };
    }
    for (const route of routes) {
      const reply = await route(rec);
      if (reply) return reply;
    }
    return { status: 404, json: { error_code: 'FAKE.404', error_msg: 'no route' } };
  });
  const http: HttpClient = testHttp(1);
  const logger = captureLogger();
  const config: HuaweiConfig = {
    region: 'cn-north-4',
    auth:
      mode === 'token'
        ? { kind: 'token', user: 'ops-bot', password: SECRETS.password, domain: 'acme' }
        : {
            kind: 'aksk',
            ak: SECRETS.ak,
            sk: options.sk ?? SECRETS.sk,
            projectId: SECRETS.iamProjectId,
            securityToken: SECRETS.securityToken,
          },
    endpoints: { iam: fake.url, pipeline: fake.url, build: fake.url, check: `${fake.url}/` },
    noticeSpelling: options.noticeSpelling ?? 'current',
  };
  const providers = createHuaweiProviders(config, { http, now, logger });
  let closed = false;
  return {
    fake,
    iam,
    http,
    logger,
    providers,
    routes,
    serviceRequests,
    rejectNextServiceCalls,
    advance(ms: number) {
      clock += ms;
    },
    /** Every secret a test must never see in an error or a log line (includes issued token values). */
    secretValues(): string[] {
      return [SECRETS.password, SECRETS.sk, SECRETS.securityToken, ...iam.valid];
    },
    /** Idempotent, so afterEach may call it for a test that did not start a new env. */
    async close() {
      if (closed) return;
      closed = true;
      await http.close();
      await fake.close();
    },
  };
}

export type HuaweiEnv = Awaited<ReturnType<typeof startHuaweiEnv>>;
