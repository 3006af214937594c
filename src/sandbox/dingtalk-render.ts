import type { Style } from './style.js';

/**
 * Buttons of the card template the bot is built for (manifest/dingtalk/card-template.json): label, the `action` param
 * each sends, and the boolean variable that shows it (one group per gate kind).
 */
export const CARD_BUTTONS = [
  { group: 'review_actions', action: 'approve', label: '同意', tone: 'primary' },
  { group: 'review_actions', action: 'reject', label: '拒绝', tone: 'danger' },
  { group: 'stage_actions', action: 'approve', label: '准入', tone: 'primary' },
  { group: 'stage_actions', action: 'reject', label: '拒绝准入', tone: 'danger' },
  { group: 'delay_actions', action: 'approve', label: '立即执行', tone: 'primary' },
  { group: 'delay_actions', action: 'reject', label: '停止', tone: 'danger' },
  { group: 'delay_actions', action: 'postpone', label: '推迟 1 小时', tone: 'primary' },
] as const;

/** The card's components (title and tag, the summary, evidence and rule markdown, the status) with their values. */
export function cardLines(params: Record<string, string>, style: Style): string[] {
  const lines = [`${style.bold(params.title ?? '')}  ${style.dim(`[${params.status_tag ?? ''}]`)}`];
  for (const key of ['summary', 'evidence', 'gate', 'status_text']) {
    if (params[key]) lines.push(...markdownLines(params[key], style));
  }
  return lines;
}

/** The buttons the card shows now (each template button is visible while its group's variable is "true"). */
export function visibleButtons(params: Record<string, string>): Array<(typeof CARD_BUTTONS)[number]> {
  return CARD_BUTTONS.filter((b) => params[b.group] === 'true');
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
