import type { Style } from './style.js';

/**
 * The card template's fixed words (manifest/dingtalk/card-template.json carries both languages side by side). The
 * sandbox shows one language per line: the one the bot filled the card's parameters in.
 */
const LABELS = {
  zh: { approve: '批准', reject: '拒绝', stage: '阶段:', step: '步骤:', requester: '发起人:', run: '打开运行:' },
  en: {
    approve: 'Approve',
    reject: 'Reject',
    stage: 'Stage:',
    step: 'Step:',
    requester: 'Requested by:',
    run: 'Open the run:',
  },
} as const;

function labelsFor(params: Record<string, string>) {
  return /[\u4e00-\u9fff]/.test(`${params.title ?? ''}${params.status_text ?? ''}`) ? LABELS.zh : LABELS.en;
}

/** Buttons and the `action` param each one sends, as in the card template's buttonGroup. */
export function cardButtons(params: Record<string, string>) {
  const labels = labelsFor(params);
  return [
    { action: 'approve', label: labels.approve, tone: 'primary' },
    { action: 'reject', label: labels.reject, tone: 'danger' },
  ] as const;
}

/** The card's components (template: header, markdown, link, status text) filled with its current parameters. */
export function cardLines(params: Record<string, string>, style: Style): string[] {
  const l = labelsFor(params);
  const lines = [
    style.bold(params.title ?? ''),
    `${style.bold(params.cloud ?? '-')} · ${params.pipeline ?? '-'}`,
    `${style.dim(l.stage)} ${params.stage ?? '-'} · ${style.dim(l.step)} ${params.step ?? '-'}`,
    `${style.dim(l.requester)} ${params.requester ?? '-'}`,
  ];
  if (params.run_url) lines.push(style.dim(`${l.run} ${params.run_url}`));
  if (params.status_text) lines.push(params.status_text);
  return lines;
}

/** Whether the card shows its buttons now (the template's `visibleWhen: ${actions_visible} == 'true'`). */
export function buttonsVisible(params: Record<string, string>): boolean {
  return params.actions_visible === 'true';
}

/** DingTalk markdown → terminal lines: `**bold**`, links as `text (url)`, paragraphs without blank lines between. */
export function markdownLines(text: string, style: Style): string[] {
  return text
    .replace(/\*\*([^*]+)\*\*/g, (_m, inner: string) => style.bold(inner))
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)')
    .split(/\n+/)
    .map((line) => line.trimEnd());
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The text of a robot message: webhook bodies (`{msgtype, markdown | text}`) or OpenAPI msgParam (`{title, text}`). */
export function messageText(content: Record<string, unknown>): string {
  if (content.msgtype === 'markdown') return str(obj(content.markdown).text);
  if (content.msgtype === 'text') return str(obj(content.text).content);
  return typeof content.text === 'string' ? content.text : str(content.content);
}
