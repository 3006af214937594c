import { OpsError } from './errors.js';

/**
 * A pipeline run in one of the two clouds, named by IDs only. IDs are validated here, once, before anything can
 * put them in a URL path (CodeArts: 32 letters/digits; Yunxiao: numeric pipeline and run).
 */
export type HuaweiRunRef = {
  cloud: 'huawei';
  /** Region taken from a pasted devcloud URL host, when there was one. */
  region?: string;
  projectId: string;
  pipelineId: string;
  runId: string;
  jobRunId?: string;
  stepRunId?: string;
};

export type YunxiaoRunRef = {
  cloud: 'yunxiao';
  /** Taken from the URL when present, else from configuration (YUNXIAO_ORGANIZATION_ID). */
  organizationId?: string;
  pipelineId: string;
  runId: string;
  jobId?: string;
};

export type RunRef = HuaweiRunRef | YunxiaoRunRef;
export type Cloud = RunRef['cloud'];

const HUAWEI_ID = /^[A-Za-z0-9]{32}$/;
const NUMERIC_ID = /^[1-9][0-9]{0,18}$/;
const ORG_ID = /^[A-Za-z0-9_-]{1,64}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$/;

export const ID_FORMS = {
  huawei: '32 letters or digits',
  numeric: 'a number',
  organization: 'letters, digits, "-" or "_" (1-64)',
} as const;

export function assertHuaweiId(field: string, value: string): string {
  if (!HUAWEI_ID.test(value)) {
    throw new OpsError('INPUT.BAD_ID', `${field} must be ${ID_FORMS.huawei}`, {
      field,
      expected: ID_FORMS.huawei,
    });
  }
  return value;
}

export function assertNumericId(field: string, value: string): string {
  if (!NUMERIC_ID.test(value)) {
    throw new OpsError('INPUT.BAD_ID', `${field} must be ${ID_FORMS.numeric}`, { field, expected: ID_FORMS.numeric });
  }
  return value;
}

export function assertOrganizationId(field: string, value: string): string {
  if (!ORG_ID.test(value)) {
    throw new OpsError('INPUT.BAD_ID', `${field} must be ${ID_FORMS.organization}`, {
      field,
      expected: ID_FORMS.organization,
    });
  }
  return value;
}

/** Validates every ID of a ref (for refs that did not come from the parser, e.g. from a store or an HTTP body). */
export function validateRunRef(ref: RunRef): RunRef {
  if (ref.cloud === 'huawei') {
    assertHuaweiId('project', ref.projectId);
    assertHuaweiId('pipeline', ref.pipelineId);
    assertHuaweiId('run', ref.runId);
    if (ref.jobRunId !== undefined) assertHuaweiId('job-run', ref.jobRunId);
    if (ref.stepRunId !== undefined) assertHuaweiId('step-run', ref.stepRunId);
    if (ref.region !== undefined && !REGION.test(ref.region)) {
      throw new OpsError('INPUT.BAD_TARGET', 'region is not a region name', { field: 'region' });
    }
  } else {
    if (ref.organizationId !== undefined) assertOrganizationId('organization', ref.organizationId);
    assertNumericId('pipeline', ref.pipelineId);
    assertNumericId('run', ref.runId);
    if (ref.jobId !== undefined) assertNumericId('job', ref.jobId);
  }
  return ref;
}

const DEVCLOUD_HOST = /^devcloud\.([a-z0-9-]+)\.huaweicloud\.com$/;
const FLOW_HOSTS = new Set(['flow.aliyun.com', 'devops.aliyun.com']);

/**
 * Parses a run URL people paste from the consoles:
 * - `https://devcloud.{region}.huaweicloud.com/cicd/project/{project}/pipeline/detail/{pipeline}/{run}?v=1`
 * - `https://flow.aliyun.com/pipelines/{pipeline}/builds/{run}[?organizationId=…]`
 * - `https://devops.aliyun.com/organization/{org}/…/pipelines/{pipeline}/builds/{run}`
 * Returns undefined when the text is not a URL at all, throws INPUT.BAD_TARGET when it is a URL we cannot use.
 */
