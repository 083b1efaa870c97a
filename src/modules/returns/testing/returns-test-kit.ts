import type { Actor } from '../../../common/auth/actor';
import { loadConfig } from '../../../config/app-config';
import type { Tx } from '../../../database/unit-of-work';
import { FakeUnitOfWork } from '../../../testing/fake-unit-of-work';
import type { MailOutboxService } from '../../email/mail-outbox.service';
import type { Mail } from '../../email/mailer';
import { Clock } from '../clock';
import type { ReturnContact } from '../ports/return-contacts';
import { ReturnContacts } from '../ports/return-contacts';
import type { ReturnLedgerRefund } from '../ports/return-ledger';
import { ReturnLedger } from '../ports/return-ledger';
import type { ReturnRefundOutcome, ReturnRefundRequest } from '../ports/return-refunds';
import { ReturnRefunds } from '../ports/return-refunds';
import type { Restock } from '../ports/return-stock';
import { ReturnStock } from '../ports/return-stock';
import type { ReturnableOrder } from '../ports/returnable-orders';
import { ReturnableOrders } from '../ports/returnable-orders';
import type { ProductReturn, ReturnItem, ReturnStatusHistory } from '../return.entity';
import type { ReturnScope } from '../return-access';
import { ReturnRefundService } from '../return-refund.service';
import { ReturnSteps } from '../return-steps';
import { ReturnSweeper } from '../return-sweeper';
import type { ReturnStatus } from '../return-workflow';
import type {
  LoadedReturn,
  ReturnChange,
  ReturnExpectation,
  ReturnsRepository,
} from '../returns.repository';
import { ReturnsService } from '../returns.service';

/** Lets other pending work run, as a database round trip would. */
const tick = () => new Promise<void>((r) => setImmediate(r));
/** Waits (without a timer) until `cond` holds: for work left running in the background. */
export async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000; i++) {
    if (cond()) return;
    await tick();
  }
  throw new Error('the condition never held');
}

const copy = <T>(x: T): T => ({ ...x });

/** The returns tables in memory, with the repository's semantics (conditional updates included). */
export class FakeReturnsRepository {
  readonly returns = new Map<string, ProductReturn>();
  readonly items: ReturnItem[] = [];
  readonly history: ReturnStatusHistory[] = [];
  /** Set to see the transaction handle each write was given. */
  readonly handles: Tx[] = [];

  async insert(tx: Tx, ret: ProductReturn, items: ReturnItem[], h: ReturnStatusHistory) {
    this.handles.push(tx);
    await tick();
    this.returns.set(ret.id, copy(ret));
    this.items.push(...items.map(copy));
    this.history.push(copy(h));
  }

  async findById(id: string): Promise<ProductReturn | null> {
    await tick();
    const r = this.returns.get(id);
    return r ? copy(r) : null;
  }

  async itemsOf(returnId: string): Promise<ReturnItem[]> {
    await tick();
    return this.items.filter((i) => i.returnId === returnId).map(copy);
  }

  async withDetails(rets: ProductReturn[]): Promise<LoadedReturn[]> {
    await tick();
    return rets.map((r) => ({
      ret: copy(r),
      items: this.items.filter((i) => i.returnId === r.id).map(copy),
      history: this.history.filter((h) => h.returnId === r.id).map(copy),
    }));
  }

  async heldQuantities(
    _tx: Tx,
    fulfillmentId: string,
    statuses: readonly ReturnStatus[],
    except?: string,
  ): Promise<Map<string, number>> {
    await tick();
    const held = new Map<string, number>();
    for (const i of this.items) {
      const r = this.returns.get(i.returnId)!;
      if (r.fulfillmentId !== fulfillmentId || !statuses.includes(r.status) || r.id === except) {
        continue;
      }
      held.set(i.orderItemId, (held.get(i.orderItemId) ?? 0) + i.quantity);
    }
    return held;
  }

  async updateIf(tx: Tx, id: string, expect: ReturnExpectation, change: ReturnChange) {
    this.handles.push(tx);
    await tick();
    const r = this.returns.get(id);
    if (!r || r.status !== expect.status) return false;
    if (expect.refundStatus !== undefined && r.refundStatus !== expect.refundStatus) return false;
    if (expect.refundAttempts !== undefined && r.refundAttempts !== expect.refundAttempts) {
      return false;
    }
    Object.assign(r, change);
    return true;
  }

