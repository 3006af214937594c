import { randomUUID } from 'node:crypto';
import { createApprovalService, type ApprovalService } from './approvals/service.js';
import { createRunWatcher } from './approvals/watcher.js';
import type { RuleEffect } from './approvals/gate.js';
import { type AuthzDecision, assertAllowed, authorize, EMPTY_POLICY, type Policy } from './authz.js';
import { type Command, parseCommand, parseTarget } from './commands.js';
import type { Locale } from './i18n/index.js';
import type { DecisionPath, Store } from './store-ports.js';
import { tokenize } from './tokenize.js';
import type { RunRef } from './targets.js';
import { OpsError, toOpsError } from './errors.js';
import type { Locks } from './locks.js';
import type { Handler, OperationContext, RequestOrigin } from './operations/context.js';
import { noticeDisable } from './operations/notice-disable.js';
import { noticeShow } from './operations/notice-show.js';
import { noticeUpdate } from './operations/notice-update.js';
import { reviewApprove } from './operations/review-approve.js';
import { reviewPostpone } from './operations/review-postpone.js';
import { reviewPending } from './operations/review-pending.js';
import { reviewReject } from './operations/review-reject.js';
import { whoami } from './operations/whoami.js';
import { createInboxHandler } from './approvals/inbox.js';
import type { Outcome, Result } from './outcome.js';
import { type AuditSink, type Clock, type Logger, type Providers, silentLogger } from './ports.js';
import { runInRequest } from './request-context.js';
import { runKey } from './targets.js';

/** One request into the core, from any adapter. */
export interface CoreRequest {
  /** The person: `slack:U123`, `dingtalk:staff789`, `cli:alice`. */
  subject: string;
  /** Extra principals the policy may bind: `slack-channel:C456`, `dingtalk-group:cid…`. */
  context?: string[];
  /** Command text in the shared grammar, or an already-built command (buttons). */
  text?: string;
  command?: Command;
  /** Correlates logs from the chat to the cloud and back; generated when absent. */
  requestId?: string;
  /** The chat channel the request came from (operations that answer later post there). */
  origin?: RequestOrigin;
  /** How a decision came in: typed in a chat (default) or the CLI. */
  path?: DecisionPath;
  /** CLI: who ran the command when it acts on behalf of `subject` (the rules apply to both). */
  operator?: string;
}

export interface CoreDeps {
  providers: Providers;
  /** Approvals, dedupe, locks and the audit log: decisions are recorded on approvals (one decision path). */
  store: Store;
  /** Words of approval follow-ups. */
  locale?: Locale;
  /** Default lifetime of an approval. */
  approvalTtlMs?: number;
  /** Lease of a decision lock (renewed every third of it; a dead holder's lock lapses after it). */
  decisionLeaseMs?: number;
  policy?: Policy;
  audit?: AuditSink;
  locks?: Locks;
  now?: Clock;
  newId?: () => string;
  logger?: Logger;
  /** Filled into Yunxiao targets that name no organization. */
  defaultYunxiaoOrganization?: string;
  /** Called once per executed request (metrics). Must not throw. */
  observe?: (event: { operation: string; ok: boolean; code?: string; ms: number }) => void;
  /** Watch settings (tests shorten the poll interval). */
  watch?: { intervalMs?: number; maxIntervalMs?: number; maxDurationMs?: number; maxWatches?: number };
}

export interface Core {
  execute(request: CoreRequest): Promise<Outcome>;
  /** Parses and completes a command (defaults filled); throws INPUT.* errors. */
  parse(text: string): Command;
  /** Parses a run URL or IDs (HTTP approval requests): a target, never a command string. */
  target(text: string): RunRef;
  /** The policy decision for a command, without running it. */
  explain(principals: string[], command: Command): AuthzDecision;
  /** The approval rules that apply to a run for a subject, with their effect (`policy explain`). */
  rules(ref: RunRef, subject?: string): RuleEffect[];
  readonly policy: Policy;
  /** Approvals: posting, deciding (the one gate), refreshing, expiring. */
  readonly approvals: ApprovalService;
  /** Ends background work (watches). */
  stop(): void;
}

/**
 * The operations core: parse → complete → authorize (default deny) → operation (locks, audit inside) → typed outcome.
 * It never throws: every failure is an Outcome with a coded error.
 * @example
 * const outcome = await core.execute({ subject: 'cli:alice', text: 'reject https://flow.aliyun.com/pipelines/1/builds/2 bad build' });
 */
