import type { WhoamiGrant, WhoamiReport } from '../operations/whoami.js';
import type { Approval } from '../store-ports.js';
import { runUrl } from '../targets.js';
import { type Locale, type Rendered, t } from './index.js';

/** `whoami` in words: the subjects, then one line per permission (granted by which role, via which subject, where). */
export function renderWhoami(locale: Locale, report: WhoamiReport): Omit<Rendered, 'ok'> {
  const lines = [
    report.context.length > 0
      ? t(locale, 'whoami.place', { context: report.context.join(', ') })
      : t(locale, 'whoami.noPlace'),
  ];
  for (const p of report.permissions) {
    lines.push(
      p.allowed
        ? t(locale, 'whoami.allowed', {
            permission: p.permission,
            grants: p.grantedBy.map((g) => grantWords(locale, g)).join('; '),
          })
        : t(locale, 'whoami.denied', { permission: p.permission }),
    );
  }
  if (report.rules.noSelfApproval) lines.push(t(locale, 'whoami.rule.noSelfApproval'));
  if (report.rules.twoApprovers.length > 0) {
    lines.push(t(locale, 'whoami.rule.twoApprovers', { pipelines: report.rules.twoApprovers.join(', ') }));
  }
  lines.push(t(locale, 'whoami.hint', { subjects: [report.subject, ...report.context].join(', ') }));
  return { title: t(locale, 'whoami.title', { subject: report.subject }), lines };
}

function grantWords(locale: Locale, grant: WhoamiGrant): string {
  const { huawei, yunxiao } = grant.scope;
  const parts: string[] = [];
  const add = (key: string, values: string[] | undefined) => {
    if (values?.length) parts.push(t(locale, `whoami.scope.${key}`, { list: values.join(', ') }));
  };
  add('projects', huawei?.projects);
  add('buildJobs', huawei?.buildJobs);
  add('domains', huawei?.domains);
  add('organizations', yunxiao?.organizations);
  add('pipelines', yunxiao?.pipelines);
  return t(locale, 'whoami.grant', {
    role: grant.role,
    via: grant.via,
    scope: parts.length > 0 ? parts.join(', ') : t(locale, 'whoami.scope.none'),
  });
}

/** `inbox` in words (CLI, DingTalk text): newest first, one line per approval with its run link. */
export function renderInbox(locale: Locale, approvals: readonly Approval[]): Omit<Rendered, 'ok'> {
  if (approvals.length === 0) return { title: t(locale, 'inbox.empty'), lines: [] };
  return {
    title: t(locale, 'inbox.title', { count: approvals.length }),
    lines: approvals.map((a) =>
      t(locale, 'inbox.item', {
        title: a.title ?? a.review.name,
        pipeline: a.runName ?? a.ref.pipelineId,
        number: a.runNumber ?? a.ref.runId,
        url: a.evidence?.url ?? runUrl(a.ref),
      }),
    ),
  };
}