  async addHistory(tx: Tx, h: ReturnStatusHistory) {
    this.handles.push(tx);
    this.history.push(copy(h));
  }

  async page(
    scope: ReturnScope,
    status: ReturnStatus | undefined,
    skip: number,
    take: number,
  ): Promise<[ProductReturn[], number]> {
    await tick();
    const all = [...this.returns.values()]
      .filter(
        (r) => scope.kind === 'all' || r.buyerId === scope.userId || r.sellerId === scope.userId,
      )
      .filter((r) => !status || r.status === status)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    return [all.slice(skip, skip + take).map(copy), all.length];
  }

  async requestedBefore(cutoff: Date, limit: number): Promise<string[]> {
    await tick();
    return [...this.returns.values()]
      .filter((r) => r.status === 'requested' && r.createdAt.getTime() <= cutoff.getTime())
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .slice(0, limit)
      .map((r) => r.id);
  }

  async refundsDue(now: Date, staleBefore: Date, limit: number): Promise<ProductReturn[]> {
    await tick();
    return [...this.returns.values()]
      .filter(
        (r) =>
          r.status === 'received' &&
          ((r.refundStatus === 'failed' && r.nextRefundAt!.getTime() <= now.getTime()) ||
            (r.refundStatus === 'pending' && r.refundClaimedAt!.getTime() < staleBefore.getTime())),
      )
      .slice(0, limit)
      .map(copy);
  }

  /** The stored row (not a copy), for assertions. */
  row(id: string): ProductReturn {
    return this.returns.get(id)!;
  }
}

export class FakeClock extends Clock {
  constructor(public t = new Date('2026-11-25T10:00:00Z')) {
    super();
  }
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t = new Date(this.t.getTime() + ms);
  }
}

export class FakeOrders extends ReturnableOrders {
  readonly orders = new Map<string, { ownerId: string; order: ReturnableOrder }>();
  calls = 0;
  async orderOf(_tx: Tx, orderId: string, ownerId: string): Promise<ReturnableOrder | null> {
    this.calls++;
    await tick();
    const o = this.orders.get(orderId);
    return o && o.ownerId === ownerId ? structuredClone(o.order) : null;
  }
}

export class FakeStock extends ReturnStock {
  readonly calls: Restock[] = [];
  async restock(_tx: Tx, r: Restock): Promise<void> {
    this.calls.push(r);
  }
}

/**
 * A payment provider behind the refunds port, idempotent by reference as the contract asks:
 * `paid` counts the money that actually left, once per reference. `next` scripts the outcomes
 * (default: completed); a function may throw (infrastructure failure) or wait.
 */
export class FakeRefunds extends ReturnRefunds {
  readonly paid = new Map<string, number>();
  readonly calls: ReturnRefundRequest[] = [];
  readonly marked: ReturnRefundRequest[] = [];
  next: (() => Promise<ReturnRefundOutcome> | ReturnRefundOutcome)[] = [];
  async refund(r: ReturnRefundRequest): Promise<ReturnRefundOutcome> {
    this.calls.push(r);
    await tick();
    const script = this.next.shift();
    const outcome = script ? await script() : { status: 'completed' as const };
    if (outcome.status === 'completed' && !this.paid.has(r.reference)) {
      this.paid.set(r.reference, r.amount);
    }
    return outcome;
  }
  async markRefunded(_tx: Tx, r: ReturnRefundRequest): Promise<void> {
    this.marked.push(r);
  }
}

export class FakeLedger extends ReturnLedger {
  readonly entries: ReturnLedgerRefund[] = [];
  async recordRefund(_tx: Tx, r: ReturnLedgerRefund): Promise<void> {
    this.entries.push(r);
  }
}

export class FakeContacts extends ReturnContacts {
  readonly people = new Map<string, ReturnContact>();
  async contactsOf(ids: string[]): Promise<Map<string, ReturnContact>> {
    return new Map(ids.filter((id) => this.people.has(id)).map((id) => [id, this.people.get(id)!]));
  }
}

