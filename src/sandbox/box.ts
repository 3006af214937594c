import { displayWidth, type Style, wrapLine } from './style.js';

/** A numbered button as shown under a message: `[1] Approve`. */
export interface ShownButton {
  n: number;
  label: string;
  tone?: 'primary' | 'danger';
}

export interface BoxInput {
  title: string;
  lines: string[];
  buttons?: ShownButton[];
  /** Thread replies are indented. */
  indent?: number;
  /** private: only one person sees it; update: a message rewritten; modal: a dialog waiting for input. */
  tone?: 'message' | 'private' | 'update' | 'modal';
}

/**
 * One message as a box in the terminal (left border only, so wide characters cannot break a right edge).
 * @example
 * box(style, 80, { title: '#1 · Slack #releases', lines: ['Manual review waiting'], buttons: [{ n: 1, label: 'Approve' }] });
 */
export function box(style: Style, width: number, input: BoxInput): string {
  const pad = ' '.repeat(input.indent ?? 0);
  const frame =
    input.tone === 'private'
      ? style.yellow
      : input.tone === 'update'
        ? style.green
        : input.tone === 'modal'
          ? style.yellow
          : style.cyan;
  const inner = Math.max(20, width - pad.length - 2);
  const top = `╭─ ${input.title} `;
  const rule = Math.max(3, Math.min(inner, 60) - displayWidth(top));
  const out = [pad + frame(top + '─'.repeat(rule))];
  for (const line of input.lines) {
    for (const part of line === '' ? [''] : wrapLine(line, inner)) out.push(`${pad}${frame('│')} ${part}`);
  }
  if (input.buttons?.length) {
    const shown = input.buttons.map((b) => {
      const label = b.tone === 'primary' ? style.green(b.label) : b.tone === 'danger' ? style.red(b.label) : b.label;
      return `${style.bold(`[${b.n}]`)} ${label}`;
    });
    out.push(`${pad}${frame('│')} ${shown.join('  ')}`);
  }
  out.push(pad + frame(`╰${'─'.repeat(Math.min(inner, 60))}`));
  return out.join('\n');
}
