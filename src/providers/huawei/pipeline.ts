import { OpsError } from '../../core/errors.js';
import type { Decision, GateKind, Logger, ManualReview, PipelineProvider, ProviderAck } from '../../core/ports.js';
import { assertHuaweiId, type HuaweiRunRef, type RunRef } from '../../core/targets.js';
import { type HttpClient, seg } from '../../net/http-client.js';
import type { HuaweiAuth } from './auth.js';
import { createHuaweiCaller } from './call.js';
import { huaweiBadResponse, requestIdOf } from './errors.js';
import { createGateMatcher, type GateTasks, type TimeoutUnit } from './gates.js';
import { inspectionOf, type RunDetail, runDetailSchema, runViewOf } from './run-detail.js';

export interface HuaweiPipelineOptions {
  http: HttpClient;
  /** CodeArts Pipeline origin, e.g. https://cloudpipeline-ext.cn-north-4.myhuaweicloud.com */
  endpoint: string;
  auth: HuaweiAuth;
  logger?: Logger;
  /** Step `task` values per gate kind (defaults in gates.ts). */
  gateTasks?: Partial<GateTasks>;
  /** Unit of the checkpoint `timeout` input (default minutes; see gates.ts). */
  reviewTimeoutUnit?: TimeoutUnit;
}

/**
 * The action path segment per gate kind and decision (terraform-provider-huaweicloud
 * `huaweicloud/services/codeartspipeline/resource_huaweicloud_codearts_pipeline_action.go`, `actionHttpUrl`):
 * review → `jobs/{job}/steps/{step}/pass|refuse`; delay → `…/delay-pass|delay-refuse|delay`;
 * stage check → `steps/{pre_step}/manual/pass|refuse` (no job in the path).
 */
const ACTIONS: Record<GateKind, Partial<Record<Decision, string>>> = {
  review: { approve: 'pass', reject: 'refuse' },
  delay: { approve: 'delay-pass', reject: 'delay-refuse', postpone: 'delay' },
  'stage-check': { approve: 'manual/pass', reject: 'manual/refuse' },
};

/**
 * CodeArts Pipeline: run detail and the three human gates' decisions (API v5).
 * @example
 * const pipeline = createHuaweiPipeline({ http, endpoint, auth });
 * const run = await pipeline.getRun(ref);
 * await pipeline.decide(ref, run.reviews[0], 'reject');
 */
export function createHuaweiPipeline(options: HuaweiPipelineOptions): PipelineProvider {
  const { endpoint } = options;
  const call = createHuaweiCaller(options);
  const matcher = createGateMatcher(options.gateTasks);
  const unit = options.reviewTimeoutUnit ?? 'minutes';

  function runPath(ref: RunRef): { ref: HuaweiRunRef; base: string } {
    if (ref.cloud !== 'huawei') {
      throw new OpsError('INPUT.BAD_TARGET', 'not a Huawei CodeArts run', { cloud: ref.cloud });
    }
    const project = assertHuaweiId('project', ref.projectId);
    const pipeline = assertHuaweiId('pipeline', ref.pipelineId);
    assertHuaweiId('run', ref.runId);
    return { ref, base: `/v5/${seg(project)}/api/pipelines/${seg(pipeline)}/pipeline-runs` };
  }

  async function readRun(ref: RunRef): Promise<{ run: RunDetail; ref: HuaweiRunRef }> {
    const { ref: href, base } = runPath(ref);
    const label = 'huawei.pipeline.detail';
    const res = await call({
      origin: endpoint,
      method: 'GET',
      path: `${base}/detail`,
      query: { pipeline_run_id: href.runId },
      idempotent: true,
      label,
    });
    const parsed = runDetailSchema.safeParse(res.json);
    if (!parsed.success) throw huaweiBadResponse(res, label, 'run detail does not match the documented shape');
    return { run: parsed.data, ref: href };
  }

  return {
    cloud: 'huawei',

    async getRun(ref) {
      const { run, ref: href } = await readRun(ref);
      return runViewOf(run, href, matcher, unit);
    },

    async inspect(ref) {
      const { run, ref: href } = await readRun(ref);
      return inspectionOf(run, href, matcher);
    },

    async decide(ref, review: ManualReview, decision: Decision): Promise<ProviderAck> {
      const { base, ref: href } = runPath(ref);
      const kind = review.kind ?? 'review';
      const action = ACTIONS[kind][decision];
      if (!action) {
        const accepted = Object.keys(ACTIONS[kind]);
        throw new OpsError('INPUT.BAD_ARGUMENT', `a ${kind} gate takes ${accepted.join(' or ')}`, {
          field: 'decision',
          expected: accepted,
        });
      }
      const step = assertHuaweiId('step-run', review.id);
      const path =
        kind === 'stage-check'
          ? `${base}/${seg(href.runId)}/steps/${seg(step)}/${action}`
          : `${base}/${seg(href.runId)}/jobs/${seg(assertHuaweiId('job-run', review.jobId))}/steps/${seg(step)}/${action}`;
      const label = `huawei.pipeline.${action.replace('/', '-')}`;
      // A decision is not repeated blindly: after an unclear outcome the core reads the run again.
      const res = await call({ origin: endpoint, method: 'POST', path, idempotent: false, label });
      const body = res.json as { success?: unknown } | undefined;
      // AcceptManualReview/RejectManualReview document `{success: boolean}` (SDK model_accept_manual_review_response.go);
      // the delay and check-point answers are not documented: only an explicit `success: false` fails them.
      if (kind === 'review' ? body?.success !== true : body?.success === false) {
        throw huaweiBadResponse(res, label, 'success is not true');
      }
      const ack: ProviderAck = {};
      const requestId = requestIdOf(res);
      if (requestId) ack.requestId = requestId;
      return ack;
    },
  };
}
