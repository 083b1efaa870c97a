import { randomUUID } from 'node:crypto';

import { Inject, Injectable, Logger } from '@nestjs/common';

import type { Actor } from '../../common/auth/actor';
import { DomainError, notFound } from '../../common/errors/domain-error';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import { UnitOfWork } from '../../database/unit-of-work';
import { OrderPaymentService } from '../orders/order-payment.service';
import { CreatePaymentDto } from './dto/payment.dto';
import { PaymentResponse, toPaymentResponse } from './dto/payment.response';
import { ChargeRequest, ChargeResult, PaymentProvider } from './payment-provider';
import { LIVE_STATUSES, PaymentSettlement } from './payment-settlement.service';
import { NewPayment, PaymentsRepository } from './payments.repository';
import { isUniqueViolation, ProviderTimeoutError, withTimeout } from './provider-call';

const paymentExists = (status?: string) =>
  new DomainError(
    'PAYMENT_EXISTS',
    status
      ? `The order already has a ${status} payment`
      : 'The order already has a payment in progress',
  );

/**
 * POST /payments in three steps, so a provider call never runs inside a transaction:
 * 1. a transaction inserts the payment as `processing` (the partial unique index on
 *    payments(order_id) for live statuses makes a racing second payment fail → 409);
 * 2. the provider is called, bounded by `PAYMENT_TIMEOUT_MS`;
 * 3. a transaction records the outcome (conditional on `processing`) and applies it to the order.
 */
@Injectable()
export class PaymentsService {
  private readonly logger = new Logger('Payments');

  constructor(
    private readonly repo: PaymentsRepository,
    private readonly uow: UnitOfWork,
    private readonly orders: OrderPaymentService,
    private readonly provider: PaymentProvider,
    private readonly settlement: PaymentSettlement,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(actor: Actor, dto: CreatePaymentDto): Promise<PaymentResponse> {
    if (dto.card_token !== undefined && dto.payment_method !== 'card') {
      throw new DomainError('BAD_REQUEST', 'card_token is only accepted with payment_method card');
    }
    const payment = await this.insertProcessing(actor, dto);
    const req: ChargeRequest = {
      reference: payment.transactionId,
      orderId: payment.orderId,
      amount: payment.amount,
      currency: 'KZT',
      method: payment.paymentMethod,
      cardToken: dto.card_token,
    };
    let result: ChargeResult;
    try {
      result = await withTimeout(
        this.provider.charge(req),
        this.config.payments.timeoutMs,
        (late) => this.compensateLateCharge(req, late),
      );
    } catch (e) {
      const timedOut = e instanceof ProviderTimeoutError;
      if (!timedOut) this.logger.error(`charge of payment ${payment.id} failed: ${String(e)}`);
      await this.settlement.settle(
        payment.id,
        ['processing'],
        { status: 'failed', failureReason: timedOut ? 'provider_timeout' : 'provider_error' },
        actor.id,
      );
      throw timedOut
        ? new DomainError(
            'PAYMENT_PROVIDER_TIMEOUT',
            'The payment provider did not answer in time; nothing was charged, try again',
            { payment_id: payment.id },
          )
        : new DomainError(
            'PAYMENT_PROVIDER_ERROR',
            'The payment provider failed; nothing was charged, try again',
            { payment_id: payment.id },
          );
    }
    try {
      const { payment: settled } = await this.settlement.settle(
        payment.id,
        ['processing'],
        {
          status: result.status,
          transactionId: result.transaction_id,
          failureReason: result.status === 'failed' ? (result.failure_reason ?? 'declined') : null,
        },
        actor.id,
      );
      return toPaymentResponse(settled);
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      // The provider answered with a transaction id we already hold: not trustworthy.
      this.logger.error(`provider reused transaction id ${result.transaction_id}`);
      await this.settlement.settle(
        payment.id,
        ['processing'],
        { status: 'failed', failureReason: 'provider_error' },
        actor.id,
      );
      throw new DomainError(
        'PAYMENT_PROVIDER_ERROR',
        'The payment provider gave an invalid answer; try again',
        { payment_id: payment.id },
      );
    }
  }

  /** GET /payments/{id}: the payer and admins; anyone else → 404. */
  async get(actor: Actor, id: string): Promise<PaymentResponse> {
    const p = await this.repo.byId(id);
    if (!p || (p.userId !== actor.id && actor.role !== 'admin')) throw notFound('Payment');
    return toPaymentResponse(p);
  }

  /** GET /payments/order/{order_id}: the order's payments, oldest first (owner, admin). */
  async listForOrder(actor: Actor, orderId: string): Promise<PaymentResponse[]> {
    await this.orders.findVisible(undefined, actor, orderId);
    return (await this.repo.ofOrder(orderId)).map(toPaymentResponse);
  }

  /** Step 1: the payment row as `processing`, for the order's total; 404 / 409 otherwise. */
  private async insertProcessing(actor: Actor, dto: CreatePaymentDto): Promise<NewPayment> {
    try {
      return await this.uow.run(async (tx) => {
        const order = await this.orders.findPayable(tx, actor, dto.order_id);
        const live = await this.repo.oneOfOrder(order.id, LIVE_STATUSES, tx);
        if (live) throw paymentExists(live.status);
        const p: NewPayment = {
          id: randomUUID(),
          orderId: order.id,
          userId: actor.id,
          amount: order.totalAmount,
          paymentMethod: dto.payment_method,
          status: 'processing',
          transactionId: `ref_${randomUUID().replace(/-/g, '')}`,
          provider: this.provider.name,
          failureReason: null,
        };
        await this.repo.insert(tx, p);
        await this.orders.applyPaymentOutcome(tx, order.id, 'processing', actor.id);
        return p;
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw paymentExists();
      throw e;
    }
  }

  /** A charge that answered after we gave up (the payment is already failed): undo it. */
  private async compensateLateCharge(req: ChargeRequest, late: ChargeResult): Promise<void> {
    if (late.status !== 'completed') return;
    this.logger.warn(`late charge ${late.transaction_id} for ${req.reference}: refunding it`);
    try {
      await this.provider.refund({
        transactionId: late.transaction_id,
        amount: req.amount,
        method: req.method,
        reference: req.reference,
      });
    } catch (e) {
      this.logger.error(`refund of late charge ${late.transaction_id} failed: ${String(e)}`);
    }
  }
}
