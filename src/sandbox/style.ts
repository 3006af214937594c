import { stripVTControlCharacters } from 'node:util';

/** Terminal styling for the sandbox: ANSI colours when the output is a terminal, plain text otherwise. */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  underline(text: string): string;
}

/**
 * @example
 * const style = createStyle(process.stdout.isTTY && !process.env.NO_COLOR);
 * style.bold('Approve'); // '\x1b[1mApprove\x1b[22m' or 'Approve'
 */
export function createStyle(color: boolean): Style {
  const wrap = (open: number, close: number) => (text: string) => (color ? `\x1b[${open}m${text}\x1b[${close}m` : text);
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    green: wrap(32, 39),
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
    underline: wrap(4, 24),
  };
}

/** Text without ANSI escapes. */
export function stripAnsi(text: string): string {
  return stripVTControlCharacters(text);
}

/** East Asian wide characters take two columns (enough for CJK text on cards; not a full wcwidth). */
function charWidth(code: number): number {
  if (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6)
  ) {
    return 2;
  }
  return 1;
}

/** Columns the text takes on a terminal. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of stripAnsi(text)) width += charWidth(ch.codePointAt(0) ?? 0);
  return width;
}

/** Pads with spaces to `width` columns. */
export function padTo(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/**
 * Wraps one line to `width` columns at spaces (a word longer than the line, such as a URL, is cut). Styled text is
 * wrapped only when it has no escapes inside, so colours never split.
 */
export function wrapLine(line: string, width: number): string[] {
  if (displayWidth(line) <= width || width < 10) return [line];
  if (line !== stripAnsi(line)) return [line];
  const out: string[] = [];
  let current = '';
  for (const word of line.split(' ')) {
    const candidate = current ? `${current} ${word}` : word;
    if (displayWidth(candidate) <= width) {
      current = candidate;
      continue;
    }
    if (current) out.push(current);
    current = word;
    while (displayWidth(current) > width) {
      let cut = '';
      for (const ch of current) {
        if (displayWidth(cut + ch) > width) break;
        cut += ch;
      }
      out.push(cut);
      current = current.slice(cut.length);
    }
  }
  if (current) out.push(current);
  return out;
}
