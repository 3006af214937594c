import { z } from 'zod';
import { type FakeRequest, type FakeResponse, hexId, json } from './fake-http.js';
import { verifyAksk } from './verify-aksk.js';

/** Credentials the fake Huawei account accepts (defaults below when the test gives none). */
export interface HuaweiCredentials {
  ak: string;
  sk: string;
  iamUser: string;
  iamPassword: string;
  iamDomain: string;
  /** Token lifetime (IAM: 24 h). */
  tokenTtlMs?: number;
}

export const DEFAULT_HUAWEI_CREDENTIALS: HuaweiCredentials = {
  ak: 'FAKEHUAWEIAK00000001',
  sk: 'fake-huawei-secret-key',
  iamUser: 'opsgate-bot',
  iamPassword: 'fake-iam-password',
  iamDomain: 'opsgate-account',
};

const DAY_MS = 24 * 60 * 60_000;

// Request body of POST /v3/auth/tokens, password method (reference/huawei-codearts.md "IAM token").
const tokenBody = z.object({
  auth: z.object({
    identity: z.object({
      methods: z.array(z.string()),
      password: z.object({
        user: z.object({
          name: z.string(),
          password: z.string(),
          domain: z.object({ name: z.string() }),
        }),
      }),
    }),
    scope: z
      .object({ project: z.object({ name: z.string().optional(), id: z.string().optional() }).optional() })
      .optional(),
  }),
});

export interface HuaweiIam {
  /** POST /v3/auth/tokens. */
  issue(req: FakeRequest): FakeResponse;
  /** undefined when the caller is authenticated (valid token, or valid AK/SK signature with X-Project-Id). */
  authenticate(req: FakeRequest): FakeResponse | undefined;
  /** Every POST /v3/auth/tokens, successful or not. */
  readonly tokenRequests: number;
  /** Makes every token issued so far answer 401 APIGW.0307 (as if expired). */
  expireTokens(): void;
  readonly domainId: string;
  readonly iamProjectId: string;
  /**
   * GET /v3/projects?name=… (KeystoneListProjects; huaweicloud-sdk-go-v3 `services/iam/v3/model/
   * model_keystone_list_projects_response.go`, `model_project_result.go`).
   */
  projects(req: FakeRequest): FakeResponse;
  /** Scope of every token request: `id:<project>` or `name:<region>`. */
  readonly tokenScopes: readonly string[];
  addProject(region: string, id?: string): string;
}

export function createHuaweiIam(credentials: HuaweiCredentials, now: () => number): HuaweiIam {
  const tokens = new Map<string, number>();
  const domainId = hexId();
  const iamProjectId = hexId();
  const projectsByRegion = new Map<string, string>([['cn-north-4', iamProjectId]]);
  const tokenScopes: string[] = [];
  const ttl = credentials.tokenTtlMs ?? DAY_MS;
  let tokenRequests = 0;

  function issue(req: FakeRequest): FakeResponse {
    tokenRequests += 1;
    let raw: unknown;
    try {
      raw = JSON.parse(req.body.toString('utf8'));
    } catch {
      raw = undefined;
    }
    const parsed = tokenBody.safeParse(raw);
    if (!parsed.success || !parsed.data.auth.identity.methods.includes('password')) {
      return json(400, { error: { code: 400, message: 'The request body is invalid.', title: 'Bad Request' } });
    }
    const { user } = parsed.data.auth.identity.password;
    if (
      user.name !== credentials.iamUser ||
      user.password !== credentials.iamPassword ||
      user.domain.name !== credentials.iamDomain
    ) {
      return json(401, { error: { code: 401, message: 'The username or password is wrong.', title: 'Unauthorized' } });
    }
    const issuedAt = now();
    const token = `MIIfake${hexId(64)}`;
    tokens.set(token, issuedAt + ttl);
    const project = parsed.data.auth.scope?.project;
    tokenScopes.push(project?.id ? `id:${project.id}` : `name:${project?.name ?? ''}`);
    return json(
      201,
      {
        token: {
          expires_at: new Date(issuedAt + ttl).toISOString(),
          issued_at: new Date(issuedAt).toISOString(),
          methods: ['password'],
          project: { id: project?.id ?? iamProjectId, name: project?.name ?? 'cn-north-4' },
          user: { name: user.name, domain: { id: domainId, name: user.domain.name } },
        },
      },
      { 'X-Subject-Token': token },
    );
  }

  function authenticate(req: FakeRequest): FakeResponse | undefined {
    if (req.call.auth === 'aksk') {
      const result = verifyAksk(req, {
        secretFor: (ak) => (ak === credentials.ak ? credentials.sk : undefined),
        now: now(),
      });
      if (result.ok) return undefined;
      return json(401, {
        error_code: 'APIGW.0301',
        error_msg: `Incorrect IAM authentication information: ${
          result.reason === 'signature' ? 'verify aksk signature fail' : result.message
        }`,
      });
    }
    const token = req.headers['x-auth-token'];
    const expiresAt = typeof token === 'string' ? tokens.get(token) : undefined;
    if (expiresAt !== undefined && now() < expiresAt) return undefined;
    return json(401, { error_code: 'APIGW.0307', error_msg: 'The token must be updated.' });
  }

  function projects(req: FakeRequest): FakeResponse {
    const name = req.query.get('name');
    const list = [...projectsByRegion].filter(([region]) => name === null || region === name);
    return json(200, {
      links: { self: 'https://iam.myhuaweicloud.com/v3/projects', previous: null, next: null },
      projects: list.map(([region, id]) => ({
        is_domain: false,
        description: '',
        links: { self: `https://iam.myhuaweicloud.com/v3/projects/${id}` },
        enabled: true,
        id,
        parent_id: domainId,
        domain_id: domainId,
        name: region,
      })),
    });
  }

  return {
    issue,
    authenticate,
    projects,
    tokenScopes,
    addProject(region: string, id = hexId()) {
      projectsByRegion.set(region, id);
      return id;
    },
    get tokenRequests() {
      return tokenRequests;
    },
    expireTokens() {
      for (const token of tokens.keys()) tokens.set(token, 0);
    },
    domainId,
    iamProjectId,
  };
}
