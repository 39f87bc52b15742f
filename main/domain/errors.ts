// The one error type that crosses the API border. Codes are stable; messages say where and why.
export const ERROR_CODES = [
  'VALIDATION',
  'UNAUTHENTICATED',
  'LOCKED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'LIMIT',
  'LEDGER',
  'REFUSED',
  'BOOKS',
  'CANCELLED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class CofferError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'CofferError';
  }
}

/** What the renderer receives for a refused call. */
export interface ApiErrorBody {
  code: ErrorCode;
  message: string;
  details: Record<string, unknown>;
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiErrorBody };
