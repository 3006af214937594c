import { VARIABLES } from '../../src/app/config-variables.js';
import type { Variable } from '../../src/app/config-types.js';
import { ERROR_CODES, ERROR_TABLE } from '../../src/core/errors.js';
import { en } from '../../src/core/i18n/en.js';

/**
 * The README's generated tables: the configuration reference from src/app/config-variables.ts and the error codes
 * from src/core/errors.ts (ERROR_TABLE) with their English words. test/unit/docs/readme.test.ts checks that the README
 * holds exactly these; `OPSGATE_UPDATE_README=1 npx vitest run test/unit/docs` rewrites them.
 */
export const MARKERS = {
  config: ['<!-- config-table:start (generated from src/app/config-variables.ts) -->', '<!-- config-table:end -->'],
  errors: [
    '<!-- error-table:start (generated from src/core/errors.ts and src/core/i18n/en.ts) -->',
    '<!-- error-table:end -->',
  ],
} as const;

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function configTable(): string {
  const rows = (Object.entries(VARIABLES) as Array<[string, Variable]>).map(([name, v]) => {
    const fallback = v.default !== undefined ? `\`${v.default}\`` : (v.defaultNote ?? '');
    const example = v.example ? (/^[\w./:-]+$/.test(v.example) ? `\`${v.example}\`` : v.example) : '';
    const secret = v.secret ? 'yes' : '';
    return `| \`${name}\` | ${cell(fallback)} | ${cell(example)} | ${secret} | ${cell(v.description)} |`;
  });
  return ['| variable | default | example | secret | meaning |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

export function errorTable(): string {
  const rows = ERROR_CODES.filter((code) => ERROR_TABLE[code].public).map((code) => {
    const info = ERROR_TABLE[code];
    return `| \`${code}\` | ${info.http} | ${info.exit} | ${cell(en[`error.${code}`])} |`;
  });
  return [
    '| code | HTTP | exit | message (English; placeholders filled in) |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** Replaces the text between a pair of markers. */
export function withTable(readme: string, markers: readonly [string, string], table: string): string {
  const start = readme.indexOf(markers[0]);
  const end = readme.indexOf(markers[1]);
  if (start < 0 || end < start) throw new Error(`README lacks ${markers[0]}`);
  return `${readme.slice(0, start + markers[0].length)}\n${table}\n${readme.slice(end)}`;
}

export function tableIn(readme: string, markers: readonly [string, string]): string | undefined {
  const start = readme.indexOf(markers[0]);
  const end = readme.indexOf(markers[1]);
  if (start < 0 || end < start) return undefined;
  return readme.slice(start + markers[0].length, end).trim();
}
