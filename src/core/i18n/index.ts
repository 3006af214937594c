import type { OpsError } from '../errors.js';
import { scrub } from '../scrub.js';
import type { Outcome, Result } from '../outcome.js';
import { type RunRef, runUrl } from '../targets.js';
import { en } from './en.js';
import { renderInbox, renderWhoami } from './render-more.js';
import { zhCN } from './zh-cn.js';

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];
const CATALOGS: Record<Locale, Record<string, string>> = { en, 'zh-CN': zhCN };

/** Normalizes a platform's locale string (`zh_CN`, `zh-cn`, `en-US`…) to a supported one. */
export function toLocale(value: string | undefined, fallback: Locale = 'en'): Locale {
  if (!value) return fallback;
  const v = value.toLowerCase().replace('_', '-');
  if (v.startsWith('zh')) return 'zh-CN';
  if (v.startsWith('en')) return 'en';
  return fallback;
}

/** Looks a key up and fills `{placeholders}`; unknown placeholders stay visible rather than vanish. */
export function t(locale: Locale, key: string, vars: Record<string, unknown> = {}): string {
  const template = CATALOGS[locale][key] ?? en[key] ?? key;
  // Every word a person reads is made here: a value a cloud echoed (a secret in an error message) is scrubbed.
  return scrub(
    template.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const v = vars[name];
      if (v === undefined || v === null || v === '') {
        if (name === 'via') return ''; // an optional suffix ("(typed)")
        return name === 'providerCode' || name === 'providerMessage' ? '-' : whole;
      }
      return Array.isArray(v) ? v.join(', ') : String(v);
    }),
  );
}

/** Platform-neutral words for an outcome: adapters choose the markup. */
export interface Rendered {
  ok: boolean;
  title: string;
  lines: string[];
  code?: string;
  /** Subjects (`slack:U…`, `dingtalk:<staffId>`) the adapter mentions where its platform allows. */
  mentions?: string[];
}

export function renderOutcome(locale: Locale, outcome: Outcome): Rendered {
  if (!outcome.ok) return renderError(locale, outcome.error, outcome.requestId);
  return { ok: true, ...renderResult(locale, outcome.result) };
}

export function renderError(locale: Locale, error: OpsError, requestId?: string): Rendered {
  const meta = error.meta as Record<string, unknown>;
  const lines: string[] = [];
  if (Array.isArray(meta.reviews)) {
    for (const r of meta.reviews as Array<Record<string, string>>) {
      lines.push(`• ${r.name} [${r.stage || '-'}] (--step ${r.id})`);
    }
  }
  if (typeof meta.suggestion === 'string') lines.push(t(locale, 'hint.suggestion', meta));
  if (typeof meta.usage === 'string') lines.push(t(locale, 'hint.usage', meta));
  // The variable that would fix it (e.g. YUNXIAO_ORGANIZATION_ID); CLOUD_DISABLED already names its variables.
  if (typeof meta.variables === 'string' && meta.variables && error.code !== 'CONFIG.CLOUD_DISABLED') {
    lines.push(t(locale, 'hint.variables', meta));
  }
  // Unknown commands get help, not silence: every adapter shows the list of commands.
  if (error.code === 'INPUT.UNKNOWN_COMMAND') lines.push(t(locale, 'hint.commands'));
  if (Array.isArray(meta.forms)) lines.push(t(locale, 'hint.forms', { forms: (meta.forms as string[]).join(' | ') }));
  if (
    requestId &&
    (error.code.startsWith('PROVIDER') || error.code.startsWith('INTERNAL') || error.code === 'OUTCOME.UNKNOWN')
  ) {
    lines.push(t(locale, 'hint.requestId', { requestId }));
  }
  return {
    ok: false,
    code: error.code,
    title: t(locale, `error.${error.code}`, { ...meta, ...statusWords(locale, meta.status), message: error.message }),
    lines: lines.map(scrub),
  };
}

/** A status carried by an error (`other`, `decided-elsewhere`…) in words: no raw internal value reaches a person. */
function statusWords(locale: Locale, status: unknown): { status?: string } {
  if (typeof status !== 'string') return {};
  const key = `status.${status}`;
  return en[key] !== undefined ? { status: t(locale, key) } : {};
}

export function runLabel(ref: RunRef, name?: string): string {
  return name ? `${name} (${runUrl(ref)})` : runUrl(ref);
}

