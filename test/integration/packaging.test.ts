import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '../../src/app/runtime.js';

/**
 * No Docker engine runs here, so the image is checked by what can be checked: the Dockerfile's shape, that the
 * compiled start command exists and needs only production dependencies, and that its HEALTHCHECK command works.
 */
const root = join(import.meta.dirname, '..', '..');
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const run = promisify(execFile);

function jsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? jsFiles(path) : path.endsWith('.js') ? [path] : [];
  });
}

describe('Dockerfile', () => {
  it('is multi-stage on a Node LTS image, runs as non-root with production dependencies only', () => {
    const froms = dockerfile.match(/^FROM\s+\S+/gm) ?? [];
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) expect(from).toMatch(/node:(22|24)-/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/npm prune --omit=dev|npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\/healthz/ms);
    // Exec form, so the node process receives SIGTERM itself (a shell would swallow it).
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/app\/main\.js"\]$/m);
  });

  it('holds production code only: the fakes and the sandbox build into dist-dev/ (tsconfig.dev.json)', () => {
    expect(existsSync(join(root, 'dist', 'fakes'))).toBe(false);
    expect(existsSync(join(root, 'dist', 'sandbox'))).toBe(false);
    expect(existsSync(join(root, 'dist', 'app', 'sandbox.js'))).toBe(false);
    expect(dockerfile).toMatch(/npm run build\b/);
    expect(dockerfile).not.toMatch(/build:dev|dist-dev/);
    // ws is imported by the DingTalk adapter at run time, so it is a production dependency.
    expect(Object.keys(pkg.dependencies)).toContain('ws');
  });

  it('starts a file that the build produces', () => {
    expect(existsSync(join(root, 'dist', 'app', 'main.js'))).toBe(true);
    expect(existsSync(join(root, 'dist', 'app', 'cli.js'))).toBe(true);
  });

  it('ships compiled code that imports only production dependencies and Node built-ins', () => {
    const allowed = new Set([...Object.keys(pkg.dependencies), ...builtinModules]);
    const offenders: string[] = [];
    for (const file of jsFiles(join(root, 'dist'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(
        /^\s*(?:import|export)\b[^;'"]*?from\s*['"]([^'"./][^'"]*)['"]|\bimport\(\s*['"]([^'"./][^'"]*)['"]\s*\)/gm,
      )) {
        const spec = (m[1] ?? m[2] ?? '').replace(/^node:/, '');
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? '');
        if (!allowed.has(name) && !allowed.has(spec)) offenders.push(`${file.slice(root.length)} → ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});

describe('the HEALTHCHECK command', () => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await startRuntime({
      env: { PORT: '0', HOST: '127.0.0.1', OPSGATE_STORE: 'memory:', OPSGATE_LOG_LEVEL: 'silent' },
    });
  });
  afterAll(() => runtime?.stop());

  it('succeeds against a running bot, as written in the Dockerfile', async () => {
    const cmd = /HEALTHCHECK[\s\S]*?CMD \[(.*)\]/.exec(dockerfile)?.[1];
    const argv = JSON.parse(`[${cmd}]`) as string[];
    expect(argv[0]).toBe('node');
    await expect(
      run(process.execPath, argv.slice(1), { env: { PORT: String(runtime.port) }, timeout: 10_000 }),
    ).resolves.toBeTruthy();
  });
});
