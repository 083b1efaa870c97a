import { randomBytes } from 'node:crypto';

import type { ChargeRequest, ChargeResult, RefundRequest, RefundResult } from './payment-provider';
import { PaymentProvider } from './payment-provider';
import { verifySignature } from './webhook-signature';

/** Card tokens with a fixed outcome in the demo provider (documented in docs/payments.md). */
export const DEMO_CARDS = {
  /** Declined by the "issuer": the payment is `failed`, the order stays payable. */
  declined: '4000000000000002',
  /** The provider itself fails (as a network or 5xx error would): 502, the payment is `failed`. */
  providerError: '4000000000000119',
} as const;

/**
 * The default adapter: no network. `card` completes at once (except the test tokens above),
 * `kaspi` stays pending until a signed callback on `POST /payments/webhooks/kaspi`,
 * `cash_on_delivery` stays pending until the order is delivered.
 */
export class DemoPaymentProvider extends PaymentProvider {
  readonly name = 'demo';
  readonly callbackChannels = ['kaspi'] as const;

  constructor(private readonly webhookSecret: string) {
    super();
  }

  charge(req: ChargeRequest): Promise<ChargeResult> {
    const transaction_id = `demo_${req.method}_${randomBytes(12).toString('hex')}`;
    switch (req.method) {
      case 'card':
        if (req.cardToken === DEMO_CARDS.providerError) {
          return Promise.reject(new Error('demo provider: simulated processing error'));
        }
        if (req.cardToken === DEMO_CARDS.declined) {
          return Promise.resolve({
            status: 'failed',
            transaction_id,
            failure_reason: 'card_declined',
          });
        }
        return Promise.resolve({ status: 'completed', transaction_id });
      case 'kaspi':
      case 'cash_on_delivery':
        return Promise.resolve({ status: 'pending', transaction_id });
    }
  }

  refund(payment: RefundRequest): Promise<RefundResult> {
    return Promise.resolve({
      status: 'refunded',
      refund_id: `demo_refund_${payment.transactionId.slice(-12)}`,
    });
  }

  /**
   * The demo provider keeps no state across restarts: it answers that it never saw the charge,
   * so an interrupted payment is closed as failed and the customer can pay again.
   */
  lookup(_reference: string): Promise<ChargeResult | null> {
    return Promise.resolve(null);
  }

  verifyCallback(rawBody: Buffer, signature: string | undefined): boolean {
    return verifySignature(this.webhookSecret, rawBody, signature);
  }
}
