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

/** Per channel: posted (or already there), or why not. */
export interface ChannelResult {
  platform: 'slack' | 'dingtalk';
  channel: string;
  ok: boolean;
  approvalIds: string[];
  error?: { code: string; message: string };
}

/**
 * Validates the body, hands the core the target, and reports the truth: 201 when every approval reached every channel
 * named, 207 with the result per channel when some did, APPROVAL.NOT_POSTED (422) when none could be posted.
 */
export async function handleApprovalRequest(
  deps: { core: Core; approvals: ApprovalService },
  raw: unknown,
  requestId: string,
): Promise<{ status: 201 | 207; ids: string[]; channels: ChannelResult[] }> {
  const checked = approvalRequestSchema.safeParse(raw);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new OpsError('INPUT.BAD_ARGUMENT', `invalid ${issue?.path.join('.') || 'body'}: ${issue?.message ?? ''}`, {
      field: issue?.path.join('.') ?? 'body',
    });
  }
  const body = checked.data;
  const { outcome, approvals, deliveries } = await deps.approvals.openForRun({
    subject: WEBHOOK_SUBJECT,
    ref: deps.core.target(body.target),
    channels: body.channels,
    ...(body.title ? { title: body.title } : {}),
    ...(body.requester ? { requester: body.requester } : {}),
    ...(body.expires_in ? { expiresInMs: body.expires_in * 1000 } : {}),
    requestId,
  });
  if (!outcome.ok) throw outcome.error;
  if (approvals.length === 0) throw new OpsError('REVIEW.NONE_WAITING', 'no manual review is waiting in this run', {});
  const channels: ChannelResult[] = [];
  for (const d of deliveries) {
    let entry = channels.find((c) => c.platform === d.platform && c.channel === d.channel);
    if (!entry) {
      entry = { platform: d.platform, channel: d.channel, ok: true, approvalIds: [] };
      channels.push(entry);
    }
    if (d.ok) entry.approvalIds.push(d.approvalId);
    else {
      entry.ok = false;
      entry.error ??= { code: d.error?.code ?? 'INTERNAL.ERROR', message: d.error?.message ?? 'not posted' };
    }
  }
  if (channels.every((c) => !c.ok)) {
    throw new OpsError('APPROVAL.NOT_POSTED', 'the approval could not be posted to any channel named', {
      reasons: channels.map((c) => `${c.platform} ${c.channel}: ${c.error?.code ?? '-'}`).join('; '),
    });
  }
  return { status: channels.every((c) => c.ok) ? 201 : 207, ids: approvals.map((a) => a.id), channels };
}
