import { STATUS_CODES } from 'node:http';

import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';

import { isUniqueViolation } from '../../database/db-errors';
import { DomainError, ErrorCode } from './domain-error';

/** The code of an error the framework raised itself (an unknown route, a guard, a parser). */
const STATUS_CODE: Partial<Record<number, ErrorCode>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};
const codeOfStatus = (status: number): ErrorCode =>
  STATUS_CODE[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST');

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  code: string;
  [extra: string]: unknown;
}

/** Busy SQLite, or a PostgreSQL serialization failure / deadlock that outlived the retries. */
const BUSY_CODES = new Set([
  'SQLITE_BUSY',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_LOCKED',
  '40001',
  '40P01',
]);
const PG_UNAVAILABLE = /^(08|57P0|53)/;
const NET_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);
/** The database connection went away mid-request (PostgreSQL restarted): TypeORM releases the
 * query runner of a broken connection, so the transaction's next query throws this. */
const LOST_CONNECTION =
  /Connection terminated|timeout exceeded when trying to connect|Cannot use a pool after calling end|is not queryable|Query runner already released/i;

/** What a thrown value means for the client: status, body and optional Retry-After. */
export function describeError(e: unknown): {
  status: number;
  body: ErrorBody;
  retryAfter?: number;
} {
  const make = (status: number, message: string | string[], code?: string): ErrorBody => ({
    statusCode: status,
    error: STATUS_CODES[status] ?? 'Error',
    message,
    code: code ?? codeOfStatus(status),
  });
  if (e instanceof DomainError) {
    return {
      status: e.status,
      body: { ...make(e.status, e.message, e.code), ...(e.details ?? {}) },
      retryAfter: e.retryAfter,
    };
  }
  if (e instanceof HttpException) {
    const status = e.getStatus();
    const res = e.getResponse();
    const message =
      typeof res === 'string'
        ? res
        : ((res as { message?: string | string[] }).message ?? e.message);
    const retry = (res as { retryAfter?: number })?.retryAfter;
    return { status, body: make(status, message), retryAfter: retry };
  }
  const err = e as {
    code?: string;
    type?: string;
    status?: number;
    driverError?: { code?: string };
  };
  const code = String(err?.driverError?.code ?? err?.code ?? '');
  // body-parser errors carry their own status and type
  if (err?.type === 'entity.too.large')
    return { status: 413, body: make(413, 'Request body is too large (limit 1 MB)') };
  if (err?.type === 'entity.parse.failed')
    return { status: 400, body: make(400, 'Malformed JSON body') };
  if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500 && err.type) {
    return { status: err.status, body: make(err.status, 'Bad request body') };
  }
  if (
    BUSY_CODES.has(code) ||
    PG_UNAVAILABLE.test(code) ||
    NET_UNAVAILABLE.has(code) ||
    LOST_CONNECTION.test(String((e as Error)?.message))
  ) {
    return {
      status: 503,
      body: make(503, 'The service is busy, try again shortly', 'SERVICE_UNAVAILABLE'),
      retryAfter: 1,
    };
  }
  if (isUniqueViolation(e)) {
    return { status: 409, body: make(409, 'Conflicts with an existing record', 'CONFLICT') };
  }
  return { status: 500, body: make(500, 'Internal server error') };
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    sendError(res, req, exception, this.logger);
  }
}

export function sendError(res: Response, req: Request, exception: unknown, logger: Logger): void {
  const { status, body, retryAfter } = describeError(exception);
  const id = req.id === undefined ? '-' : String(req.id);
  // the path without its query: a query may carry a token
  const where = `${req.method} ${req.originalUrl.split('?')[0]}`;
  if (status === HttpStatus.SERVICE_UNAVAILABLE) {
    // expected while a dependency is down (busy SQLite, PostgreSQL restarting): one line, no stack
    logger.warn(
      `request ${id} ${where} answered 503: ${(exception as Error)?.message ?? String(exception)}`,
    );
  } else if (status >= 500) {
    logger.error(
      `request ${id} ${where} failed: ${(exception as Error)?.stack ?? String(exception)}`,
    );
    if (status === HttpStatus.INTERNAL_SERVER_ERROR) body.request_id = id;
  }
  if (res.headersSent) return;
  if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
  res.status(status).json(body);
}
