import { HttpStatus } from '@nestjs/common';

/** Every error a service may raise on purpose, and the HTTP status each one maps to. */
export const ERROR_STATUS = {
  BAD_REQUEST: HttpStatus.BAD_REQUEST,
  CART_EMPTY: HttpStatus.BAD_REQUEST,
  SHOP_INCOMPLETE: HttpStatus.BAD_REQUEST,
  RESET_TOKEN_INVALID: HttpStatus.BAD_REQUEST,
  VERIFICATION_TOKEN_INVALID: HttpStatus.BAD_REQUEST,
  UNAUTHENTICATED: HttpStatus.UNAUTHORIZED,
  INVALID_CREDENTIALS: HttpStatus.UNAUTHORIZED,
  INVALID_SIGNATURE: HttpStatus.UNAUTHORIZED,
  USER_BLOCKED: HttpStatus.FORBIDDEN,
  FORBIDDEN: HttpStatus.FORBIDDEN,
  NOT_A_BUYER: HttpStatus.FORBIDDEN,
  EMAIL_NOT_VERIFIED: HttpStatus.FORBIDDEN,
  NOT_FOUND: HttpStatus.NOT_FOUND,
  CONFLICT: HttpStatus.CONFLICT,
  EMAIL_TAKEN: HttpStatus.CONFLICT,
  EMAIL_ALREADY_VERIFIED: HttpStatus.CONFLICT,
  OUT_OF_STOCK: HttpStatus.CONFLICT,
  PRODUCT_UNAVAILABLE: HttpStatus.CONFLICT,
  INVALID_TRANSITION: HttpStatus.CONFLICT,
  ORDER_NOT_CANCELLABLE: HttpStatus.CONFLICT,
  ORDER_NOT_PAYABLE: HttpStatus.CONFLICT,
  PAYMENT_EXISTS: HttpStatus.CONFLICT,
  REVIEW_EXISTS: HttpStatus.CONFLICT,
  SELF_ACTION: HttpStatus.CONFLICT,
  COMMISSION_RULE_EXISTS: HttpStatus.CONFLICT,
  GLOBAL_RULE_REQUIRED: HttpStatus.CONFLICT,
  PAYOUT_NOT_PENDING: HttpStatus.CONFLICT,
  REFUND_NOT_MANUAL: HttpStatus.CONFLICT,
  INVALID_TIME_ZONE: HttpStatus.BAD_REQUEST,
  RETURN_NOT_ALLOWED: HttpStatus.CONFLICT,
  RETURN_QUANTITY_EXCEEDED: HttpStatus.CONFLICT,
  SLUG_TAKEN: HttpStatus.CONFLICT,
  SHOP_ON_HOLIDAY: HttpStatus.CONFLICT,
  IDEMPOTENCY_IN_PROGRESS: HttpStatus.CONFLICT,
  IDEMPOTENCY_KEY_REUSED: HttpStatus.UNPROCESSABLE_ENTITY,
  PAYLOAD_TOO_LARGE: HttpStatus.PAYLOAD_TOO_LARGE,
  TOO_MANY_REQUESTS: HttpStatus.TOO_MANY_REQUESTS,
  PAYMENT_PROVIDER_ERROR: HttpStatus.BAD_GATEWAY,
  SERVICE_UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
  PASSWORD_HASH_BUSY: HttpStatus.SERVICE_UNAVAILABLE,
  PAYMENT_PROVIDER_TIMEOUT: HttpStatus.GATEWAY_TIMEOUT,
  /** Not raised on purpose: what the filter answers for an unexpected failure. */
  INTERNAL_ERROR: HttpStatus.INTERNAL_SERVER_ERROR,
} satisfies Record<string, HttpStatus>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    /** Seconds, sent as Retry-After (429, 503). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get status(): HttpStatus {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what} not found`);
