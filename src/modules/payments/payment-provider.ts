import type { PaymentMethod } from './payment.entity';

/** What the service asks a provider to charge. Amounts are integer tiyn (1/100 KZT). */
export interface ChargeRequest {
  /** Our reference for this attempt (unique per payment): a provider may use it to deduplicate. */
  reference: string;
  orderId: string;
  /** Integer tiyn, always the order's total. */
  amount: number;
  currency: 'KZT';
  method: PaymentMethod;
  /** A card token from the acquirer's client-side tokenization (card payments only). */
  cardToken?: string;
}

/**
 * The outcome of a charge. A declined charge is a result (`failed` + `failure_reason`), not an
 * exception: a provider throws only when its own infrastructure fails (network, 5xx, bad answer).
 */
export interface ChargeResult {
  status: 'completed' | 'pending' | 'failed';
  /** The provider's id of the transaction (unique); webhooks refer to it. */
  transaction_id: string;
  failure_reason?: string;
}

/** The payment being refunded, as the provider needs it. */
export interface RefundRequest {
  transactionId: string;
  amount: number;
  method: PaymentMethod;
  reference: string;
}

export interface RefundResult {
  status: 'refunded' | 'failed';
  /** The provider's id of the refund, when it has one. */
  refund_id?: string;
  failure_reason?: string;
}

/** A provider's callback, once its signature has been checked. */
export interface CallbackPayload {
  transaction_id: string;
  status: 'completed' | 'failed' | 'pending';
}

/**
 * The payment provider port, and its injection token. Adapters (the demo one, a Kaspi Pay or card
 * acquirer one) implement it; `PaymentsService` never knows which one runs. See docs/payments.md.
 */
export abstract class PaymentProvider {
  /** The adapter's name, stored on each payment (`payments.provider`). */
  abstract readonly name: string;
  /** The `{provider}` path segments of `POST /payments/webhooks/{provider}` this adapter answers. */
  abstract readonly callbackChannels: readonly string[];

  /** Charges (or starts charging) the amount. Called outside any database transaction. */
  abstract charge(req: ChargeRequest): Promise<ChargeResult>;

  /** Returns a completed payment's money. Called outside any database transaction. */
  abstract refund(payment: RefundRequest): Promise<RefundResult>;

  /**
   * What became of the charge made with `reference` (a crash cut the call short, so we never
   * heard): its result, or null when the provider never received it. Used by the recovery sweep.
   */
  abstract lookup(reference: string): Promise<ChargeResult | null>;

  /** True when `signature` authenticates `rawBody` (constant-time comparison). */
  abstract verifyCallback(rawBody: Buffer, signature: string | undefined): boolean;
}
