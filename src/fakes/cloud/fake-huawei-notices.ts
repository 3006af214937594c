import { z } from 'zod';
import { type FakeRoute, hexId, json, jsonBody } from './fake-http.js';

/**
 * CodeArts Build notification switches and CodeArts Check notification configuration. Build: UpdateNoticeRequestBody
 * (huaweicloud-sdk-go-v3 `services/codeartsbuild/v3/model/model_update_notice_request_body.go`: `send_switch` and
 * `use_project_notice` are strings) and ListNotice (`GET /v3/jobs/notice/{job_id}/query`, `model_list_notice_response.go`
 * + `model_query_job_notice_items.go`; example answer on https://support.huaweicloud.com/api-codeci/ShowJobNoticeConfigInfo.html).
 * The fake accepts both notice_type spellings and records which one was sent. An update without `send_switch` leaves
 * sending as it was (so an update after a disable must send `send_switch`); that rule is an assumption, not documented.
 */
const DOCUMENTED_EVENTS = ['buildJobFail', 'updateConfigJob', 'buildJobSuccess', 'deleteJob', 'forbiddenJob'];
const SPELLINGS: Record<string, { type: NoticeType; spelling: 'legacy' | 'current' }> = {
  message: { type: 'MESSAGE', spelling: 'legacy' },
  email: { type: 'MAIL', spelling: 'legacy' },
  DingTalk: { type: 'DING_TALK', spelling: 'legacy' },
  MESSAGE: { type: 'MESSAGE', spelling: 'current' },
  MAIL: { type: 'MAIL', spelling: 'current' },
  DING_TALK: { type: 'DING_TALK', spelling: 'current' },
  WECOM: { type: 'WECOM', spelling: 'current' },
  FEISHU: { type: 'FEISHU', spelling: 'current' },
};
export type NoticeType = 'MESSAGE' | 'MAIL' | 'DING_TALK' | 'WECOM' | 'FEISHU';
export interface NoticeState {
  enabled: boolean;
  events: string[];
  paramConfig?: string;
  useProjectNotice?: string;
}
export interface BuildJobState {
  notices: Record<NoticeType, NoticeState>;
  /** Every accepted change, with the notice_type spelling as sent. */
  history: Array<{ action: 'disable' | 'update'; noticeType: string; spelling: 'legacy' | 'current' }>;
}

export const CHECK_EVENTS = ['codeGateFailed', 'deleteTask', 'executeTask'] as const;
export type CheckEvent = (typeof CHECK_EVENTS)[number];
export interface NotificationRule {
  eventType: string;
  sendMail: number;
  sendMessage: number;
  roles: string;
  sendRolesEnable: number;
  userIds: string;
  sendUsersEnable: number;
}
export interface CheckConfigSpec {
  /** project (default) or tenant level. */
  level?: 'project' | 'tenant';
  projectId?: string;
  rules?: Partial<Record<CheckEvent, Partial<NotificationRule>>>;
}

const updateBody = z.object({
  notice_type: z.string(),
  enabled_event_type_names: z.array(z.string()),
  param_config: z.string().optional(),
  send_switch: z.string().optional(),
  use_project_notice: z.string().optional(),
});

