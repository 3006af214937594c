import { createRequire } from 'node:module';
import type { HuaweiRunSeed } from '../../src/fakes/cloud/fake-huawei-types.js';
import { createHttpClient, type HttpClientOptions } from '../../src/net/http-client.js';
import { signAkSk } from '../../src/providers/huawei/aksk-signer.js';
import { createHuaweiProviders, defaultHuaweiEndpoints } from '../../src/providers/huawei/index.js';

/** What a throughput client needs to reach one CodeArts manual review on a (fake) gateway. */
export interface RefuseTarget {
  /** Origin of the gateway, e.g. http://127.0.0.1:PORT. */
  url: string;
  ak: string;
  sk: string;
  /** IAM project id (X-Project-Id). */
  iamProjectId: string;
  run: HuaweiRunSeed;
}

/** One way of sending "refuse this review" (POST …/steps/{step}/refuse, AK/SK-signed); rejects unless 200 + success. */
export interface RefuseClient {
  name: string;
  refuse(): Promise<void>;
  close(): Promise<void>;
}

function refusePath(t: RefuseTarget): string {
  const review = t.run.reviews[0];
  if (!review) throw new Error('the seeded run has no review');
  return (
    `/v5/${t.run.projectId}/api/pipelines/${t.run.pipelineId}/pipeline-runs/${t.run.runId}` +
    `/jobs/${review.jobRunId}/steps/${review.stepRunId}/refuse`
  );
}

/**
 * Ours: the CodeArts provider as the bot uses it (createHuaweiProviders → pipeline.decide, AK/SK, our HTTP client).
 * @example
 * const ours = createOurClient(target); await ours.refuse(); await ours.close();
 */
export function createOurClient(t: RefuseTarget, http: HttpClientOptions = {}, name = 'ours'): RefuseClient {
  const client = createHttpClient(http);
  const endpoints = defaultHuaweiEndpoints('cn-north-4', { iam: t.url, pipeline: t.url, build: t.url, check: t.url });
  const { pipeline } = createHuaweiProviders(
    {
      region: 'cn-north-4',
      auth: { kind: 'aksk', ak: t.ak, sk: t.sk, projectId: t.iamProjectId },
      endpoints,
      noticeSpelling: 'current',
    },
    { http: client, now: Date.now },
  );
  const { projectId, pipelineId, runId } = t.run;
  const seeded = t.run.reviews[0];
  if (!seeded) throw new Error('the seeded run has no review');
  const ref = { cloud: 'huawei' as const, projectId, pipelineId, runId };
  const review = { id: seeded.stepRunId, jobId: seeded.jobRunId, name: seeded.name, status: 'waiting' as const };
  return {
    name,
    async refuse() {
      await pipeline.decide(ref, review, 'reject');
    },
    close: () => client.close(),
  };
}

/**
 * Baseline (a): Node's global fetch, signed with our signAkSk.
 * @example
 * const viaFetch = createFetchClient(target);
 */
export function createFetchClient(t: RefuseTarget): RefuseClient {
  const path = refusePath(t);
  return {
    name: 'node fetch + signAkSk',
    async refuse() {
      const url = new URL(path, t.url);
      const headers = { 'X-Project-Id': t.iamProjectId };
      const signed = signAkSk({ method: 'POST', url, headers, body: '', ak: t.ak, sk: t.sk, date: new Date() });
      const res = await fetch(url, { method: 'POST', headers: { ...headers, ...signed } });
      const body = (await res.json()) as { success?: unknown };
      if (res.status !== 200 || body.success !== true) throw new Error(`fetch: HTTP ${res.status}`);
    },
    close: async () => {},
  };
}

interface SdkHcClient {
  withCredential(credential: unknown): SdkHcClient;
  withEndpoints(endpoints: string[]): SdkHcClient;
  sendRequest(options: {
    method: string;
    url: string;
    contentType?: string;
    queryParams: Record<string, string>;
    pathParams: Record<string, string>;
    headers: Record<string, string>;
  }): Promise<{ httpStatusCode?: number; success?: unknown }>;
}
interface SdkModules {
  HcClient: new (httpClient: unknown) => SdkHcClient;
  DefaultHttpClient: new (options: Record<string, unknown>, endpoints: string[]) => unknown;
  BasicCredentials: new () => {
    withAk(ak: string): { withSk(sk: string): { withProjectId(id: string): unknown } };
  };
}

const require = createRequire(import.meta.url);
const noop = () => {};
const QUIET = {
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  setLevel: noop,
  getLevel: () => 'error',
  setName: noop,
};

function loadSdk(): SdkModules {
  const core = '@huaweicloud/huaweicloud-sdk-core';
  return {
    HcClient: require(`${core}/HcClient.js`).HcClient,
    DefaultHttpClient: require(`${core}/http/DefaultHttpClient.js`).DefaultHttpClient,
    BasicCredentials: require(`${core}/auth/BasicCredentials.js`).BasicCredentials,
  };
}

/**
 * Baseline (b): huaweicloud-sdk-core's own stack, as a generated service client drives it: HcClient.sendRequest →
 * BasicCredentials.processAuthRequest (AKSKSigner.sign, X-Project-Id) → DefaultHttpClient (axios, Node's global
 * keep-alive agent). Built without ClientBuilder, whose build() writes an application id under ~/.huaweicloud.
 * @example
 * const sdk = createSdkClient(target);
 */
export function createSdkClient(t: RefuseTarget): RefuseClient {
  const { HcClient, DefaultHttpClient, BasicCredentials } = loadSdk();
  // A no-op logger instead of log4js at ERROR: no console noise for expected failures, and never slower (conservative).
  const http = new DefaultHttpClient({ headers: { 'User-Agent': 'huaweicloud-usdk-nodejs/3.0' }, logger: QUIET }, [
    t.url,
  ]);
  const credential = new BasicCredentials().withAk(t.ak).withSk(t.sk).withProjectId(t.iamProjectId);
  const hc = new HcClient(http).withCredential(credential).withEndpoints([t.url]);
  const review = t.run.reviews[0];
  if (!review) throw new Error('the seeded run has no review');
  const pathParams = {
    cap_project_id: t.run.projectId,
    pipeline_id: t.run.pipelineId,
    pipeline_run_id: t.run.runId,
    job_run_id: review.jobRunId,
    step_run_id: review.stepRunId,
  };
  const url =
    '/v5/{cap_project_id}/api/pipelines/{pipeline_id}/pipeline-runs/{pipeline_run_id}' +
    '/jobs/{job_run_id}/steps/{step_run_id}/refuse';
  return {
    name: 'huaweicloud-sdk-core (axios)',
    async refuse() {
      const res = await hc.sendRequest({
        method: 'POST',
        url,
        queryParams: {},
        pathParams: { ...pathParams },
        headers: {},
      });
      if (res.httpStatusCode !== 200 || res.success !== true) throw new Error(`sdk: HTTP ${res.httpStatusCode}`);
    },
    close: async () => {},
  };
}
