import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/app/config.js';
import { createProviders } from '../../../src/app/providers.js';
import { settleAudit } from '../../../src/core/audit-settle.js';
import { silentLogger } from '../../../src/core/ports.js';
import { createMemoryStore } from '../../../src/store/memory/memory-store.js';
import { type FakeCloud, startFakeCloud } from '../../fakes/fake-cloud.js';
import { runCli } from '../../support/cli.js';
import { cloudEnv, writePolicy } from '../../support/cloud-env.js';

let cloud: FakeCloud;
beforeAll(async () => {
  cloud = await startFakeCloud();
});
afterAll(() => cloud.close());

describe('audit', () => {
  it('records intent and outcome of each exec in the store and exports them as JSONL and CSV', async () => {
    const store = `sqlite:${join(mkdtempSync(join(tmpdir(), 'opsgate-audit-')), 'a.db')}`;
    const env = { ...cloudEnv(cloud), OPSGATE_POLICY: writePolicy(), OPSGATE_STORE: store };
    const run = cloud.huawei.addRun({ reviews: ['Gate'] });
    expect((await runCli(['exec', 'reject', run.url, 'bad,"build"'], env)).code).toBe(0);
    const jsonl = await runCli(['audit'], env);
    expect(jsonl.code).toBe(0);
    const records = jsonl.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.map((r) => r.phase)).toEqual(['intent', 'outcome']);
    expect(records[0]).toMatchObject({ subject: 'cli:alice', operation: 'review.reject', detail: 'bad,"build"' });
    expect(records[1]).toMatchObject({ ok: true });
    const csv = await runCli(['audit', '--format', 'csv', '--since', '2000-01-01T00:00:00Z'], env);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe('at,id,requestId,phase,subject,operation,target,ok,code,providerRequestId,detail');
    expect(lines[1]).toContain('"bad,""build"""');
    const future = await runCli(['audit', '--since', '2999-01-01T00:00:00Z'], env);
    expect(future.stdout.trim()).toBe('');
    expect((await runCli(['audit', '--since', 'yesterday-ish'], env)).code).toBe(2);
  });

  it('settles intents left by a crash by reading the run', async () => {
    const store = createMemoryStore();
    const { providers, http } = createProviders(loadConfig(cloudEnv(cloud)));
    const decided = cloud.huawei.addRun({ reviews: ['Gate'] });
    const waiting = cloud.huawei.addRun({ reviews: ['Gate'] });
    // The decision reached the cloud but the process died before writing the outcome.
    await runCli(['exec', 'approve', decided.url], { ...cloudEnv(cloud), OPSGATE_POLICY: writePolicy() });
    const target = (run: typeof decided) =>
      `huawei/${run.projectId}/${run.pipelineId}/${run.runId}/${run.reviews[0]!.stepRunId}`;
    const base = { requestId: 'r', at: 1, phase: 'intent' as const, subject: 'slack:U1', operation: 'review.approve' };
    await store.audit.write({ ...base, id: 'a1', target: target(decided) });
    await store.audit.write({ ...base, id: 'a2', target: target(waiting) });
    await store.audit.write({ ...base, id: 'a3', operation: 'notice.disable', target: 'huawei-build/x' });
    const result = await settleAudit({ audit: store.audit, providers, now: () => 2, logger: silentLogger });
    expect(result).toMatchObject({ settled: 1, unknown: 2 });
    expect(result.decisions).toEqual([{ reviewKey: target(decided), by: 'slack:U1', decision: 'approve' }]);
    expect(await store.audit.unsettled()).toEqual([]);
    const outcomes = (await store.audit.list()).filter((r) => r.phase === 'outcome');
    expect(outcomes.find((r) => r.id === 'a1')).toMatchObject({ ok: true });
    expect(outcomes.find((r) => r.id === 'a2')).toMatchObject({ ok: false, code: 'OUTCOME.UNKNOWN' });
    await http.close();
  });
});