export function createHuaweiNotices(domainId: string) {
  const jobs = new Map<string, BuildJobState>();
  const projectChecks = new Map<string, Record<CheckEvent, NotificationRule>>();
  let tenantCheck = checkRules();

  const badParam = (name: string) =>
    json(400, { error_code: 'CB.00060001', error_msg: `Invalid request parameter: ${name}` });
  const noJob = () => json(404, { error_code: 'CB.00060200', error_msg: 'The build job does not exist.' });
  const ok = (jobId: string) => json(200, { result: { job_id: jobId }, error: null, status: 'success' });
  const checkBad = () =>
    json(400, {
      error_code: 'CC.00000001.400',
      error_msg: 'Verify request parameter failed. Check whether the request parameters are correct.',
    });

  const routes: FakeRoute[] = [
    {
      method: 'POST',
      pattern: '/v3/jobs/notice/:jobId/disable',
      action: 'disable',
      run: ({ jobId = '' }, req) => {
        const job = jobs.get(jobId);
        if (!job) return noJob();
        const raw = req.query.get('notice_type') ?? '';
        const known = SPELLINGS[raw];
        if (!known) return badParam('notice_type');
        job.notices[known.type].enabled = false;
        job.history.push({ action: 'disable', noticeType: raw, spelling: known.spelling });
        return ok(jobId);
      },
    },
    {
      method: 'POST',
      pattern: '/v3/jobs/notice/:jobId/update',
      action: 'update',
      run: ({ jobId = '' }, req) => {
        const job = jobs.get(jobId);
        if (!job) return noJob();
        const body = updateBody.safeParse(jsonBody(req));
        if (!body.success) return badParam('body');
        const known = SPELLINGS[body.data.notice_type];
        if (!known) return badParam('notice_type');
        const before = job.notices[known.type].enabled;
        const sw = body.data.send_switch;
        const enabled = sw === 'true' ? true : sw === 'false' ? false : before;
        const state: NoticeState = { enabled, events: [...body.data.enabled_event_type_names] };
        if (body.data.param_config !== undefined) state.paramConfig = body.data.param_config;
        if (body.data.use_project_notice !== undefined) state.useProjectNotice = body.data.use_project_notice;
        job.notices[known.type] = state;
        job.history.push({ action: 'update', noticeType: body.data.notice_type, spelling: known.spelling });
        return ok(jobId);
      },
    },
    {
      method: 'GET',
      pattern: '/v3/jobs/notice/:jobId/query',
      action: 'query',
      run: ({ jobId = '' }) => {
        const job = jobs.get(jobId);
        if (!job) return noJob();
        const result = (Object.keys(job.notices) as NoticeType[]).map((type) => {
          const state = job.notices[type];
          const events = new Set([...DOCUMENTED_EVENTS, ...state.events]);
          return {
            notice_type: type,
            enable_map: Object.fromEntries([...events].map((e) => [e, state.enabled && state.events.includes(e)])),
            param_config: state.paramConfig ?? null,
          };
        });
        return json(200, { result, error: null, status: 'success' });
      },
    },
    {
      method: 'GET',
      pattern: '/v2/transmission/notification',
      action: 'notification',
      run: (_params, req) => {
        const level = req.query.get('is_check_project');
        const projectId = req.query.get('project_id');
        const domain = req.query.get('domain_id');
        if (level === '1' && projectId) {
          return checkOk(projectChecks.get(projectId) ?? checkRules());
        }
        if (level === '0' && domain) return checkOk(domain === domainId ? tenantCheck : checkRules());
        return checkBad();
      },
    },
  ];

  return {
    routes,
    addBuildJob(spec: { jobId?: string } = {}): string {
      const jobId = spec.jobId ?? hexId();
      const on = (): NoticeState => ({ enabled: true, events: ['buildJobFail', 'buildJobSuccess'] });
      const off = (): NoticeState => ({ enabled: false, events: [] });
      jobs.set(jobId, {
        notices: { MESSAGE: on(), MAIL: on(), DING_TALK: off(), WECOM: off(), FEISHU: off() },
        history: [],
      });
      return jobId;
    },
    buildJob(jobId: string): BuildJobState {
      const job = jobs.get(jobId);
      if (!job) throw new Error(`fake huawei: no build job ${jobId}`);
      return structuredClone(job);
    },
    setCheckConfig(spec: CheckConfigSpec = {}): { level: 'project' | 'tenant'; projectId?: string; domainId: string } {
      const rules = checkRules(spec.rules);
      if (spec.level === 'tenant') {
        tenantCheck = rules;
        return { level: 'tenant', domainId };
      }
      const projectId = spec.projectId ?? hexId();
      projectChecks.set(projectId, rules);
      return { level: 'project', projectId, domainId };
    },
  };
}

export type HuaweiNotices = ReturnType<typeof createHuaweiNotices>;

function checkRules(overrides: CheckConfigSpec['rules'] = {}): Record<CheckEvent, NotificationRule> {
  const rule = (eventType: CheckEvent): NotificationRule => ({
    eventType,
    sendMail: 1,
    sendMessage: 1,
    roles: 'project_admin',
    sendRolesEnable: 1,
    userIds: '',
    sendUsersEnable: 0,
    ...overrides[eventType],
  });
  return { codeGateFailed: rule('codeGateFailed'), deleteTask: rule('deleteTask'), executeTask: rule('executeTask') };
}

function checkOk(result: Record<CheckEvent, NotificationRule>) {
  return json(200, { result, httpStatus: 'OK', status: 'success' });
}
