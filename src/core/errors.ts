/**
 * One coded error for the whole product (after bolt-js `src/errors.ts`): a stable namespaced `code` that adapters
 * turn into words, a technical `message` safe to log, and `meta` that is safe to log (never secrets, tokens,
 * signatures or session webhooks: redact before constructing).
 *
 * @example
 * throw new OpsError('INPUT.BAD_ID', 'pipeline id must be 32 letters or digits', { field: 'pipeline', expected: '32 letters/digits' });
 */
export const ERROR_CODES = [
  'INPUT.INVALID',
  'INPUT.UNKNOWN_COMMAND',
  'INPUT.MISSING_ARGUMENT',
  'INPUT.BAD_ARGUMENT',
  'INPUT.BAD_TARGET',
  'INPUT.BAD_ID',
  'INPUT.TOO_LARGE',
  'AUTH.DENIED',
  'AUTH.BAD_SIGNATURE',
  'AUTH.NOT_GATE_APPROVER',
  'CONFIG.INVALID',
  'CONFIG.CLOUD_DISABLED',
  'CONFIG.REGION_NOT_CONFIGURED',
  'REVIEW.NONE_WAITING',
  'REVIEW.CHOOSE_STEP',
  'REVIEW.STEP_NOT_FOUND',
  'REVIEW.RUN_FINISHED',
  'APPROVAL.NOT_FOUND',
  'APPROVAL.ALREADY_DECIDED',
  'APPROVAL.EXPIRED',
  'APPROVAL.SELF_DECISION',
  'APPROVAL.IN_PROGRESS',
  'APPROVAL.DUPLICATE_APPROVER',
  'APPROVAL.WRONG_MESSAGE',
  'APPROVAL.NOT_POSTED',
  'PROVIDER.AUTH_FAILED',
  'PROVIDER.FORBIDDEN',
  'PROVIDER.NOT_FOUND',
  'PROVIDER.BAD_REQUEST',
  'PROVIDER.CONFLICT',
  'PROVIDER.RATE_LIMITED',
  'PROVIDER.UNAVAILABLE',
  'PROVIDER.TIMEOUT',
  'PROVIDER.BAD_RESPONSE',
  'PROVIDER.AMBIGUOUS',
  'PROVIDER.ERROR',
  'PROVIDER.QUEUED',
  'OUTCOME.UNKNOWN',
  'OUTCOME.NOT_SENT',
  'PLATFORM.ERROR',
  'PLATFORM.NOT_DELIVERED',
  'STORE.ERROR',
  'STORE.UNAVAILABLE',
  'SERVER.BUSY',
  'INTERNAL.ERROR',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Values that are safe to put in a log line or a chat message. */
export type SafeMeta = Record<string, string | number | boolean | null | undefined | readonly string[] | SafeMetaList>;
type SafeMetaList = ReadonlyArray<Record<string, string | number | boolean | null | undefined>>;

export class OpsError extends Error {
  override readonly name = 'OpsError';
  readonly code: ErrorCode;
  readonly meta: SafeMeta;

  constructor(code: ErrorCode, message: string, meta: SafeMeta = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.meta = meta;
  }

  /** A plain object for JSON output and structured logs. */
  toJSON(): { code: ErrorCode; message: string; meta: SafeMeta } {
    return { code: this.code, message: this.message, meta: this.meta };
  }
}

export function isOpsError(value: unknown): value is OpsError {
  return value instanceof OpsError;
}

/** Wraps anything thrown into an OpsError without copying its message (it might carry a secret). */
export function toOpsError(value: unknown): OpsError {
  if (isOpsError(value)) return value;
  return new OpsError('INTERNAL.ERROR', 'unexpected internal error', {}, { cause: value });
}

/** Error codes after which a decision may or may not have reached the cloud. */
export function isAmbiguous(error: OpsError): boolean {
  return error.code === 'PROVIDER.AMBIGUOUS';
}
