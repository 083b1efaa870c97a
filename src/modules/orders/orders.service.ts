import { Injectable } from '@nestjs/common';

import type { Actor } from '../../common/auth/actor';
import { notFound } from '../../common/errors/domain-error';
import type { IdempotencyScope } from '../../common/idempotency/idempotency.service';
import { Page, pageOf, skipOf } from '../../common/pagination/pagination';
import { CheckoutService } from './checkout.service';
import { CreateOrderDto, OrderListQuery } from './dto/order.dto';
import { OrderResponse, toOrderResponse } from './dto/order.response';
import { viewOf } from './order-access';
import { OrderReader } from './order-reader';
import { OrdersRepository } from './orders.repository';

const windowOf = (q: OrderListQuery) => ({ skip: skipOf(q), take: q.page_size ?? 20 });

/**
 * Orders for the API and for other modules: reads with the visibility rules of order-access.ts
 * (owner and admin see the whole order; a seller with lines in it sees only those lines and their
 * fulfillment; anyone else gets 404), plus checkout.
 */
@Injectable()
export class OrdersService {
  constructor(
    private readonly repo: OrdersRepository,
    private readonly reader: OrderReader,
    private readonly checkoutService: CheckoutService,
  ) {}

  create(
    actor: Actor,
    dto: CreateOrderDto,
    idempotency?: IdempotencyScope,
  ): Promise<OrderResponse> {
    return this.checkoutService.checkout(actor, dto, idempotency);
  }

  /** The order as this actor may see it, or 404. */
  async getForActor(actor: Actor, id: string): Promise<OrderResponse> {
    const loaded = await this.reader.loadOne(id);
    const view = loaded && viewOf(actor, loaded.order, loaded.fulfillments);
    if (!loaded || !view) throw notFound('Order');
    const seller = view.kind === 'seller' ? view.sellerId : undefined;
    return toOrderResponse(loaded, seller, actor.role === 'admin' || seller !== undefined);
  }

  /** GET /orders: own orders newest first (admin: all), optionally by status. */
  async list(actor: Actor, q: OrderListQuery): Promise<Page<OrderResponse>> {
    const [orders, total] = await this.repo.pageOfOrders(
      { userId: actor.role === 'admin' ? undefined : actor.id, status: q.status },
      windowOf(q),
    );
    const loaded = await this.reader.load(orders);
    return pageOf(
      loaded.map((l) => toOrderResponse(l, undefined, actor.role === 'admin')),
      total,
      q,
    );
  }

  /**
   * Orders holding the seller's lines, newest first, each with only their lines and fulfillment;
   * `status` filters on the seller's fulfillment. (Used by GET /seller/orders.)
   */
  async listForSeller(seller: Actor, q: OrderListQuery): Promise<Page<OrderResponse>> {
    const [fulfillments, total] = await this.repo.pageOfSellerFulfillments(
      seller.id,
      q.status,
      windowOf(q),
    );
    const ids = fulfillments.map((f) => f.orderId);
    const byId = new Map((await this.repo.ordersByIds(ids)).map((o) => [o.id, o]));
    const loaded = await this.reader.load(ids.map((id) => byId.get(id)!).filter(Boolean));
    return pageOf(
      loaded.map((l) => toOrderResponse(l, seller.id, true)),
      total,
      q,
    );
  }

  /** True when the user has an order line of the product whose fulfillment was delivered. */
  hasDeliveredPurchase(userId: string, productId: string): Promise<boolean> {
    return this.repo.hasDeliveredLine(userId, productId);
  }

  /** True when the user has an order with a delivered fulfillment of the seller (seller reviews). */
  hasDeliveredFromSeller(userId: string, sellerId: string): Promise<boolean> {
    return this.repo.hasDeliveredFulfillment(userId, sellerId);
  }
}
