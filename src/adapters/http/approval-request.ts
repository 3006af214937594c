import { z } from 'zod';
import type { ApprovalService } from '../../core/approvals/service.js';
import type { Core } from '../../core/core.js';
import { OpsError } from '../../core/errors.js';

/** Body of POST /v1/approvals (see README: "Asking for a decision from a pipeline"). */
export const approvalRequestSchema = z.strictObject({
  target: z.string().min(1).max(600),
  channels: z
    .strictObject({
      slack: z
        .array(z.string().regex(/^[A-Z0-9]{2,20}$/))
        .max(20)
        .optional(),
      dingtalk: z
        .array(z.string().regex(/^[A-Za-z0-9+/=_$-]{2,120}$/))
        .max(20)
        .optional(),
    })
    .refine((c) => (c.slack?.length ?? 0) + (c.dingtalk?.length ?? 0) > 0, 'at least one channel'),
  title: z.string().max(150).optional(),
  requester: z
    .string()
    .regex(/^(slack|dingtalk|cli):[A-Za-z0-9._$-]{1,80}$/)
    .optional(),
  expires_in: z
    .number()
    .int()
    .min(60)
    .max(7 * 24 * 3600)
    .optional(),
});

export type ApprovalRequest = z.infer<typeof approvalRequestSchema>;

/** The pipeline is trusted by its signature; it acts as this subject, which the policy must allow review.pending. */
export const WEBHOOK_SUBJECT = 'webhook:pipeline';

/** Validates the body, opens approvals for the waiting reviews and posts them; returns their ids. */
export async function handleApprovalRequest(
  deps: { core: Core; approvals: ApprovalService },
  raw: unknown,
  requestId: string,
): Promise<{ ids: string[] }> {
  const checked = approvalRequestSchema.safeParse(raw);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new OpsError('INPUT.BAD_ARGUMENT', `invalid ${issue?.path.join('.') || 'body'}: ${issue?.message ?? ''}`, {
      field: issue?.path.join('.') ?? 'body',
    });
  }
  const body = checked.data;
  const command = deps.core.parse(`pending ${body.target}`);
  if (command.op !== 'review.pending') throw new OpsError('INPUT.BAD_TARGET', 'target is not a run', {});
  const { outcome, approvals } = await deps.approvals.openForRun({
    subject: WEBHOOK_SUBJECT,
    ref: command.target,
    channels: body.channels,
    ...(body.title ? { title: body.title } : {}),
    ...(body.requester ? { requester: body.requester } : {}),
    ...(body.expires_in ? { expiresInMs: body.expires_in * 1000 } : {}),
    requestId,
  });
  if (!outcome.ok) throw outcome.error;
  if (approvals.length === 0) throw new OpsError('REVIEW.NONE_WAITING', 'no manual review is waiting in this run', {});
  return { ids: approvals.map((a) => a.id) };
}