export function createCore(deps: CoreDeps): Core {
  const policy = deps.policy ?? EMPTY_POLICY;
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? randomUUID;
  const logger = deps.logger ?? silentLogger;
  const audit = deps.audit ?? deps.store.audit;
  const locks = deps.locks ?? deps.store.locks;
  const approvals = createApprovalService({
    policy,
    providers: deps.providers,
    store: deps.store,
    audit,
    now,
    newId,
    logger,
    locale: deps.locale ?? 'en',
    ...(deps.observe ? { observe: deps.observe } : {}),
    ...(deps.approvalTtlMs ? { defaultTtlMs: deps.approvalTtlMs } : {}),
    ...(deps.decisionLeaseMs ? { decisionLeaseMs: deps.decisionLeaseMs } : {}),
  });
  const watcher = createRunWatcher({ providers: deps.providers, approvals, now, logger, ...deps.watch });
  const handlers: { [Op in Command['op']]?: Handler<Op> } = {
    'review.reject': reviewReject,
    'review.approve': reviewApprove,
    'review.postpone': reviewPostpone,
    'review.pending': reviewPending,
    'notice.disable': noticeDisable,
    'notice.update': noticeUpdate,
    'notice.show': noticeShow,
    'approval.watch': watcher.handler,
    help: async (command) => ({ kind: 'help', ...(command.topic ? { topic: command.topic } : {}) }),
    whoami: async (_command, ctx) => ({ kind: 'whoami', report: whoami(policy, ctx.subject, ctx.context) }),
    inbox: createInboxHandler((who) => approvals.inbox(who)),
  };

  function complete(command: Command): Command {
    if ('target' in command && command.target.cloud === 'yunxiao' && !command.target.organizationId) {
      if (!deps.defaultYunxiaoOrganization) {
        throw new OpsError('INPUT.BAD_TARGET', 'the run URL names no organization and none is configured', {
          field: 'organization',
          variables: 'YUNXIAO_ORGANIZATION_ID',
        });
      }
      return { ...command, target: { ...command.target, organizationId: deps.defaultYunxiaoOrganization } };
    }
    return command;
  }

  function execute(request: CoreRequest): Promise<Outcome> {
    const requestId = request.requestId ?? newId();
    return runInRequest({ requestId, subject: request.subject }, () => executeIn(request, requestId));
  }

  async function executeIn(request: CoreRequest, requestId: string): Promise<Outcome> {
    // The request id reaches log lines through the request context (see request-context.ts), not bindings.
    const log = logger.child({
      subject: request.subject,
      ...(request.operator && request.operator !== request.subject ? { operator: request.operator } : {}),
    });
    const started = now();
    let command: Command | undefined;
    try {
      command = complete(request.command ?? parseCommand(request.text ?? ''));
      const principals = [request.subject, ...(request.context ?? [])];
      assertAllowed(policy, principals, command);
      // Acting on behalf of someone (CLI --as) needs the right for the one who runs it too.
      if (request.operator && request.operator !== request.subject) assertAllowed(policy, [request.operator], command);
      const handler = handlers[command.op] as Handler<Command['op']> | undefined;
      if (!handler)
        throw new OpsError('INPUT.UNKNOWN_COMMAND', `${command.op} is not available here`, { word: command.op });
      const ctx: OperationContext = {
        providers: deps.providers,
        audit,
        locks,
        now,
        newId,
        logger: log,
        requestId,
        subject: request.subject,
        context: request.context ?? [],
        ...(request.origin ? { origin: request.origin } : {}),
        ...(request.path ? { path: request.path } : {}),
        ...(request.operator ? { operator: request.operator } : {}),
        approvals,
        store: deps.store,
      };
      const result: Result = await handler(command, ctx);
      const ms = now() - started;
      log.info({ operation: command.op, ok: true, ms, target: targetOf(command) }, 'operation done');
      deps.observe?.({ operation: command.op, ok: true, ms });
      return { ok: true, requestId, operation: command.op, result };
    } catch (err) {
      const error = toOpsError(err);
      const level = error.code.startsWith('INTERNAL') ? 'error' : 'info';
      log[level](
        {
          operation: command?.op,
          ok: false,
          code: error.code,
          ms: now() - started,
          target: command && targetOf(command),
        },
        'operation failed',
      );
      deps.observe?.({ operation: command?.op ?? 'unparsed', ok: false, code: error.code, ms: now() - started });
      return { ok: false, requestId, ...(command ? { operation: command.op } : {}), error };
    }
  }

  function target(text: string): RunRef {
    const { target: ref, rest } = parseTarget(tokenize(text), 'pending');
    if (rest.length > 0) throw new OpsError('INPUT.BAD_TARGET', 'the target has extra words', { field: 'target' });
    const completed = complete({ op: 'review.pending', target: ref });
    return (completed as { target: RunRef }).target;
  }

  return {
    execute,
    parse: (text) => complete(parseCommand(text)),
    target,
    explain: (principals, command) => authorize(policy, principals, complete(command)),
    rules: (ref, subject) => approvals.gate.rulesFor(ref, subject),
    policy,
    approvals,
    stop: () => watcher.stop(),
  };
}

function targetOf(command: Command): string | undefined {
  if ('target' in command) return runKey(command.target);
  if ('jobId' in command) return `huawei-build/${command.jobId}`;
  if (command.op === 'notice.show') {
    return command.scope === 'build' ? `huawei-build/${command.id}` : `huawei-check/${command.scope}/${command.id}`;
  }
  return undefined;
}
