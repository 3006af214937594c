import type { PipelineProvider } from '../src/core/ports.js';
import { type FakeCloud, startFakeCloud } from '../src/fakes/cloud/fake-cloud.js';
import { seedDemo } from '../src/fakes/cloud/seed.js';
import { createHttpClient, type HttpClient } from '../src/net/http-client.js';
import { createTokenAuth } from '../src/providers/huawei/auth.js';
import { createIamTokenSource, type IamTokenOptions, type IamTokenSource } from '../src/providers/huawei/iam-token.js';
import { createHuaweiProviders, defaultHuaweiEndpoints } from '../src/providers/huawei/index.js';
import { createHuaweiPipeline } from '../src/providers/huawei/pipeline.js';
import { numberArgs } from './lib/args.js';
import { machineInfo, machineLine } from './lib/machine.js';
import { runIfMain } from './lib/main.js';
import { type MeasureResult, measure } from './lib/measure.js';
import { median } from './lib/stats.js';
import { markdownTable, type Row } from './lib/table.js';

/**
 * Benchmark 2: `callers` concurrent pipeline.getRun calls in IAM-token mode on a cold token cache. Ours shares one
 * in-flight IAM request; the baseline is a naive source that fetches whenever its cache is empty (no sharing).
 * Fake cloud in this process (loopback, 0 ms); each round uses new providers and a new HTTP client (cold cache).
 */
export const DEFAULTS = { callers: 1_000, rounds: 3, maxMs: 60_000 };

type Variant = { name: string; build: (cloud: FakeCloud, http: HttpClient) => PipelineProvider };

function tokenOptions(cloud: FakeCloud, http: HttpClient): IamTokenOptions {
  const { iamUser, iamPassword, iamDomain } = cloud.huawei.credentials;
  return {
    http,
    iamEndpoint: cloud.url,
    user: iamUser,
    password: iamPassword,
    domain: iamDomain,
    project: { name: 'cn-north-4' },
    now: Date.now,
  };
}

/** Same IAM request and parsing as ours (a fresh createIamTokenSource per fetch), minus the in-flight sharing. */
function createNaiveTokenSource(options: IamTokenOptions): IamTokenSource {
  let cached: string | undefined;
  return {
    async get() {
      if (cached !== undefined) return cached;
      const token = await createIamTokenSource(options).get();
      cached = token;
      return token;
    },
    invalidate(token) {
      if (cached === token) cached = undefined;
    },
  };
}

const VARIANTS: Variant[] = [
  {
    name: 'ours (createIamTokenSource)',
    build: (cloud, http) => {
      const { iamUser, iamPassword, iamDomain } = cloud.huawei.credentials;
      const u = cloud.url;
      return createHuaweiProviders(
        {
          region: 'cn-north-4',
          auth: { kind: 'token', user: iamUser, password: iamPassword, domain: iamDomain },
          endpoints: defaultHuaweiEndpoints('cn-north-4', { iam: u, pipeline: u, build: u, check: u }),
          noticeSpelling: 'current',
        },
        { http, now: Date.now },
      ).pipeline;
    },
  },
  {
    name: 'baseline: naive cache, no in-flight sharing',
    build: (cloud, http) => {
      const auth = createTokenAuth(createNaiveTokenSource(tokenOptions(cloud, http)));
      return createHuaweiPipeline({ http, endpoint: cloud.url, auth });
    },
  },
];

interface Sample {
  result: MeasureResult;
  tokenRequests: number;
  fakeCalls: number;
}

export async function main(argv: readonly string[] = []): Promise<string> {
  const opts = numberArgs(argv, DEFAULTS);
  const machine = machineInfo();
  const cloud = await startFakeCloud();
  const { huaweiSingle } = seedDemo(cloud);
  const ref = { cloud: 'huawei' as const, ...pick(huaweiSingle) };
  const samples = new Map<string, Sample[]>(VARIANTS.map((v) => [v.name, []]));
  try {
    for (let round = 0; round < opts.rounds; round++) {
      const order = round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
      for (const variant of order) {
        const http = createHttpClient();
        const pipeline = variant.build(cloud, http);
        const tokensBefore = cloud.iamTokenRequests;
        const callsBefore = cloud.calls.length;
        const result = await measure(variant.name, () => pipeline.getRun(ref), {
          count: opts.callers,
          concurrency: opts.callers,
          maxMs: opts.maxMs,
        });
        await http.close();
        if (result.errors > 0) throw new Error(`${variant.name}: ${result.errors} errors (${result.firstError})`);
        const sample = {
          result,
          tokenRequests: cloud.iamTokenRequests - tokensBefore,
          fakeCalls: cloud.calls.length - callsBefore,
        };
        samples.get(variant.name)?.push(sample);
        cloud.calls.length = 0;
      }
    }
  } finally {
    await cloud.close();
  }
  const ours = samples.get(VARIANTS[0]?.name ?? '') ?? [];
  const bad = ours.find((s) => s.tokenRequests !== 1);
  if (bad) throw new Error(`ours made ${bad.tokenRequests} IAM token requests on a cold cache (expected exactly 1)`);
  const rows: Row[] = VARIANTS.map((v) => {
    const ss = samples.get(v.name) ?? [];
    return {
      source: v.name,
      'IAM token requests per round': ss.map((s) => s.tokenRequests).join(', '),
      'requests to the fake (median)': median(ss.map((s) => s.fakeCalls)),
      'wall ms (median)': median(ss.map((s) => s.result.ms)),
      'p50 ms': median(ss.map((s) => s.result.p50)),
      'p99 ms': median(ss.map((s) => s.result.p99)),
    };
  });
  return [
    '### IAM token: cold cache under concurrency',
    '',
    `${opts.callers} concurrent pipeline.getRun calls, IAM token auth, ${opts.rounds} rounds (new providers, HTTP ` +
      `client and token cache each round); fake cloud in this process. Machine: ${machineLine(machine)}.`,
    '',
    markdownTable(rows),
    '',
  ].join('\n');
}

function pick(seed: { projectId: string; pipelineId: string; runId: string }) {
  return { projectId: seed.projectId, pipelineId: seed.pipelineId, runId: seed.runId };
}

runIfMain(import.meta.url, main);