export function parseRunUrl(text: string): RunRef | undefined {
  const trimmed = text.trim().replace(/^<|>$/g, '').split('|')[0] ?? '';
  if (!/^https?:\/\//i.test(trimmed)) return undefined;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new OpsError('INPUT.BAD_TARGET', 'not a valid URL', { expected: RUN_URL_FORMS });
  }
  const host = url.hostname.toLowerCase();
  // Decode nothing: an encoded "/" or ".." in a segment must fail ID validation, not become a path.
  const segments = url.pathname.split('/').filter((s) => s.length > 0);
  const devcloud = DEVCLOUD_HOST.exec(host);
  if (devcloud) {
    const at = segments.indexOf('project');
    const detail = segments.indexOf('detail');
    const projectId = segments[at + 1];
    const pipelineId = segments[detail + 1];
    const runId = segments[detail + 2];
    if (at < 0 || detail < 0 || !projectId || !pipelineId || !runId) {
      throw new OpsError('INPUT.BAD_TARGET', 'CodeArts URL does not name a pipeline run', { expected: RUN_URL_FORMS });
    }
    return validateRunRef({ cloud: 'huawei', region: devcloud[1], projectId, pipelineId, runId }) as HuaweiRunRef;
  }
  if (FLOW_HOSTS.has(host)) {
    const p = segments.indexOf('pipelines');
    const pipelineId = segments[p + 1];
    const kind = segments[p + 2];
    const runId = segments[p + 3];
    if (p < 0 || !pipelineId || (kind !== 'builds' && kind !== 'runs') || !runId) {
      throw new OpsError(
        'INPUT.BAD_TARGET',
        'Yunxiao URL does not name a pipeline run (…/pipelines/{id}/builds/{run})',
        {
          expected: RUN_URL_FORMS,
        },
      );
    }
    const o = segments.indexOf('organization');
    const organizationId = url.searchParams.get('organizationId') ?? (o >= 0 ? segments[o + 1] : undefined);
    const ref: YunxiaoRunRef = { cloud: 'yunxiao', pipelineId, runId };
    if (organizationId) ref.organizationId = organizationId;
    return validateRunRef(ref);
  }
  throw new OpsError('INPUT.BAD_TARGET', 'URL is not a CodeArts or Yunxiao pipeline run', { expected: RUN_URL_FORMS });
}

export const RUN_URL_FORMS = [
  'https://devcloud.<region>.huaweicloud.com/cicd/project/<project>/pipeline/detail/<pipeline>/<run>',
  'https://flow.aliyun.com/pipelines/<pipeline>/builds/<run>',
  'huawei <project> <pipeline> <run> [<job-run> <step-run>]',
  'yunxiao <organization> <pipeline> <run> [<job>]',
] as const;

/** Builds the console URL of a run, for messages. */
export function runUrl(ref: RunRef, defaultRegion = 'cn-north-4'): string {
  if (ref.cloud === 'huawei') {
    return `https://devcloud.${ref.region ?? defaultRegion}.huaweicloud.com/cicd/project/${ref.projectId}/pipeline/detail/${ref.pipelineId}/${ref.runId}?v=1`;
  }
  const org = ref.organizationId ? `?organizationId=${encodeURIComponent(ref.organizationId)}` : '';
  return `https://flow.aliyun.com/pipelines/${ref.pipelineId}/builds/${ref.runId}${org}`;
}

/** A short stable key for a run (dedupe keys, approval keys, logs). */
export function runKey(ref: RunRef): string {
  return ref.cloud === 'huawei'
    ? `huawei/${ref.projectId}/${ref.pipelineId}/${ref.runId}`
    : `yunxiao/${ref.organizationId ?? '-'}/${ref.pipelineId}/${ref.runId}`;
}