function renderResult(locale: Locale, result: Result): Omit<Rendered, 'ok'> {
  switch (result.kind) {
    case 'decided': {
      const lines: string[] = [];
      const kind = result.review.kind ?? 'review';
      if (result.note) lines.push(t(locale, result.decision === 'reject' ? 'result.reason' : 'result.comment', result));
      if (result.confirmedByReread) lines.push(t(locale, 'result.reread'));
      if (result.providerRequestId) lines.push(t(locale, 'result.providerRequestId', { id: result.providerRequestId }));
      return {
        title: t(
          locale,
          kind === 'review' ? `result.decided.${result.decision}` : `result.decided.${kind}.${result.decision}`,
          {
            review: result.review.name,
            run: runLabel(result.ref, result.runName),
          },
        ),
        lines,
      };
    }
    case 'pending': {
      const run = runLabel(result.run.ref, result.run.name);
      if (result.run.reviews.length === 0) {
        return { title: t(locale, 'result.pending.none', { run, status: result.run.status }), lines: [] };
      }
      return {
        title: t(locale, 'result.pending.header', { run, status: result.run.status }),
        lines: result.run.reviews.map((r) =>
          t(locale, 'result.pending.item', {
            mark: r.status === 'waiting' ? '⏳' : '•',
            kind: t(locale, `gate.${r.kind ?? 'review'}`),
            name: r.name,
            stage: r.stage ?? '-',
            state: t(locale, `status.${r.status}`),
            id: r.id,
          }),
        ),
      };
    }
    case 'notice-disabled':
      return { title: t(locale, 'result.notice.disabled', { type: result.noticeType, job: result.jobId }), lines: [] };
    case 'notice-updated':
      return {
        title: t(locale, 'result.notice.updated', {
          type: result.noticeType,
          job: result.jobId,
          events: result.events.join(', '),
        }),
        lines: [],
      };
    case 'notice-config': {
      const id = result.query.scope === 'project' ? result.query.projectId : result.query.domainId;
      const onOff = (v: number | undefined) => t(locale, v === 1 ? 'word.on' : 'word.off');
      return {
        title: t(locale, 'result.notice.config', { scope: t(locale, `word.${result.query.scope}`), id }),
        lines: Object.entries(result.config.rules).map(([event, rule]) =>
          t(locale, 'result.notice.rule', {
            event,
            mail: onOff(rule.sendMail),
            message: onOff(rule.sendMessage),
            roles: rule.sendRolesEnable === 1 ? rule.roles || '-' : t(locale, 'word.off'),
            users: rule.sendUsersEnable === 1 ? rule.userIds || '-' : t(locale, 'word.off'),
          }),
        ),
      };
    }
    case 'build-notice':
      return {
        title: t(locale, 'result.notice.build', { job: result.jobId }),
        lines: result.settings.settings.map((n) =>
          t(locale, 'result.notice.buildItem', {
            type: n.noticeType,
            on:
              Object.keys(n.events)
                .filter((e) => n.events[e])
                .join(', ') || t(locale, 'word.none'),
            params: t(locale, n.hasParamConfig ? 'word.set' : 'word.unset'),
          }),
        ),
      };
    case 'approval-partial':
      return {
        title: t(locale, 'result.partial', { count: result.approvers.length, needed: result.needed }),
        lines: [t(locale, 'approval.approvers', { approvers: result.approvers.join(', ') })],
      };
    case 'watching':
      return { title: t(locale, 'result.watching', { run: runLabel(result.ref) }), lines: [] };
    case 'whoami':
      return renderWhoami(locale, result.report);
    case 'inbox':
      return renderInbox(locale, result.approvals);
    case 'help':
      return renderHelp(locale, result.topic);
  }
}

const TOPICS = ['reject', 'approve', 'postpone', 'pending', 'notify', 'watch', 'whoami', 'inbox', 'help'];

export function renderHelp(locale: Locale, topic?: string): Omit<Rendered, 'ok'> {
  if (topic && !TOPICS.includes(topic)) return { title: t(locale, 'help.unknownTopic', { topic }), lines: [] };
  const topics = topic ? [topic] : TOPICS;
  return {
    title: t(locale, 'help.title'),
    lines: [...topics.map((name) => t(locale, `help.${name}`)), t(locale, 'help.targets')],
  };
}

/** Plain text (CLI, logs of what was said): title then indented lines. */
export function toPlainText(rendered: Rendered): string {
  return [rendered.title, ...rendered.lines.map((l) => `  ${l}`)].join('\n');
}
