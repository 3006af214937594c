import { OpsError } from '../../core/errors.js';
import type { Decision } from '../../core/ports.js';
import type { RunRef, YunxiaoRunRef } from '../../core/targets.js';
import { assertNumericId, assertOrganizationId } from '../../core/targets.js';
import type { HttpResponse } from '../../net/http-client.js';
import { badResponse, isSuccess, yunxiaoError } from './errors.js';

/** Shared by the two Yunxiao API generations: ref checks, organization choice, endpoint and response handling. */

export function asYunxiaoRef(ref: RunRef): YunxiaoRunRef {
  if (ref.cloud !== 'yunxiao') {
    throw new OpsError('INTERNAL.ERROR', 'Yunxiao provider called with a run of another cloud', { cloud: ref.cloud });
  }
  return ref;
}

/** The organization from the ref (pasted URL) or else from configuration, validated right before it enters a path. */
export function organizationOf(ref: YunxiaoRunRef, fallback: string | undefined): string {
  const org = ref.organizationId ?? fallback;
  if (org === undefined || org.length === 0) {
    throw new OpsError(
      'CONFIG.INVALID',
      'Yunxiao organization is unknown: put it in the URL (?organizationId=…) or set YUNXIAO_ORGANIZATION_ID',
      {
        variable: 'YUNXIAO_ORGANIZATION_ID',
      },
    );
  }
  return assertOrganizationId('organization', org);
}

export function runIds(ref: YunxiaoRunRef): { pipelineId: string; runId: string } {
  return { pipelineId: assertNumericId('pipeline', ref.pipelineId), runId: assertNumericId('run', ref.runId) };
}

/** `https://host[:port]` from a configured endpoint (a bare host gets https). */
export function endpointOrigin(endpoint: string): string {
  const withScheme = /^https?:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`;
  try {
    return new URL(withScheme).origin;
  } catch {
    throw new OpsError('CONFIG.INVALID', 'Yunxiao endpoint is not a URL', { variable: 'YUNXIAO_ENDPOINT' });
  }
}

/** Throws the mapped error unless the answer is a 2xx without `success:false`. */
export function expectSuccess(res: HttpResponse, label: string): void {
  if (!isSuccess(res)) throw yunxiaoError(res, label);
}

/** Request id of a successful answer (body or header), for the audit trail. */
export function requestIdOf(res: HttpResponse): string | undefined {
  const body = typeof res.json === 'object' && res.json !== null ? (res.json as Record<string, unknown>) : {};
  for (const v of [body.requestId, body.RequestId, res.headers['x-acs-request-id'], res.headers['x-request-id']]) {
    if (typeof v === 'string' && v.length > 0) return v;
  }
  return undefined;
}

export function requireJson(res: HttpResponse, label: string): unknown {
  if (res.json === undefined) throw badResponse(res, label, 'answer is not JSON');
  return res.json;
}

/**
 * Yunxiao checkpoints know pass and refuse only (RefusePipelineValidate / PassPipelineValidate); a postpone is refused
 * before any call rather than mapped to a refuse.
 * @example
 * yunxiaoVerb('approve'); // 'pass'
 */
export function yunxiaoVerb(decision: Decision): 'pass' | 'refuse' {
  if (decision === 'approve') return 'pass';
  if (decision === 'reject') return 'refuse';
  throw new OpsError('INPUT.BAD_ARGUMENT', 'a Yunxiao checkpoint takes approve or reject', {
    field: 'decision',
    expected: ['approve', 'reject'],
  });
}
