import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VARIABLES } from '../../../src/app/config-variables.js';
import { ERROR_CODES } from '../../../src/core/errors.js';
import { configTable, errorTable, MARKERS, tableIn, withTable } from '../../support/readme-tables.js';

/** The README's configuration and error tables are generated from the code's tables and must match them. */
const path = join(import.meta.dirname, '..', '..', '..', 'README.md');

if (process.env.OPSGATE_UPDATE_README === '1') {
  let readme = readFileSync(path, 'utf8');
  readme = withTable(readme, MARKERS.config, configTable());
  readme = withTable(readme, MARKERS.errors, errorTable());
  writeFileSync(path, readme);
}
const readme = readFileSync(path, 'utf8');

describe('README', () => {
  it('lists every configuration variable, as config-variables.ts defines it', () => {
    expect(tableIn(readme, MARKERS.config)).toBe(configTable());
    for (const name of Object.keys(VARIABLES)) expect(readme).toContain(`| \`${name}\` |`);
  });

  it('lists every error code a person can meet with its HTTP status, exit code and words', () => {
    expect(tableIn(readme, MARKERS.errors)).toBe(errorTable());
  });

  it('names only error codes that exist', () => {
    const named = [...readme.matchAll(/`([A-Z]+\.[A-Z_]+)`/g)].map((m) => m[1]);
    const unknown = named.filter((code) => !(ERROR_CODES as readonly string[]).includes(code ?? ''));
    expect(unknown).toEqual([]);
  });
});
