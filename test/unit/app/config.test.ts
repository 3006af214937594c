import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../../src/app/config-load.js';
import { VARIABLES } from '../../../src/app/config-variables.js';
import { startRuntime } from '../../../src/app/runtime.js';
import { OpsError } from '../../../src/core/errors.js';
import { runCli } from '../../support/cli.js';
import { writePolicy } from '../../support/cloud-env.js';

/** One configuration schema (src/app/config-variables.ts) for every entry point: the same answer everywhere. */
function problemsOf(env: Record<string, string>): string[] {
  try {
    loadSettings(env);
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(OpsError);
    const meta = (err as OpsError).meta as { problems?: Array<{ message: string }> };
    return (meta.problems ?? []).map((p) => p.message);
  }
}

describe('loadSettings', () => {
  it('reports every problem at once, naming the variable and the accepted form, never the value', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      OPSGATE_LOG_LEVEL: 'loud',
      OPSGATE_STORE: 'postgres://user:hunter2@db/x',
      HUAWEI_AK: 'ak-123',
      SLACK_BOT_TOKEN: 'xoxb-1',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'PORT must be a whole number from 0 to 65535',
        expect.stringMatching(/^OPSGATE_LOG_LEVEL must be one of fatal, error, warn, info/),
        expect.stringMatching(/^OPSGATE_STORE must be sqlite:<path> \| .* \(this is an unknown kind of store\)$/),
        'HUAWEI_SK is required with AK/SK auth',
        expect.stringMatching(/^HUAWEI_PROJECT_ID is required with AK\/SK auth \(the IAM project of cn-north-4\)/),
        expect.stringMatching(/^SLACK_SIGNING_SECRET is required in HTTP mode/),
      ]),
    );
    expect(problems.join()).not.toContain('hunter2');
  });

  it('reads NAME_FILE for every variable, and refuses both forms at once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsgate-config-'));
    const file = join(dir, 'store');
    writeFileSync(file, 'sqlite::memory:\n');
    expect(loadSettings({ OPSGATE_STORE_FILE: file }).server.store).toBe('sqlite::memory:');
    for (const name of Object.keys(VARIABLES)) {
      expect(problemsOf({ [name]: 'x', [`${name}_FILE`]: file }), name).toContain(
        `${name} and ${name}_FILE are both set`,
      );
    }
  });

  it('uses defaults from the table and warns when nothing is enabled', () => {
    const { app, server, warnings } = loadSettings({});
    expect(server.port).toBe(3000);
    expect(app.http.retries).toBe(3);
    expect(app.huawei).toBeUndefined();
    expect(warnings.join('\n')).toMatch(/no cloud is enabled/);
    expect(warnings.join('\n')).toMatch(/no chat is enabled/);
    expect(warnings.join('\n')).not.toContain('HUAWEI_REGION'); // it has a default: never a hint
  });
});

describe('check-config and the start agree', () => {
  it.each<Record<string, string>>([{ OPSGATE_STORE: 'postgres://x' }, { OPSGATE_LOG_LEVEL: 'loud' }, { PORT: '-1' }])(
    'both refuse %o with CONFIG.INVALID',
    async (env) => {
      const check = await runCli(['check-config'], env);
      expect(check.code).toBe(3);
      expect(check.stderr).toContain('CONFIG.INVALID');
      const started = await startRuntime({ env: { ...env, OPSGATE_STORE: env.OPSGATE_STORE ?? 'memory:' } }).catch(
        (e: unknown) => e,
      );
      expect((started as OpsError).code).toBe('CONFIG.INVALID');
    },
  );

  it('check-config prints warnings on stderr as text', async () => {
    const out = await runCli(['check-config'], {});
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('configuration OK');
    expect(out.stderr).toMatch(/^warning: no cloud is enabled/m);
  });
});

describe('command line conventions', () => {
  it('--version prints the package version', async () => {
    const out = await runCli(['--version'], {});
    expect(out.code).toBe(0);
    expect(out.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each([['exec'], ['check-config'], ['audit'], ['policy', 'explain']])(
    '%s --help prints its usage',
    async (...sub) => {
      const out = await runCli([...sub, '--help'], { PORT: 'broken' });
      expect(out.code).toBe(0);
      expect(out.stdout).toMatch(/^usage: opsgate /);
    },
  );

  it('says that watch works only in the running bot, with no placeholder left', async () => {
    const out = await runCli(['exec', 'watch', 'yunxiao', 'org1', '1234', '5678'], { OPSGATE_POLICY: writePolicy() });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('running bot');
    expect(out.stderr).not.toMatch(/\{\w+\}/);
  });

  it('names the accepted form of a malformed --since and --step', async () => {
    const since = await runCli(['audit', '--since', 'yesterday'], {});
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('Accepted form: an ISO time such as 2026-11-01T00:00:00Z');
    const step = await runCli(['exec', 'approve', 'yunxiao', 'org1', '1234', '5678', '--step', 'x'.repeat(200)], {});
    expect(step.code).toBe(2);
    expect(step.stderr).toContain('Accepted form: a review name or id of at most 128 characters');
  });

  it('audit against a store that does not exist says so and creates nothing', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'opsgate-audit-')), 'missing.db');
    const out = await runCli(['audit'], { OPSGATE_STORE: `sqlite:${path}` });
    expect(out.code).toBe(3);
    expect(out.stderr).toContain('STORE.NOT_FOUND');
    expect(out.stderr).toContain(path);
  });
});
