import { randomUUID } from 'node:crypto';

import { HttpStatus, Inject, Injectable } from '@nestjs/common';

import type { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { IdempotencyScope, IdempotencyService } from '../../common/idempotency/idempotency.service';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import type { Tx } from '../../database/unit-of-work';
import { UnitOfWork } from '../../database/unit-of-work';
import type { CartLine } from '../cart/cart.service';
import { CartService } from '../cart/cart.service';
import type { StockProblem } from '../cart/stock-conflict';
import { stockConflict } from '../cart/stock-conflict';
import { MailOutboxService } from '../email/mail-outbox.service';
import { orderConfirmationMail } from '../email/templates';
import type { StockChange } from '../products/product-inventory.service';
import { ProductInventoryService } from '../products/product-inventory.service';
import { CommissionPolicy, FrozenCommission } from './commission-policy';
import { CreateOrderDto } from './dto/order.dto';
import { OrderResponse, toOrderResponse } from './dto/order.response';
import { byProductId } from './lock-order';
import { assembleOrder } from './order-reader';
import { OrdersRepository, PlacedOrderRows } from './orders.repository';
import { OrderPricing, priceOrder } from './pricing';
import { TrackingNumbers } from './tracking-number';
import { VerifiedEmail } from './verified-email';

/** A line the cart cannot supply as asked, with what is available of it. */
const BATCHED = { batchWrites: true };

const problemOf = (l: CartLine, available: number): StockProblem => ({
  product_id: l.productId,
  name: l.product.name,
  requested: l.quantity,
  available,
  is_active: !!l.product.isActive,
});

/**
 * The lines above stock or of inactive products, as the cart shows them (read in the transaction):
 * the cart reports a hidden seller's product (suspended shop; manual approval: never approved) as
 * inactive, so checkout answers 409 PRODUCT_UNAVAILABLE naming it.
 */
export function stockProblems(lines: readonly CartLine[]): StockProblem[] {
  return lines
    .filter((l) => !l.product.isActive || l.quantity > l.product.quantity)
    .map((l) => problemOf(l, l.product.isActive ? l.product.quantity : 0));
}

/**
 * POST /orders: the whole cart becomes one order in one transaction — stock taken line by line
 * with a conditional update, the order with its lines at today's prices, one fulfillment per
 * seller, the history, the emptied cart and the confirmation mail in the outbox. Any conflict
 * rolls everything back (409 naming the products, cart kept).
 */
@Injectable()
export class CheckoutService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly cart: CartService,
    private readonly inventory: ProductInventoryService,
    private readonly outbox: MailOutboxService,
    private readonly tracking: TrackingNumbers,
    private readonly keys: IdempotencyService,
    private readonly orders: OrdersRepository,
    private readonly commission: CommissionPolicy,
    private readonly verifiedEmail: VerifiedEmail,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'accounts'>,
  ) {}

  /**
   * Answers with the order as written: every value is known here, nothing is read back. Under an
   * Idempotency-Key the key is claimed and the answer stored in the same transaction as the order.
   */
  async checkout(
    actor: Actor,
    dto: CreateOrderDto,
    idempotency?: IdempotencyScope,
  ): Promise<OrderResponse> {
    if (
      this.config.accounts.checkoutRequiresVerifiedEmail &&
      !(await this.verifiedEmail.isEmailVerified(actor.id))
    ) {
      throw new DomainError('EMAIL_NOT_VERIFIED', 'Verify your email address before checkout');
    }
    // PostgreSQL: the writes that nothing here reads back (the order's rows, the cart emptied,
    // the mail, the stored answer, the movements) wait and ride with the first stock update
    const answer = await this.uow.run(async (tx) => {
      // first: a concurrent duplicate waits here (PostgreSQL) or finds the key taken
      await this.keys.claimWithin(tx, idempotency);
      const { lines, rows } = await this.place(tx, actor, dto);
      const body = toOrderResponse(
        assembleOrder(rows.order, rows.items, rows.fulfillments, rows.history),
      );
      await this.keys.completeWithin(tx, idempotency, HttpStatus.CREATED, body);
      // last: on PostgreSQL a product row stays locked from here to the COMMIT only
      await this.takeStock(tx, lines, rows.order.id, actor.id);
      return body;
    }, BATCHED);
    this.outbox.kick();
    return answer;
  }

  /**
   * Writes the order as priced from the cart read in the transaction (lines, fulfillments,
   * history, the frozen commission), empties the cart and queues the confirmation mail. The
   * stock is taken after this (`takeStock`); any conflict rolls all of it back.
   */
  private async place(
    tx: Tx,
    actor: Actor,
    dto: CreateOrderDto,
  ): Promise<{ lines: CartLine[]; rows: PlacedOrderRows }> {
    const lines = await this.cart.linesFor(tx, actor.id);
    if (!lines.length) throw new DomainError('CART_EMPTY', 'The cart is empty');
    const problems = stockProblems(lines);
    if (problems.length) throw stockConflict(problems);
    const pricing = priceOrder(lines, dto.delivery_method);
    // the commission of each line is frozen now: a later rule change never touches a sold line
    const frozen = await this.commission.freeze(
      tx,
      pricing.lines.map((l, i) => ({
        sellerId: l.sellerId,
        category: lines[i].product.category,
        subtotal: l.subtotal,
      })),
    );
    const rows = this.orderRows(randomUUID(), actor, dto, pricing, frozen);
    await this.orders.insertPlaced(tx, rows);
    await this.cart.clearIn(tx, actor.id);
    await this.queueConfirmation(tx, actor, rows);
    return { lines, rows };
  }

  /**
   * Takes each line's stock, in product-id order (every stock-taking transaction locks in that
   * order: no deadlock), with its `sale` movement. A line someone else bought meanwhile → 409
   * with its fresh availability, and the transaction rolls back everything it wrote.
   */
  private async takeStock(tx: Tx, lines: CartLine[], orderId: string, actorId: string) {
    const sorted = [...lines].sort(byProductId);
    const changes = sorted.map((l): StockChange => ({
      productId: l.productId,
      quantity: l.quantity,
      orderId,
      actorId,
    }));
    const short = await this.inventory.takeStockForSale(tx, changes);
    if (!short) return;
    const line = sorted[changes.indexOf(short)];
    const [fresh] = await this.inventory.snapshotsByIds([line.productId], tx);
    throw stockConflict([problemOf(line, fresh?.isActive ? fresh.quantity : 0)]);
  }

  /** The rows of the order as priced: one fulfillment and one history row per seller. */
  private orderRows(
    orderId: string,
    actor: Actor,
    dto: CreateOrderDto,
    p: OrderPricing,
    frozen: FrozenCommission[],
  ): PlacedOrderRows {
    const now = new Date();
    return {
      order: {
        id: orderId,
        userId: actor.id,
        status: 'pending',
        itemsTotal: p.itemsTotal,
        deliveryMethod: dto.delivery_method,
        deliveryCost: p.deliveryCost,
        totalAmount: p.totalAmount,
        deliveryAddress: dto.delivery_address,
        phone: dto.phone,
        comment: dto.comment ?? null,
        trackingNumber: this.tracking.next(),
        paymentStatus: null,
        createdAt: now,
        updatedAt: now,
      },
      items: p.lines.map((l, i) => ({
        id: randomUUID(),
        orderId,
        ...l,
        commissionRate: frozen[i].commissionRate,
        commission: frozen[i].commission,
      })),
      fulfillments: p.parcels.map((s) => ({
        id: randomUUID(),
        orderId,
        sellerId: s.sellerId,
        status: 'pending',
        trackingNumber: null,
        deliveryCost: s.deliveryCost,
        itemsTotal: s.itemsTotal,
        createdAt: now,
        updatedAt: now,
      })),
      history: p.parcels.map((s) => ({
        id: randomUUID(),
        orderId,
        status: 'pending',
        sellerId: s.sellerId,
        changedBy: actor.id,
        note: 'order placed',
        at: now,
      })),
    };
  }

  private async queueConfirmation(tx: Tx, actor: Actor, r: PlacedOrderRows) {
    const { order } = r;
    await this.outbox.enqueue(
      tx,
      orderConfirmationMail(actor.email, actor.firstName, {
        trackingNumber: order.trackingNumber,
        items: r.items.map((i) => ({
          productName: i.productName,
          quantity: i.quantity,
          price: i.price,
          subtotal: i.subtotal,
        })),
        itemsTotal: order.itemsTotal,
        deliveryMethod: order.deliveryMethod,
        deliveryCost: order.deliveryCost,
        totalAmount: order.totalAmount,
        deliveryAddress: order.deliveryAddress,
      }),
      'order_confirmation',
    );
  }
}
