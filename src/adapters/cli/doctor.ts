import type { AppConfig } from '../../app/config.js';
import { parseTarget } from '../../core/command-args.js';
import { OpsError, toOpsError } from '../../core/errors.js';
import type { InspectedStep, ProbeCheck, Providers, RunInspection } from '../../core/ports.js';
import { runUrl } from '../../core/targets.js';
import type { CliIo } from './run-cli.js';

/** What doctor needs from the wired app. */
export interface DoctorApp {
  config: AppConfig;
  providers: Providers;
}

interface Report {
  clouds: Record<string, string>;
  checks: ProbeCheck[];
  run?: RunInspection;
  runError?: { code: string; message: string };
  /** Steps that read like a gate (or a pending stage check) but matched no configured task. */
  unmatched: Array<{ stage: string; job?: string; step: string; task?: string; status?: string; place: string }>;
}

/**
 * `opsgate doctor [run-url | ids] [--json]`: read-only. Checks each configured cloud's credentials and endpoints with
 * cheap reads, then reads the given run and shows every stage (with its entry/exit checks), job and step with its
 * task, status and classification. The classification comes from the provider (`inspect`); this file only renders.
 * Secrets never appear: the providers' probe details and the configuration summary carry none.
 */
export async function doctorCommand(app: DoctorApp, argv: string[], io: CliIo): Promise<number> {
  const args = argv.filter((a) => a !== '--json');
  const json = args.length !== argv.length;
  const target = args.length > 0 ? parseTarget(args, 'pending') : undefined;
  if (target && target.rest.length > 0) {
    throw new OpsError('INPUT.BAD_ARGUMENT', 'doctor takes one run URL (or IDs) and --json', {
      field: 'doctor',
      usage: 'opsgate doctor [run-url | ids] [--json]',
    });
  }
  const report: Report = { clouds: cloudsOf(app.config), checks: [], unmatched: [] };
  for (const [cloud, provider] of Object.entries(app.providers.pipelines)) {
    if (provider?.probe) report.checks.push(...(await provider.probe()));
    else report.checks.push({ name: cloud, ok: true, detail: 'no read-only probe without a run: pass a run URL' });
  }
  if (target) {
    const ref = target.target;
    const provider = app.providers.pipelines[ref.cloud];
    try {
      if (!provider)
        throw new OpsError('CONFIG.CLOUD_DISABLED', `${ref.cloud} is not configured`, { cloud: ref.cloud });
      if (!provider.inspect) throw new OpsError('INTERNAL.ERROR', 'this provider cannot inspect runs');
      report.run = await provider.inspect(ref);
      report.unmatched = unmatchedOf(report.run);
    } catch (err) {
      const e = toOpsError(err);
      report.runError = { code: e.code, message: e.message };
    }
  }
  io.stdout(json ? JSON.stringify(report, null, 2) : render(report));
  return report.runError || report.checks.some((c) => !c.ok) ? 1 : 0;
}

function cloudsOf(c: AppConfig): Record<string, string> {
  const h = c.huawei;
  const y = c.yunxiao;
  return {
    huawei: h
      ? `enabled: regions ${[h.region, ...Object.keys(h.projectIds ?? {}).filter((r) => r !== h.region)].join(', ')}; auth ${h.auth.kind}; pipeline ${h.endpoints.pipeline}`
      : `disabled (set ${c.enableHints.huawei})`,
    yunxiao: y
      ? `enabled: api ${y.api}; endpoint ${y.endpoint}; organization ${y.organizationId ?? '(from URLs)'}`
      : `disabled (set ${c.enableHints.yunxiao})`,
  };
}

function unmatchedOf(run: RunInspection): Report['unmatched'] {
  const out: Report['unmatched'] = [];
  const add = (stage: string, step: InspectedStep, job?: string) => {
    if (!step.suspect) return;
    out.push({
      stage,
      ...(job ? { job } : {}),
      step: step.name,
      ...(step.task ? { task: step.task } : {}),
      ...(step.status ? { status: step.status } : {}),
      place: step.place,
    });
  };
  for (const s of run.stages) {
    for (const step of s.pre) add(s.name, step);
    for (const job of s.jobs) for (const step of job.steps) add(s.name, step, job.name);
    for (const step of s.post) add(s.name, step);
  }
  return out;
}

function classify(step: InspectedStep): string {
  if (step.gate) return `GATE ${step.gate.kind} (${step.gate.status})`;
  return step.suspect ? 'not a gate: LOOKS LIKE ONE, matched nothing' : 'not a gate';
}

function stepLine(indent: string, label: string, step: InspectedStep): string {
  return `${indent}${label} ${step.name} · task ${step.task ?? '-'} · ${step.status ?? '-'} · ${classify(step)} (id ${step.id})`;
}

function render(r: Report): string {
  const lines = ['opsgate doctor (read-only: nothing is decided)', 'clouds:'];
  for (const [cloud, summary] of Object.entries(r.clouds)) lines.push(`  ${cloud}: ${summary}`);
  lines.push('checks:');
  for (const c of r.checks) lines.push(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`);
  if (r.runError) lines.push(`run: error ${r.runError.code}: ${r.runError.message}`);
  if (r.run) {
    const run = r.run;
    lines.push(`run ${run.name ?? ''} ${runUrl(run.ref)} · status ${run.status}`);
    lines.push(
      `  matcher: ${Object.entries(run.matcher)
        .map(([k, v]) => `${k}=${v.join('|')}`)
        .join('; ')}`,
    );
    for (const s of run.stages) {
      lines.push(`  stage ${s.name} · ${s.status ?? '-'}`);
      for (const step of s.pre) lines.push(stepLine('    ', 'entry check', step));
      for (const job of s.jobs) {
        lines.push(`    job ${job.name} · ${job.status ?? '-'} (id ${job.id})`);
        for (const step of job.steps) lines.push(stepLine('      ', 'step', step));
      }
      for (const step of s.post) lines.push(stepLine('    ', 'exit check', step));
    }
    for (const note of run.notes ?? []) lines.push(`  note: ${note}`);
    if (r.unmatched.length === 0) lines.push('every step that reads like a gate matched a gate kind');
    for (const u of r.unmatched) {
      lines.push(
        `LOOKS LIKE A GATE, MATCHED NOTHING: stage ${u.stage}${u.job ? `, job ${u.job}` : ''}, ${u.place} step ${u.step} (task ${u.task ?? '-'}, ${u.status ?? '-'}). If it waits for a person, add its task to HUAWEI_MANUAL_REVIEW_TASKS, HUAWEI_DELAY_TASKS or HUAWEI_STAGE_CHECK_TASKS.`,
      );
    }
  }
  return lines.join('\n');
}
