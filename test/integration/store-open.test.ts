import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { OpsError } from '../../src/core/errors.js';
import { openStore } from '../../src/store/open-store.js';

const dir = mkdtempSync(join(tmpdir(), 'opsgate-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openStore (OPSGATE_STORE)', () => {
  it.each([
    ['memory:', 'memory'],
    ['sqlite::memory:', 'sqlite'],
    [`sqlite:${join(dir, 'a', 'x.db')}`, 'sqlite'],
  ])('opens %s as %s', async (spec, kind) => {
    const store = await openStore(spec);
    expect(store.kind).toBe(kind);
    await store.ping();
    await store.close();
  });

  it('opens a redis:// URL', async () => {
    const store = await openStore(inject('redisUrl'), { redisKeyPrefix: 'opsgate-test-open:' });
    expect(store.kind).toBe('redis');
    await store.ping();
    await store.close();
  });

  it.each([
    'sqlite:',
    'postgres://user:hunter2@db/x',
    'redis://:hunter2@',
    'redis://user:hunter2@host:6379/notadb',
    'user:hunter2@host',
    'nonsense',
  ])('rejects %s with CONFIG.INVALID, never echoing it', async (spec) => {
    const err = await openStore(spec).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpsError);
    expect((err as OpsError).code).toBe('CONFIG.INVALID');
    expect((err as OpsError).meta.key).toBe('OPSGATE_STORE');
    const shown = JSON.stringify((err as OpsError).toJSON());
    expect(shown).not.toContain('hunter2');
    expect(shown).not.toContain('user');
  });
});
