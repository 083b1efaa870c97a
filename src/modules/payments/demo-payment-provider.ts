import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';

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

/** One refund the demo provider made, as its journal records it (one JSON line each). */
export interface DemoRefundRecord {
  /** `refund`: money went back; `replay`: a repeated idempotency key, answered from the record. */
  kind: 'refund' | 'replay';
  reference: string;
  transaction_id: string;
  amount: number;
  refund_id: string;
  at: string;
}

export interface DemoProviderOptions {
  /** A file to record refunds in, so that a repeated reference is known across restarts. */
  journal?: string;
  /** Milliseconds between making a refund and answering (network latency). */
  refundDelayMs?: number;
}

/**
 * The default adapter: no network. `card` completes at once (except the test tokens above),
 * `kaspi` stays pending until a signed callback on `POST /payments/webhooks/kaspi`,
 * `cash_on_delivery` stays pending until the order is delivered.
 */
export class DemoPaymentProvider extends PaymentProvider {
  readonly name = 'demo';
  readonly callbackChannels = ['kaspi'] as const;

  /** Refunds made, by idempotency key (the journal's, when there is one). */
  private readonly refunds = new Map<string, DemoRefundRecord>();

  constructor(
    private readonly webhookSecret: string,
    private readonly options: DemoProviderOptions = {},
  ) {
    super();
    const journal = options.journal;
    if (journal && existsSync(journal)) {
      for (const line of readFileSync(journal, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        const r = JSON.parse(line) as DemoRefundRecord;
        if (r.kind === 'refund') this.refunds.set(r.reference, r);
      }
    }
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

  /**
   * Refunds at once, once per `reference` (the idempotency key, as an acquirer honours it): a
   * repeated key answers the first refund's id and moves no money. With a journal the refund is
   * written (and synced) before the answer, which comes `refundDelayMs` later.
   */
  async refund(payment: RefundRequest): Promise<RefundResult> {
    const known = this.refunds.get(payment.reference);
    const record: DemoRefundRecord = {
      kind: known ? 'replay' : 'refund',
      reference: payment.reference,
      transaction_id: payment.transactionId,
      amount: payment.amount,
      refund_id: known?.refund_id ?? `demo_refund_${randomBytes(8).toString('hex')}`,
      at: new Date().toISOString(),
    };
    if (!known) this.refunds.set(payment.reference, record);
    if (this.options.journal) appendSynced(this.options.journal, `${JSON.stringify(record)}\n`);
    if (this.options.refundDelayMs) {
      await new Promise((r) => setTimeout(r, this.options.refundDelayMs));
    }
    return { status: 'refunded', refund_id: record.refund_id };
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

function appendSynced(path: string, text: string): void {
  const fd = openSync(path, 'a');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
