import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDecisionGate } from '../src/core/approvals/gate.js';
import { listInbox } from '../src/core/approvals/inbox.js';
import { parsePolicy } from '../src/core/authz.js';
import type { Approval, Store } from '../src/core/store-ports.js';
import { createSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { numberArgs } from './lib/args.js';
import { machineInfo, machineLine } from './lib/machine.js';
import { runIfMain } from './lib/main.js';
import { type MeasureResult, measure } from './lib/measure.js';
import { median } from './lib/stats.js';
import { markdownTable, type Row } from './lib/table.js';

/**
 * The inbox (`/ops inbox`, the App Home tab): one query reads the open approvals (at most 1000) from the store and
 * keeps those the person may decide (the core's decision gate, once or twice each), newest first. Baseline: the store read alone
 * (`listOpen(500)`), to show what the policy filter and sort add. SQLite store in a temp dir, `open` approvals,
 * a policy with 50 roles and 200 bindings where the asker's grant is the last binding (the slowest case).
 */
export const DEFAULTS = { open: 500, count: 500, rounds: 3, maxMs: 60_000 };

function policyText(): string {
  const roles = Array.from(
    { length: 50 },
    (_, i) => `  r${i}: { allow: [review.approve, review.reject], scope: { huawei: { projects: ["p${i}"] } } }`,
  );
  const bindings = Array.from({ length: 199 }, (_, i) => `  - { role: r${i % 50}, subjects: ["slack:UOTHER${i}"] }`);
  return `roles:\n${roles.join('\n')}\n  mine: { allow: ["review.*"], scope: { huawei: { projects: ["*"] } } }\nbindings:\n${bindings.join('\n')}\n  - { role: mine, subjects: ["slack-channel:CREL"] }\n`;
}

function approval(i: number, now: number): Approval {
  const hex = i.toString(16).padStart(32, '0');
  return {
    id: `bench-${i}`,
    ref: { cloud: 'huawei', projectId: hex, pipelineId: hex, runId: hex, jobRunId: hex, stepRunId: hex },
    review: { id: hex, jobId: hex, name: `Review ${i}` },
    status: 'open',
    createdAt: now - i * 1000,
    updatedAt: now,
    expiresAt: now + 3_600_000,
    messages: [{ platform: 'slack', channel: 'CREL', messageId: `1700000000.${String(i).padStart(6, '0')}` }],
    approvers: [],
    version: 0,
  };
}

export async function main(argv: readonly string[] = []): Promise<string> {
  const opts = numberArgs(argv, DEFAULTS);
  const machine = machineInfo();
  const dir = mkdtempSync(join(tmpdir(), 'opsgate-bench-inbox-'));
  const now = Date.now;
  const store: Store = createSqliteStore({ path: join(dir, 'bench.db'), now });
  const gate = createDecisionGate({ policy: parsePolicy(policyText()), now });
  const variants: Array<{ name: string; run: () => Promise<unknown> }> = [
    {
      name: 'ours: listInbox (read + decision gate + sort)',
      run: () => listInbox({ store, gate }, { subject: 'slack:UALICE', context: ['slack-channel:CREL'] }, 41),
    },
    { name: 'baseline: listOpen(500) alone', run: () => store.approvals.listOpen(500) },
  ];
  const samples = new Map<string, MeasureResult[]>(variants.map((v) => [v.name, []]));
  try {
    for (let i = 0; i < opts.open; i++) await store.approvals.create(approval(i, now()));
    const listed = await variants[0]!.run();
    if ((listed as Approval[]).length !== Math.min(41, opts.open)) throw new Error('inbox did not list the approvals');
    for (let round = 0; round < opts.rounds; round++) {
      for (const v of round % 2 === 0 ? variants : [...variants].reverse()) {
        const r = await measure(v.name, v.run, { count: opts.count, concurrency: 1, maxMs: opts.maxMs });
        if (r.errors > 0) throw new Error(`${v.name}: ${r.errors} errors (${r.firstError})`);
        samples.get(v.name)?.push(r);
      }
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const rows: Row[] = variants.map((v) => {
    const ss = samples.get(v.name) ?? [];
    return {
      query: v.name,
      'queries/s (median)': median(ss.map((s) => s.rps)),
      'p50 ms': median(ss.map((s) => s.p50)),
      'p99 ms': median(ss.map((s) => s.p99)),
      'CPU µs/query': median(ss.map((s) => s.cpuUsPerOp)),
    };
  });
  return [
    '### Inbox query',
    '',
    `${opts.open} open approvals in SQLite, ${opts.count} sequential queries per variant and round, ${opts.rounds} ` +
      `rounds (order alternating); policy of 50 roles and 200 bindings, the asker granted by the last one. ` +
      `Machine: ${machineLine(machine)}.`,
    '',
    markdownTable(rows),
    '',
  ].join('\n');
}

runIfMain(import.meta.url, main);
