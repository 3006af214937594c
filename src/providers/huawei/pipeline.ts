import { z } from 'zod';
import { OpsError } from '../../core/errors.js';
import type { Decision, Logger, ManualReview, PipelineProvider, ProviderAck, RunView } from '../../core/ports.js';
import { assertHuaweiId, type HuaweiRunRef, type RunRef } from '../../core/targets.js';
import { type HttpClient, seg } from '../http.js';
import type { HuaweiAuth } from './auth.js';
import { createHuaweiCaller } from './call.js';
import { huaweiBadResponse, requestIdOf, truncate } from './errors.js';
import { createManualReviewMatcher, isFinishedRunStatus } from './manual-review.js';

export interface HuaweiPipelineOptions {
  http: HttpClient;
  /** CodeArts Pipeline origin, e.g. https://cloudpipeline-ext.cn-north-4.myhuaweicloud.com */
  endpoint: string;
  auth: HuaweiAuth;
  logger?: Logger;
  /** Step `task` values that are manual reviews (default: official_devcloud_manualReview). */
  manualReviewTasks?: readonly string[];
}

const text = z.string().nullish();
const stepSchema = z.object({ id: text, name: text, task: text, business_type: text, status: text });
const jobSchema = z.object({ id: text, name: text, status: text, steps: z.array(stepSchema).nullish() });
const stageSchema = z.object({ id: text, name: text, status: text, jobs: z.array(jobSchema).nullish() });
const runSchema = z.object({
  id: text,
  name: text,
  status: z.string(),
  run_number: z.union([z.number(), z.string()]).nullish(),
  stages: z.array(stageSchema).nullish(),
});

/**
 * CodeArts Pipeline: run detail and manual-review pass/refuse (API v5).
 * @example
 * const pipeline = createHuaweiPipeline({ http, endpoint, auth });
 * const run = await pipeline.getRun(ref);
 * await pipeline.decide(ref, run.reviews[0], 'reject');
 */
export function createHuaweiPipeline(options: HuaweiPipelineOptions): PipelineProvider {
  const { endpoint } = options;
  const call = createHuaweiCaller(options);
  const matcher = createManualReviewMatcher(options.manualReviewTasks);

  function runPath(ref: RunRef): { ref: HuaweiRunRef; base: string } {
    if (ref.cloud !== 'huawei') {
      throw new OpsError('INPUT.BAD_TARGET', 'not a Huawei CodeArts run', { cloud: ref.cloud });
    }
    const project = assertHuaweiId('project', ref.projectId);
    const pipeline = assertHuaweiId('pipeline', ref.pipelineId);
    assertHuaweiId('run', ref.runId);
    return { ref, base: `/v5/${seg(project)}/api/pipelines/${seg(pipeline)}/pipeline-runs` };
  }

  return {
    cloud: 'huawei',

    async getRun(ref) {
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
      const parsed = runSchema.safeParse(res.json);
      if (!parsed.success) throw huaweiBadResponse(res, label, 'run detail does not match the documented shape');
      const run = parsed.data;
      const reviews: ManualReview[] = [];
      for (const stage of run.stages ?? []) {
        for (const job of stage.jobs ?? []) {
          for (const step of job.steps ?? []) {
            if (!matcher.isManualReview(step) || !job.id || !step.id) continue;
            const review: ManualReview = {
              id: step.id,
              jobId: job.id,
              name: step.name || job.name || step.id,
              status: matcher.reviewStatus(step.status),
            };
            if (stage.name) review.stage = stage.name;
            if (step.status) review.rawStatus = truncate(step.status, 64);
            reviews.push(review);
          }
        }
      }
      const view: RunView = {
        ref: href,
        status: run.status,
        finished: isFinishedRunStatus(run.status),
        reviews,
      };
      if (run.name) view.name = run.name;
      const runNumber = Number(run.run_number);
      if (run.run_number != null && Number.isSafeInteger(runNumber)) view.runNumber = runNumber;
      return view;
    },

    async decide(ref, review, decision: Decision): Promise<ProviderAck> {
      const { base, ref: href } = runPath(ref);
      const job = assertHuaweiId('job-run', review.jobId);
      const step = assertHuaweiId('step-run', review.id);
      const action = decision === 'approve' ? 'pass' : decision === 'reject' ? 'refuse' : undefined;
      if (!action)
        throw new OpsError('INPUT.BAD_ARGUMENT', 'decision must be approve or reject', { field: 'decision' });
      const label = `huawei.pipeline.${action}`;
      const res = await call({
        origin: endpoint,
        method: 'POST',
        path: `${base}/${seg(href.runId)}/jobs/${seg(job)}/steps/${seg(step)}/${action}`,
        // A decision is not repeated blindly: after an unclear outcome the core reads the run again.
        idempotent: false,
        label,
      });
      const body = res.json as { success?: unknown } | undefined;
      if (body?.success !== true) throw huaweiBadResponse(res, label, 'success is not true');
      const ack: ProviderAck = {};
      const requestId = requestIdOf(res);
      if (requestId) ack.requestId = requestId;
      return ack;
    },
  };
}
