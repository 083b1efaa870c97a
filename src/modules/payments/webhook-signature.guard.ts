import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';

import { DomainError, notFound } from '../../common/errors/domain-error';
import { PaymentProvider } from './payment-provider';

/**
 * Runs before body validation: an unknown `{provider}` → 404, a missing or bad `X-Signature`
 * (HMAC-SHA256 hex of the raw body, checked by the provider in constant time) → 401.
 */
@Injectable()
export class WebhookSignatureGuard implements CanActivate {
  constructor(private readonly provider: PaymentProvider) {}

  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<Request & { rawBody?: Buffer }>();
    const channel = String(req.params.provider ?? '');
    if (!this.provider.callbackChannels.includes(channel)) throw notFound('Payment provider');
    const header = req.headers['x-signature'];
    const signature = Array.isArray(header) ? header[0] : header;
    if (!this.provider.verifyCallback(req.rawBody ?? Buffer.alloc(0), signature)) {
      throw new DomainError('INVALID_SIGNATURE', 'Missing or invalid X-Signature');
    }
    return true;
  }
}
