import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** Who is calling: the client address (as `trust proxy` allows) and its user agent, if any. */
export interface ClientInfo {
  ip: string;
  userAgent?: string;
}

/**
 * The caller's address and user agent, without declaring a header parameter: `@Headers('user-agent')`
 * would enter the OpenAPI document as a required header every generated client must send.
 */
export const CurrentClient = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): ClientInfo => {
    const req = ctx.switchToHttp().getRequest<Request>();
    const ua = req.headers['user-agent'];
    return { ip: req.ip ?? '', userAgent: typeof ua === 'string' ? ua : undefined };
  },
);