export class FakeOutbox {
  readonly mails: { mail: Mail; kind: string; tx: Tx }[] = [];
  kicks = 0;
  async enqueue(tx: Tx, mail: Mail, kind: string): Promise<void> {
    this.mails.push({ mail, kind, tx });
  }
  kick(): void {
    this.kicks++;
  }
  kinds(): string[] {
    return this.mails.map((m) => `${m.kind}→${m.mail.to}`);
  }
}

export const actor = (id: string, role: Actor['role'] = 'customer'): Actor => ({
  id,
  role,
  email: `${id}@bibarys.test`,
  firstName: id,
  lastName: 'Test',
});

export const BUYER = actor('buyer');
export const SELLER = actor('seller', 'seller');
export const OTHER_SELLER = actor('seller2', 'seller');
export const STRANGER = actor('stranger');
export const ADMIN = actor('admin', 'admin');

export const DAY = 86_400_000;

/**
 * An order of BUYER with two fulfillments, delivered one day before the clock's start:
 * SELLER's (lines a: 2 × 1 500 KZT electronics, b: 1 × 999.50 KZT food; delivery 1 500 KZT) and
 * OTHER_SELLER's (line c: 1 × 500 KZT books; delivery 3 000 KZT), paid by card.
 */
export function sampleOrder(over: Partial<ReturnableOrder> = {}): ReturnableOrder {
  const deliveredAt = new Date('2026-11-24T10:00:00Z');
  return {
    orderId: 'order-1',
    orderRef: 'BB-TEST000001',
    paymentMethod: 'card',
    fulfillments: [
      {
        fulfillmentId: 'f-1',
        sellerId: SELLER.id,
        status: 'delivered',
        deliveredAt,
        deliveryCost: 150_000,
        lines: [
          {
            orderItemId: 'a',
            productId: 'p-a',
            productName: 'Чайник',
            category: 'electronics',
            price: 150_000,
            quantity: 2,
          },
          {
            orderItemId: 'b',
            productId: 'p-b',
            productName: 'Мёд',
            category: 'food',
            price: 99_950,
            quantity: 1,
          },
        ],
      },
      {
        fulfillmentId: 'f-2',
        sellerId: OTHER_SELLER.id,
        status: 'delivered',
        deliveredAt,
        deliveryCost: 300_000,
        lines: [
          {
            orderItemId: 'c',
            productId: 'p-c',
            productName: 'Книга',
            category: 'books',
            price: 50_000,
            quantity: 1,
          },
        ],
      },
    ],
    ...over,
  };
}

/** The whole returns module over fakes: every port, the repository, the outbox and the clock. */
export function newReturnsKit(env: NodeJS.ProcessEnv = {}) {
  const config = loadConfig({ NODE_ENV: 'test', ...env });
  const repo = new FakeReturnsRepository();
  const clock = new FakeClock();
  const orders = new FakeOrders();
  const stock = new FakeStock();
  const refunds = new FakeRefunds();
  const ledger = new FakeLedger();
  const contacts = new FakeContacts();
  const outbox = new FakeOutbox();
  const uow = new FakeUnitOfWork();
  for (const a of [BUYER, SELLER, OTHER_SELLER, STRANGER, ADMIN]) {
    contacts.people.set(a.id, { email: a.email, firstName: a.firstName });
  }
  orders.orders.set('order-1', { ownerId: BUYER.id, order: sampleOrder() });
  const r = repo as unknown as ReturnsRepository;
  const steps = new ReturnSteps(r, contacts, outbox as unknown as MailOutboxService, clock);
  const service = new ReturnsService(r, steps, orders, uow.asUnitOfWork(), config);
  const refundService = new ReturnRefundService(
    r,
    steps,
    orders,
    stock,
    refunds,
    ledger,
    uow.asUnitOfWork(),
  );
  const sweeper = new ReturnSweeper(r, steps, refundService, uow.asUnitOfWork(), config);
  return {
    config,
    repo,
    clock,
    orders,
    stock,
    refunds,
    ledger,
    contacts,
    outbox,
    uow,
    steps,
    service,
    refundService,
    sweeper,
  };
}

export type ReturnsKit = ReturnType<typeof newReturnsKit>;
