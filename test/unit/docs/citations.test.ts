import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Comments cite documents that exist: a path like `docs/…`, `reference/…` or `notes/…` ending in .md/.json/.yaml
 * must be a file in the repository (vendors' pages are cited by URL instead).
 */
const root = join(import.meta.dirname, '..', '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.(ts|md|yaml|json)$/.test(name) ? [path] : [];
  });
}

// This repository's documents: docs/<name>, docs/reference/<name>, and the older reference/, notes/, shared/ forms.
// Deeper paths such as `docs/resources/…` name files of other repositories (cited with the repository's name).
const CITATION =
  /(?<![\w./:-])((?:\.\.\/)*(?:docs\/(?:reference\/)?|reference\/|notes\/|shared\/(?:reference\/)?)[\w.-]+\.(?:md|json|yaml))/g;

describe('cited documents', () => {
  it('exist in the repository', () => {
    const missing: string[] = [];
    for (const dir of ['src', 'test', 'bench', 'manifest']) {
      for (const file of files(join(root, dir))) {
        for (const m of readFileSync(file, 'utf8').matchAll(CITATION)) {
          const cited = m[1]!.replace(/^(\.\.\/)+/, '');
          if (!existsSync(join(root, cited))) missing.push(`${relative(root, file)} → ${m[1]}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
