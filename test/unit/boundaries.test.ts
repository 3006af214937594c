import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Architecture rules from docs/DESIGN.md, enforced: the core knows no platform and no HTTP library; adapters know no cloud. */
const root = join(import.meta.dirname, '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function imports(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => m[1] ?? m[2] ?? '',
  );
}

const PLATFORM_OR_HTTP = [
  /^@slack\//,
  /^dingtalk-stream/,
  /^undici/,
  /^node:(http|https|net|tls|http2|dgram)$/,
  /^(http|https|net)$/,
  /^ws$/,
  /^ioredis/,
  /^better-sqlite3/,
  /^pino/,
  /^prom-client/,
  /^axios/,
];

describe('module boundaries', () => {
  it('src/core imports no platform, HTTP, store or logging package and nothing outside the core', () => {
    const offenders: string[] = [];
    for (const file of files(join(root, 'src', 'core'))) {
      for (const spec of imports(file)) {
        const outside = spec.startsWith('.') && !join(file, '..', spec).startsWith(join(root, 'src', 'core'));
        if (outside || PLATFORM_OR_HTTP.some((re) => re.test(spec)))
          offenders.push(`${relative(root, file)} → ${spec}`);
      }
      if (/process\.env/.test(readFileSync(file, 'utf8'))) offenders.push(`${relative(root, file)} reads process.env`);
    }
    expect(offenders).toEqual([]);
  });

  it('adapters import no cloud provider and nothing of src/app (the app composes adapters, not the reverse)', () => {
    const offenders: string[] = [];
    for (const file of files(join(root, 'src', 'adapters'))) {
      for (const spec of imports(file)) {
        const target = spec.startsWith('.') ? relative(root, join(file, '..', spec)) : spec;
        // The shared HTTP client lives in the neutral src/net/; nothing of providers/ or app/ may be used.
        if (/^src\/(providers|app)(\/|$)/.test(target)) offenders.push(`${relative(root, file)} → ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('src/net (the HTTP client shared by providers and chat adapters) knows no cloud, no chat, no app', () => {
    const offenders: string[] = [];
    for (const file of files(join(root, 'src', 'net'))) {
      for (const spec of imports(file)) {
        const target = spec.startsWith('.') ? relative(root, join(file, '..', spec)) : spec;
        if (/^src\/(providers|adapters|app|store)(\/|$)/.test(target) || /^@slack|^dingtalk-stream/.test(spec)) {
          offenders.push(`${relative(root, file)} → ${spec}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('product code imports neither the sandbox nor the fakes', () => {
    const offenders: string[] = [];
    for (const dir of ['core', 'adapters', 'providers', 'store', 'net']) {
      for (const file of files(join(root, 'src', dir))) {
        for (const spec of imports(file)) {
          const target = spec.startsWith('.') ? relative(root, join(file, '..', spec)) : spec;
          if (/^src\/(sandbox|fakes)(\/|$)/.test(target)) offenders.push(`${relative(root, file)} → ${spec}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('nothing below src/app reads process.env', () => {
    const offenders = ['core', 'providers', 'store', 'adapters']
      .flatMap((dir) => files(join(root, 'src', dir)))
      .filter((file) => /process\.env/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file));
    expect(offenders).toEqual([]);
  });
});
