import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { KNOWN_SECRETS, SECRET_SHAPES } from './known-secrets.js';

export interface LogScanHit {
  file: string;
  /** 1-based line number. */
  line: number;
  /** Which secret or shape matched (never the matched text). */
  what: string;
}

export interface LogScanResult {
  dir: string;
  files: number;
  lines: number;
  /** Secret values recorded at run time (`*.secrets` files) that were looked for besides the known ones. */
  recorded: number;
  hits: LogScanHit[];
}

/**
 * Scans every file of the run's log directory, line by line, for the known secret values, the values recorded in
 * `*.secrets` files and the secret shapes. Every other file counts as a log, whatever its name: nothing is skipped.
 * @example
 * const result = scanLogDir(dir);
 * if (result.hits.length) throw new Error(formatScan(result));
 */
export function scanLogDir(
  dir: string,
  known: ReadonlyArray<{ name: string; value: string }> = KNOWN_SECRETS,
  shapes: ReadonlyArray<{ name: string; pattern: RegExp }> = SECRET_SHAPES,
): LogScanResult {
  const names = readdirSync(dir).sort();
  const recorded = new Set<string>();
  for (const name of names.filter((n) => n.endsWith('.secrets'))) {
    for (const value of readFileSync(join(dir, name), 'utf8').split('\n')) if (value.length >= 8) recorded.add(value);
  }
  const needles = [...known, ...[...recorded].map((value) => ({ name: 'value recorded at run time', value }))];
  const result: LogScanResult = { dir, files: 0, lines: 0, recorded: recorded.size, hits: [] };
  for (const name of names) {
    const path = join(dir, name);
    if (name.endsWith('.secrets') || !statSync(path).isFile()) continue;
    result.files++;
    const lines = readFileSync(path, 'utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    lines.forEach((text, index) => {
      result.lines++;
      for (const { name: what, value } of needles) {
        if (text.includes(value)) result.hits.push({ file: name, line: index + 1, what });
      }
      for (const { name: what, pattern } of shapes) {
        if (pattern.test(text)) result.hits.push({ file: name, line: index + 1, what });
      }
    });
  }
  return result;
}

/** One line for the run's output: `log scan: 12 files, 3456 lines, 0 secrets (dir)`. */
export function formatScan(result: LogScanResult): string {
  const head = `log scan: ${result.files} files, ${result.lines} lines, ${result.hits.length} secrets`;
  if (result.hits.length === 0) return head;
  const shown = result.hits.slice(0, 20).map((h) => `  ${h.file}:${h.line} ${h.what}`);
  return [`${head} (logs kept in ${result.dir})`, ...shown].join('\n');
}
