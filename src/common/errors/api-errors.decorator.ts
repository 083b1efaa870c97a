import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';

import { ERROR_STATUS } from './domain-error';

export class FieldErrorResponse {
  @ApiProperty({ example: 'bin_iin', description: 'Dotted path of the field (`items.0.quantity`)' })
  field: string;
  @ApiProperty({
    example: 'INVALID_BIN_IIN',
    description:
      'Why: a validator name in upper snake case (`IS_NOT_EMPTY`, `MAX_LENGTH`), `UNKNOWN_FIELD`, ' +
      'or a domain check (`INVALID_BIN_IIN`, `INVALID_IBAN`, `INVALID_BIK`, `INVALID_KBE`, ' +
      '`INVALID_PHONE`, `INVALID_SLUG`, `REQUIRED`, `SLUG_TAKEN`; uploads: `NOT_AN_IMAGE`, ' +
      '`UNSUPPORTED_IMAGE_FORMAT`, `CORRUPT_IMAGE`, `IMAGE_TOO_LARGE`, `FILE_TOO_LARGE`, ' +
      '`INVALID_UPLOAD`)',
  })
  code: string;
  @ApiProperty({ example: 'bin_iin must be a valid BIN (12 digits, check digit)' })
  message: string;
}

export class ErrorResponse {
  @ApiProperty({ example: 409 }) statusCode: number;
  @ApiProperty({ example: 'Conflict' }) error: string;
  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: 'Not enough stock',
  })
  message: string | string[];
  @ApiProperty({
    example: 'OUT_OF_STOCK',
    enum: Object.keys(ERROR_STATUS),
    enumName: 'ErrorCode',
    description:
      'Machine-readable error code; each response lists the codes of its status as examples',
  })
  code: string;
  @ApiProperty({
    required: false,
    type: [FieldErrorResponse],
    description:
      'On a 400 for invalid input (and on field checks a service makes): each refused field, ' +
      'beside `message`',
  })
  errors?: FieldErrorResponse[];
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (unknown fields are rejected)',
  401: 'Missing, invalid or expired token, or a blocked user',
  403: 'Authenticated, but this role may not do this',
  404: 'Not found, or not yours',
  409: 'Conflict with the current state',
  413: 'Body larger than 1 MB',
  422: 'Idempotency-Key reused with a different body',
  429: 'Too many requests; see Retry-After',
  502: 'The payment provider failed',
  503: 'Temporarily unavailable; see Retry-After',
  504: 'The payment provider did not answer in time',
};

/** OpenAPI: the error statuses an operation may answer with, all with the common error body. */
export const ApiErrors = (...statuses: number[]) =>
  applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error', type: ErrorResponse }),
    ),
  );
