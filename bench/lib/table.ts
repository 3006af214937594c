export type Cell = string | number | undefined;
export type Row = Record<string, Cell>;

/**
 * A GitHub markdown table; columns are the keys of the first row unless given. Numbers are rounded for reading.
 * @example
 * markdownTable([{ client: 'ours', rps: 8123.4 }, { client: 'fetch', rps: 6010 }]);
 * // | client | rps |\n| --- | ---: |\n| ours | 8123 |\n| fetch | 6010 |
 */
export function markdownTable(rows: readonly Row[], columns?: readonly string[]): string {
  const cols = columns ?? Object.keys(rows[0] ?? {});
  if (cols.length === 0) return '';
  const numeric = cols.map((c) => rows.length > 0 && rows.every((r) => typeof r[c] === 'number' || r[c] === undefined));
  const head = `| ${cols.join(' | ')} |`;
  const rule = `| ${numeric.map((n) => (n ? '---:' : '---')).join(' | ')} |`;
  const body = rows.map((r) => `| ${cols.map((c) => formatCell(r[c]).replace(/\|/g, '\\|')).join(' | ')} |`);
  return [head, rule, ...body].join('\n');
}

/** Three significant digits below 100, integers above (latencies in ms, ratios, rates). */
export function formatCell(value: Cell): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toString();
  return Number(value.toPrecision(3)).toString();
}
