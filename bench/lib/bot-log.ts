import { existsSync, readFileSync } from 'node:fs';

export interface LogSummary {
  /** Lines per pino level label. */
  levels: Record<string, number>;
  /** `msg (code)` of the first warn/error lines, for the report. */
  problems: string[];
}

/**
 * Reads the bot's JSON log (one pino line each) and counts lines per level; warnings and errors are listed.
 * @example
 * const { levels, problems } = summarizeLog(dir.path('bot.log')); // { levels: { info: 1200 }, problems: [] }
 */
export function summarizeLog(path: string, maxProblems = 5): LogSummary {
  const levels: Record<string, number> = {};
  const problems: string[] = [];
  if (!existsSync(path)) return { levels, problems };
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let entry: { level?: unknown; msg?: unknown; code?: unknown };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      levels.unparsed = (levels.unparsed ?? 0) + 1;
      continue;
    }
    const level = typeof entry.level === 'string' ? entry.level : String(entry.level);
    levels[level] = (levels[level] ?? 0) + 1;
    if ((level === 'warn' || level === 'error' || level === 'fatal') && problems.length < maxProblems) {
      problems.push(`${level}: ${String(entry.msg ?? '')}${entry.code ? ` (${String(entry.code)})` : ''}`);
    }
  }
  return { levels, problems };
}

/** "12000 info, 3 warn" */
export function levelsLine(levels: Record<string, number>): string {
  const parts = Object.entries(levels).map(([level, n]) => `${n} ${level}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}
