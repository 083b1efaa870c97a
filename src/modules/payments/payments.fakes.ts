import type { AppConfig } from '../../config/app-config';
import { Metrics } from '../../observability/metrics';
import { FakeUnitOfWork } from '../../testing/fake-unit-of-work';
import type { OrderPaymentService, PaymentOutcome } from '../orders/order-payment.service';
import type { Payment, PaymentStatus } from './payment.entity';
import { PaymentMetrics } from './payment-metrics';
import type { PaymentNotifier } from './payment-notifier';
import type { PaymentProvider } from './payment-provider';
import type { PaymentRefundsRepository } from './payment-refunds.repository';
import { PaymentSettlement } from './payment-settlement.service';
import type { NewPayment, PaymentSet, PaymentsRepository } from './payments.repository';

/**
 * Fakes for the payments unit specs (no jest here: this file is compiled with the app): an
 * in-memory PaymentsRepository whose conditional moves behave as the SQL does, and the orders
 * side of payments. Specs spy on their methods.
 */
export class FakePaymentsRepository {
  readonly rows = new Map<string, Payment>();
  /** Set to make the next insert fail (e.g. as a unique index would). */
  failNextInsert?: Error;

  add(p: Partial<Payment> & Pick<Payment, 'id' | 'orderId' | 'status'>): Payment {
    const row: Payment = {
      userId: 'buyer',
      amount: 5000_00,
      paymentMethod: 'card',
      transactionId: `txn_${p.id}`,
      provider: 'demo',
      failureReason: null,
      createdAt: new Date(0),
      updatedAt: new Date(0),
      ...p,
    };
    this.rows.set(row.id, row);
    return row;
  }

  status(id: string): PaymentStatus | undefined {
    return this.rows.get(id)?.status;
  }

  async byId(id: string, _tx?: unknown): Promise<Payment | null> {
    return this.copy(this.rows.get(id));
  }

  async byTransactionId(t: string): Promise<Payment | null> {
    return this.where((p) => p.transactionId === t)[0] ?? null;
  }

  async ofOrder(orderId: string): Promise<Payment[]> {
    return this.where((p) => p.orderId === orderId);
  }

  async oneOfOrder(orderId: string, statuses: readonly PaymentStatus[], _tx?: unknown) {
    return this.where((p) => p.orderId === orderId && statuses.includes(p.status))[0] ?? null;
  }

  async pendingOfOrder(orderId: string): Promise<Payment[]> {
    return this.where((p) => p.orderId === orderId && p.status === 'pending');
  }

  async pendingCashOnDelivery(orderId: string): Promise<Payment | null> {
    const cod = (p: Payment) => p.status === 'pending' && p.paymentMethod === 'cash_on_delivery';
    return this.where((p) => p.orderId === orderId && cod(p))[0] ?? null;
  }

  async hasCompleted(orderId: string): Promise<boolean> {
    return this.where((p) => p.orderId === orderId && p.status === 'completed').length > 0;
  }

  async staleProcessing(before: Date, limit: number): Promise<Payment[]> {
    return this.where((p) => p.status === 'processing' && p.updatedAt < before).slice(0, limit);
  }

  async ordersWithCompletedPayment(orderIds: string[], limit: number): Promise<string[]> {
    const held = this.where((p) => orderIds.includes(p.orderId) && p.status === 'completed');
    return held.map((p) => p.orderId).slice(0, limit);
  }

  async insert(_tx: unknown, p: NewPayment): Promise<void> {
    const e = this.failNextInsert;
    this.failNextInsert = undefined;
    if (e) throw e;
    this.add(p);
  }

  async move(_tx: unknown, id: string, from: readonly PaymentStatus[], set: PaymentSet) {
    const p = this.rows.get(id);
    if (!p || !from.includes(p.status)) return false;
    Object.assign(p, set, { updatedAt: new Date() });
    return true;
  }

  async unclaimRefund(_tx: unknown, id: string): Promise<void> {
    const p = this.rows.get(id);
    if (p?.status === 'refunded') p.status = 'completed';
  }

  private where(f: (p: Payment) => boolean): Payment[] {
    return [...this.rows.values()].filter(f).map((p) => ({ ...p }));
  }

  private copy(p: Payment | undefined): Payment | null {
    return p ? { ...p } : null;
  }
}

/** The orders side of payments for one order; `closed` makes it cancelled (e.g. meanwhile). */
export class FakeOrderPayments {
  closed = false;
  readonly applied: [string, PaymentStatus, string | null][] = [];

  constructor(readonly order = { id: 'o1', userId: 'buyer', totalAmount: 5000_00 }) {}

  async findPayable(_tx: unknown, _actor: unknown, id: string) {
    return { ...this.order, id, status: 'pending' as const, trackingNumber: 'BB-1' };
  }

  async findVisible(_tx: unknown, _actor: unknown, id: string) {
    return this.findPayable(_tx, _actor, id);
  }

  async applyPaymentOutcome(
    _tx: unknown,
    orderId: string,
    status: PaymentStatus,
    actorId: string | null,
  ): Promise<PaymentOutcome> {
    this.applied.push([orderId, status, actorId]);
    return {
      orderStatus: this.closed ? 'cancelled' : status === 'completed' ? 'confirmed' : 'pending',
      customerId: this.order.userId,
      orderRef: 'BB-1',
      totalAmount: this.order.totalAmount,
      orderClosed: this.closed,
    };
  }
}

/** Records the mails queued and the kicks. */
export class FakePaymentNotifier {
  readonly queued: {
    tx: unknown;
    status: PaymentStatus;
    outcome: PaymentOutcome;
    amount: number;
  }[] = [];
  kicks = 0;

  async queue(tx: unknown, status: PaymentStatus, outcome: PaymentOutcome, amount: number) {
    this.queued.push({ tx, status, outcome, amount });
  }

  kick(): void {
    this.kicks++;
  }
}

/** A real PaymentSettlement over the fakes, with the given provider (timeout 30 ms). */
export function fakePayments(provider: Partial<PaymentProvider>) {
  const uow = new FakeUnitOfWork();
  const repo = new FakePaymentsRepository();
  const orders = new FakeOrderPayments();
  const notifier = new FakePaymentNotifier();
  const config = { payments: { timeoutMs: 30 } } as AppConfig;
  /** Σ of what returns refunded of each payment (partial refunds), 0 unless a spec sets it. */
  const partials = { taken: new Map<string, number>() };
  const settlement = new PaymentSettlement(
    repo as unknown as PaymentsRepository,
    {
      totalOf: async (_tx: unknown, paymentId: string) => partials.taken.get(paymentId) ?? 0,
    } as unknown as PaymentRefundsRepository,
    uow.asUnitOfWork(),
    orders as unknown as OrderPaymentService,
    notifier as unknown as PaymentNotifier,
    provider as PaymentProvider,
    config,
    new PaymentMetrics(new Metrics()),
  );
  return { uow, repo, orders, notifier, config, settlement, partials };
}
