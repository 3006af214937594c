import type { Style } from './style.js';

/**
 * Button labels and the `action` param each one sends, as in the card template the bot is built for
 * (manifest/dingtalk/card-template.json, buttonGroup).
 */
export const CARD_BUTTONS = [
  { action: 'approve', label: '批准 Approve', tone: 'primary' },
  { action: 'reject', label: '拒绝 Reject', tone: 'danger' },
] as const;

/** The card's components (template: header, markdown, link, status text) filled with its current parameters. */
export function cardLines(params: Record<string, string>, style: Style): string[] {
  const lines = [
    style.bold(params.title ?? ''),
    `${style.bold(params.cloud ?? '-')} · ${params.pipeline ?? '-'}`,
    `${style.dim('阶段 Stage:')} ${params.stage ?? '-'} · ${style.dim('步骤 Step:')} ${params.step ?? '-'}`,
    `${style.dim('发起人 Requested by:')} ${params.requester ?? '-'}`,
  ];
  if (params.run_url) lines.push(style.dim(`打开运行 Open the run: ${params.run_url}`));
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
