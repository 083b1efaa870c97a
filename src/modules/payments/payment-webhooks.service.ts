import { Injectable } from '@nestjs/common';

import { notFound } from '../../common/errors/domain-error';
import { PaymentWebhookDto } from './dto/payment.dto';
import { PaymentResponse, toPaymentResponse } from './dto/payment.response';
import { PaymentProvider } from './payment-provider';
import { PaymentSettlement } from './payment-settlement.service';
import { PaymentsRepository } from './payments.repository';

/**
 * Signed provider callbacks (the signature is checked by WebhookSignatureGuard before the body is
 * even validated). Only a pending or processing payment moves, so a replayed or out-of-order
 * callback changes nothing and still answers 200.
 */
@Injectable()
export class PaymentWebhooksService {
  constructor(
    private readonly repo: PaymentsRepository,
    private readonly provider: PaymentProvider,
    private readonly settlement: PaymentSettlement,
  ) {}

  async handle(channel: string, dto: PaymentWebhookDto): Promise<PaymentResponse> {
    const p = await this.repo.byTransactionId(dto.transaction_id);
    if (!p || p.provider !== this.provider.name || p.paymentMethod !== channel) {
      throw notFound('Transaction');
    }
    if (dto.status === 'pending') return toPaymentResponse(p);
    const { payment } = await this.settlement.settle(
      p.id,
      ['pending', 'processing'],
      {
        status: dto.status,
        failureReason: dto.status === 'failed' ? 'declined_by_provider' : null,
      },
      null,
    );
    return toPaymentResponse(payment);
  }
}
