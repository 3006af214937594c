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
  'PLATFORM.UNAVAILABLE',
  'STORE.ERROR',
  'STORE.NOT_FOUND',
  'STORE.UNAVAILABLE',
  'SERVER.BUSY',
  'INTERNAL.ERROR',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * What each code means outside the chat: the HTTP status of `POST /v1/approvals`, the `opsgate` exit code (0 ok, 1 the
 * operation failed, 2 bad input, 3 configuration, 4 denied), and whether a person can meet it (then the README's error
 * table lists it; a test checks both against this table). The words are in the catalogs (`error.<CODE>`).
 */
export interface ErrorInfo {
  http: number;
  exit: 1 | 2 | 3 | 4;
  /** Shown to people (chat, CLI, HTTP answers); false for codes only logs and metrics see. */
  public: boolean;
}

const input = { http: 400, exit: 2, public: true } as const;
const provider = { http: 502, exit: 1, public: true } as const;
const approval = { http: 409, exit: 1, public: true } as const;

export const ERROR_TABLE = {
  'INPUT.INVALID': input,
  'INPUT.UNKNOWN_COMMAND': input,
  'INPUT.MISSING_ARGUMENT': input,
  'INPUT.BAD_ARGUMENT': input,
  'INPUT.BAD_TARGET': input,
  'INPUT.BAD_ID': input,
  'INPUT.TOO_LARGE': { http: 413, exit: 2, public: true },
  'AUTH.DENIED': { http: 403, exit: 4, public: true },
  'AUTH.BAD_SIGNATURE': { http: 401, exit: 2, public: true },
  'AUTH.NOT_GATE_APPROVER': { http: 403, exit: 4, public: true },
  'CONFIG.INVALID': { http: 500, exit: 3, public: true },
  'CONFIG.CLOUD_DISABLED': { http: 422, exit: 3, public: true },
  'CONFIG.REGION_NOT_CONFIGURED': { http: 422, exit: 3, public: true },
  'REVIEW.NONE_WAITING': approval,
  'REVIEW.CHOOSE_STEP': approval,
  'REVIEW.STEP_NOT_FOUND': approval,
  'REVIEW.RUN_FINISHED': approval,
  'APPROVAL.NOT_FOUND': { http: 404, exit: 1, public: true },
  'APPROVAL.ALREADY_DECIDED': approval,
  'APPROVAL.EXPIRED': approval,
  'APPROVAL.SELF_DECISION': approval,
  'APPROVAL.IN_PROGRESS': approval,
  'APPROVAL.DUPLICATE_APPROVER': approval,
  'APPROVAL.WRONG_MESSAGE': approval,
  'APPROVAL.NOT_POSTED': { http: 422, exit: 1, public: true },
  'PROVIDER.AUTH_FAILED': provider,
  'PROVIDER.FORBIDDEN': provider,
  'PROVIDER.NOT_FOUND': provider,
  'PROVIDER.BAD_REQUEST': provider,
  'PROVIDER.CONFLICT': provider,
  'PROVIDER.RATE_LIMITED': provider,
  'PROVIDER.QUEUED': provider,
  'PROVIDER.UNAVAILABLE': provider,
  'PROVIDER.TIMEOUT': provider,
  'PROVIDER.BAD_RESPONSE': provider,
  'PROVIDER.AMBIGUOUS': provider,
  'PROVIDER.ERROR': provider,
  'OUTCOME.UNKNOWN': provider,
  'OUTCOME.NOT_SENT': { http: 409, exit: 1, public: true },
  'PLATFORM.ERROR': { http: 502, exit: 1, public: true },
  'PLATFORM.NOT_DELIVERED': { http: 502, exit: 1, public: true },
  'PLATFORM.UNAVAILABLE': { http: 503, exit: 1, public: true },
  'STORE.ERROR': { http: 503, exit: 1, public: true },
  'STORE.NOT_FOUND': { http: 500, exit: 3, public: true },
  'STORE.UNAVAILABLE': { http: 503, exit: 1, public: true },
  'SERVER.BUSY': { http: 503, exit: 1, public: true },
  'INTERNAL.ERROR': { http: 500, exit: 1, public: true },
} as const satisfies Record<ErrorCode, ErrorInfo>;

export function errorInfo(code: ErrorCode): ErrorInfo {
  return ERROR_TABLE[code];
}

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
