import { HttpStatus, Injectable } from '@nestjs/common';
import { byProductId } from './lock-order';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { insertRows } from '../../database/insert-rows';
import { IdempotencyScope, IdempotencyService } from '../../common/idempotency/idempotency.service';
import { DomainError } from '../../common/errors/domain-error';
import { UnitOfWork } from '../../database/unit-of-work';
import { CartLine, CartService } from '../cart/cart.service';
import { MailOutboxService } from '../email/mail-outbox.service';
import { orderConfirmationMail } from '../email/templates';
import { ProductInventoryService } from '../products/product-inventory.service';
import type { Actor } from '../../common/auth/actor';
import { PARCEL_COST_TIYN } from './delivery';
import { CreateOrderDto } from './dto/order.dto';
import { LoadedOrder, OrderResponse, toOrderResponse } from './dto/order.response';
import { Fulfillment, Order, OrderItem, OrderStatusHistory } from './order.entity';
import { assembleOrder } from './order-reader';
import { TrackingNumbers } from './tracking-number';

interface Problem {
  product_id: string;
  name: string;
  requested: number;
  available: number;
  is_active: boolean;
}

const conflict = (problems: Problem[]) =>
  new DomainError(
    problems.some((p) => !p.is_active) ? 'PRODUCT_UNAVAILABLE' : 'OUT_OF_STOCK',
    `Not available in the requested quantity: ${problems.map((p) => p.name).join(', ')}`,
    { products: problems },
  );

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
  ) {}

  /**
   * Answers with the order as written: every value is known here, nothing is read back. Under an
   * Idempotency-Key the answer is stored in the same transaction as the order.
   */
  async checkout(
    actor: Actor,
    dto: CreateOrderDto,
    idempotency?: IdempotencyScope,
  ): Promise<OrderResponse> {
    const answer = await this.uow.run(async (em) => {
      const body = toOrderResponse(await this.place(em, actor, dto));
      await this.keys.completeWithin(em, idempotency, HttpStatus.CREATED, body);
      return body;
    });
    this.outbox.kick();
    return answer;
  }

  private async place(em: EntityManager, actor: Actor, dto: CreateOrderDto): Promise<LoadedOrder> {
    const lines = await this.cart.linesFor(em, actor.id);
    if (!lines.length) throw new DomainError('CART_EMPTY', 'The cart is empty');
    const problems = lines
      .filter((l) => !l.product.isActive || l.quantity > l.product.quantity)
      .map((l) => this.problem(l, l.product.isActive ? l.product.quantity : 0));
    if (problems.length) throw conflict(problems);

    const orderId = randomUUID();
    for (const l of [...lines].sort(byProductId)) {
      const ok = await this.inventory.takeStock(em, {
        productId: l.productId,
        quantity: l.quantity,
        orderId,
        actorId: actor.id,
      });
      if (!ok) {
        // someone bought it between our read and now: re-read for the message, roll back
        const [fresh] = await this.inventory.findByIds([l.productId], em);
        throw conflict([this.problem(l, fresh?.isActive ? fresh.quantity : 0)]);
      }
    }

    const bySeller = new Map<string, { itemsTotal: number }>();
    const items = lines.map((l) => {
      const subtotal = l.product.price * l.quantity;
      const s = bySeller.get(l.product.sellerId) ?? { itemsTotal: 0 };
      s.itemsTotal += subtotal;
      bySeller.set(l.product.sellerId, s);
      return em.create(OrderItem, {
        id: randomUUID(),
        orderId,
        productId: l.productId,
        productName: l.product.name,
        sellerId: l.product.sellerId,
        quantity: l.quantity,
        price: l.product.price,
        subtotal,
      });
    });
    const parcel = PARCEL_COST_TIYN[dto.delivery_method];
    const itemsTotal = items.reduce((a, i) => a + i.subtotal, 0);
    const deliveryCost = parcel * bySeller.size;
    const now = new Date();
    const order = em.create(Order, {
      id: orderId,
      userId: actor.id,
      status: 'pending',
      itemsTotal,
      deliveryMethod: dto.delivery_method,
      deliveryCost,
      totalAmount: itemsTotal + deliveryCost,
      deliveryAddress: dto.delivery_address,
      phone: dto.phone,
      comment: dto.comment ?? null,
      trackingNumber: this.tracking.next(),
      paymentStatus: null,
      createdAt: now,
      updatedAt: now,
    });
    const sellers = [...bySeller.entries()];
    const fulfillments = sellers.map(([sellerId, s]) =>
      em.create(Fulfillment, {
        id: randomUUID(),
        orderId,
        sellerId,
        status: 'pending',
        trackingNumber: null,
        deliveryCost: parcel,
        itemsTotal: s.itemsTotal,
        createdAt: now,
        updatedAt: now,
      }),
    );
    const history = sellers.map(([sellerId]) =>
      em.create(OrderStatusHistory, {
        id: randomUUID(),
        orderId,
        status: 'pending',
        sellerId,
        changedBy: actor.id,
        note: 'order placed',
        at: now,
      }),
    );
    await insertRows(em, Order, order);
    await insertRows(em, OrderItem, items);
    await insertRows(em, Fulfillment, fulfillments);
    await insertRows(em, OrderStatusHistory, history);
    await this.cart.clearIn(em, actor.id);
    await this.outbox.enqueue(
      em,
      orderConfirmationMail(actor.email, actor.firstName, {
        trackingNumber: order.trackingNumber,
        items: items.map((i) => ({
          productName: i.productName,
          quantity: i.quantity,
          price: i.price,
          subtotal: i.subtotal,
        })),
        itemsTotal,
        deliveryMethod: dto.delivery_method,
        deliveryCost,
        totalAmount: itemsTotal + deliveryCost,
        deliveryAddress: dto.delivery_address,
      }),
      'order_confirmation',
    );
    return assembleOrder(order, items, fulfillments, history);
  }

  private problem(l: CartLine, available: number): Problem {
    return {
      product_id: l.productId,
      name: l.product.name,
      requested: l.quantity,
      available,
      is_active: !!l.product.isActive,
    };
  }
}
