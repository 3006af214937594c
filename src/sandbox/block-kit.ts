import { displayWidth, padTo, type Style } from './style.js';

/** A Block Kit button as the bot sent it: what a click must carry back. */
export interface SlackButton {
  actionId: string;
  value: string;
  label: string;
  tone?: 'primary' | 'danger';
  confirm?: { title: string; text: string; yes: string; no: string };
}

export interface RenderedBlocks {
  lines: string[];
  buttons: SlackButton[];
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const textOf = (v: unknown): string => str(obj(v).text);

/**
 * Slack mrkdwn → terminal text: dates show their fallback, mentions `@U…`, links their label, `*bold*` bold, and the
 * three escaped characters unescaped (https://docs.slack.dev/messaging/formatting-message-text).
 */
export function mrkdwnToText(text: string, style: Style): string {
  return text
    .replace(/<!date\^\d+\^[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<@([A-Z0-9_]+)(?:\|[^>]*)?>/gi, '@$1')
    .replace(/<#[A-Z0-9]+\|([^>]*)>/gi, '#$1')
    .replace(/<!(here|channel|everyone)>/g, '@$1')
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, (_m, _url: string, label: string) => style.underline(label))
    .replace(/<(https?:[^>]+)>/g, '$1')
    .replace(/\*([^*\n]+)\*/g, (_m, inner: string) => style.bold(inner))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function plainOrMrkdwn(text: unknown, style: Style): string {
  const t = obj(text);
  return t.type === 'mrkdwn' ? mrkdwnToText(str(t.text), style) : str(t.text);
}

/** A field `*Label*\nvalue` reads `Label: value`. */
function field(text: unknown, style: Style): string {
  const raw = str(obj(text).text);
  const labelled = /^\*([^*\n]+)\*\n([\s\S]*)$/.exec(raw);
  if (labelled) return `${style.dim(`${labelled[1]}:`)} ${mrkdwnToText(labelled[2] ?? '', style).replace(/\n/g, ' ')}`;
  return plainOrMrkdwn(text, style).replace(/\n/g, ' ');
}

/** Fields two to a row when both fit in half the width, as Slack lays them out. */
function fieldRows(fields: string[], width: number): string[] {
  const half = Math.floor((width - 2) / 2);
  const rows: string[] = [];
  for (let i = 0; i < fields.length; i += 2) {
    const left = fields[i] ?? '';
    const right = fields[i + 1];
    if (right !== undefined && displayWidth(left) < half && displayWidth(right) <= half) {
      rows.push(`${padTo(left, half)}  ${right}`);
    } else {
      rows.push(left);
      if (right !== undefined) rows.push(right);
    }
  }
  return rows;
}

const same = (t: string) => t;
const PLAIN: Style = { bold: same, dim: same, green: same, red: same, yellow: same, cyan: same, underline: same };

function button(element: Obj): SlackButton {
  const confirm = obj(element.confirm);
  return {
    actionId: str(element.action_id),
    value: str(element.value),
    label: textOf(element.text),
    ...(element.style === 'primary' || element.style === 'danger' ? { tone: element.style } : {}),
    ...(element.confirm
      ? {
          confirm: {
            title: textOf(confirm.title),
            text: plainOrMrkdwn(confirm.text, PLAIN),
            yes: textOf(confirm.confirm) || 'Yes',
            no: textOf(confirm.deny) || 'Cancel',
          },
        }
      : {}),
  };
}

/**
 * Block Kit blocks → terminal lines (header, sections, fields, context, dividers, inputs) and the buttons of its
 * actions blocks, in order. Without blocks, the `text` fallback.
 * @example
 * const { lines, buttons } = renderBlocks(call.body.blocks, String(call.body.text), style, 76);
 */
export function renderBlocks(
  blocks: unknown,
  fallback: string | undefined,
  style: Style,
  width: number,
): RenderedBlocks {
  const lines: string[] = [];
  const buttons: SlackButton[] = [];
  const list = Array.isArray(blocks) ? blocks.map(obj) : [];
  for (const block of list) {
    switch (block.type) {
      case 'header':
        lines.push(style.bold(textOf(block.text)));
        break;
      case 'section': {
        if (block.text) lines.push(...plainOrMrkdwn(block.text, style).split('\n'));
        if (Array.isArray(block.fields))
          lines.push(
            ...fieldRows(
              block.fields.map((f) => field(f, style)),
              width,
            ),
          );
        break;
      }
      case 'context': {
        const parts = (Array.isArray(block.elements) ? block.elements : []).map((e) => plainOrMrkdwn(e, style));
        lines.push(style.dim(parts.join(' · ')));
        break;
      }
      case 'divider':
        lines.push(style.dim('─'.repeat(Math.min(width, 40))));
        break;
      case 'input':
        lines.push(`${style.bold(textOf(block.label))}: ${style.dim(textOf(obj(block.element).placeholder))}`);
        break;
      case 'actions':
        for (const element of Array.isArray(block.elements) ? block.elements.map(obj) : []) {
          if (element.type === 'button') buttons.push(button(element));
        }
        break;
    }
  }
  if (list.length === 0 && fallback) lines.push(...fallback.split('\n'));
  return { lines, buttons };
}
