import type { Command } from '../commands.js';
import { OpsError } from '../errors.js';
import type { Locks } from '../locks.js';
import type { Result } from '../outcome.js';
import type { AuditSink, Clock, Logger, PipelineProvider, Providers } from '../ports.js';
import type { Cloud } from '../targets.js';
import type { ApprovalService } from '../approvals/service.js';
import type { DecisionPath, Store } from '../store-ports.js';

/** Everything an operation may use; built per request by the core. */
export interface OperationContext {
  providers: Providers;
  audit: AuditSink;
  locks: Locks;
  now: Clock;
  newId: () => string;
  logger: Logger;
  requestId: string;
  subject: string;
  /** Extra principals of the request (channel/group subjects), besides the subject. */
  context: string[];
  /** Where the request came from, for operations that answer later (watch) and post approvals (pending). */
  origin?: RequestOrigin;
  /** How a decision came in (typed in a chat, the CLI). */
  path?: DecisionPath;
  /** CLI: who ran the command when it acts on behalf of `subject`. */
  operator?: string;
  /** Decisions go through approvals (approvals/service.ts); absent only in contexts that decide nothing. */
  approvals?: ApprovalService;
  store?: Store;
}

export interface RequestOrigin {
  platform: 'slack' | 'dingtalk';
  channel: string;
}

export type Handler<Op extends Command['op']> = (
  command: Extract<Command, { op: Op }>,
  ctx: OperationContext,
) => Promise<Result>;

export function pipelineFor(ctx: OperationContext, cloud: Cloud): PipelineProvider {
  const provider = ctx.providers.pipelines[cloud];
  if (!provider) throw disabled(ctx, cloud);
  return provider;
}

export function disabled(ctx: OperationContext, cloud: Cloud | 'huawei-build' | 'huawei-check'): OpsError {
  const base: Cloud = cloud === 'yunxiao' ? 'yunxiao' : 'huawei';
  return new OpsError('CONFIG.CLOUD_DISABLED', `${base} is not configured`, {
    cloud: base,
    variables: ctx.providers.enableHints?.[base] ?? '',
  });
}

/**
 * Writes the intent record, runs the cloud call, writes the outcome record. If the intent cannot be written the call
 * does not happen: an unrecorded decision is worse than a failed one.
 */
export async function audited<T extends { providerRequestId?: string }>(
  ctx: OperationContext,
  operation: string,
  target: string,
  call: () => Promise<T>,
  detail?: string,
): Promise<T> {
  const id = ctx.newId();
  const base = { id, requestId: ctx.requestId, subject: ctx.subject, operation, target };
  try {
    await ctx.audit.write({ ...base, at: ctx.now(), phase: 'intent', ...(detail ? { detail } : {}) });
  } catch (err) {
    throw new OpsError('STORE.ERROR', 'could not write the audit record; nothing was sent', {}, { cause: err });
  }
  try {
    const result = await call();
    await writeOutcome(ctx, { ...base, ok: true, providerRequestId: result.providerRequestId });
    return result;
  } catch (err) {
    const e = err instanceof OpsError ? err : undefined;
    await writeOutcome(ctx, {
      ...base,
      ok: false,
      code: e?.code ?? 'INTERNAL.ERROR',
      providerRequestId: typeof e?.meta.requestId === 'string' ? e.meta.requestId : undefined,
    });
    throw err;
  }
}

async function writeOutcome(
  ctx: OperationContext,
  record: { id: string; requestId: string; subject: string; operation: string; target: string; ok: boolean } & {
    code?: string;
    providerRequestId?: string | undefined;
  },
): Promise<void> {
  try {
    const { providerRequestId, ...rest } = record;
    await ctx.audit.write({
      ...rest,
      at: ctx.now(),
      phase: 'outcome',
      ...(providerRequestId ? { providerRequestId } : {}),
    });
  } catch (err) {
    // The intent is on record; restart reconciliation completes it. The person still gets the real outcome.
    ctx.logger.error({ err: String((err as Error)?.name), requestId: ctx.requestId }, 'audit outcome write failed');
  }
}
