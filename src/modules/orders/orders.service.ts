import type { IdempotencyScope } from '../../common/idempotency/idempotency.service';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { notFound } from '../../common/errors/domain-error';
import { Page, pageOf, skipOf } from '../../common/pagination/pagination';
import type { Actor } from '../../common/auth/actor';
import { CreateOrderDto, OrderListQuery } from './dto/order.dto';
import { OrderResponse, toOrderResponse } from './dto/order.response';
import type { LoadedOrder } from './dto/order.response';
import { CheckoutService } from './checkout.service';
import { Fulfillment, Order, OrderItem } from './order.entity';
import { OrderReader } from './order-reader';

/** What an actor may see of an order: the whole of it, a seller's part, or nothing. */
export type OrderView = { kind: 'whole' } | { kind: 'seller'; sellerId: string };

/**
 * Orders for the API and for other modules: reads with visibility rules (owner and admin see the
 * whole order; a seller with lines in it sees only those lines and their fulfillment; anyone else
 * gets 404), plus checkout.
 */
@Injectable()
export class OrdersService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
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
    const view = loaded && this.viewOf(actor, loaded);
    if (!loaded || !view) throw notFound('Order');
    return toOrderResponse(loaded, view.kind === 'seller' ? view.sellerId : undefined);
  }

  /** Whether and how an actor may see a loaded order (null: not at all). */
  viewOf(actor: Actor, l: LoadedOrder): OrderView | null {
    if (actor.role === 'admin' || l.order.userId === actor.id) return { kind: 'whole' };
    if (l.fulfillments.some((f) => f.sellerId === actor.id)) {
      return { kind: 'seller', sellerId: actor.id };
    }
    return null;
  }

  /** GET /orders: own orders newest first (admin: all), optionally by status. */
  async list(actor: Actor, q: OrderListQuery): Promise<Page<OrderResponse>> {
    const qb = this.ds
      .getRepository(Order)
      .createQueryBuilder('o')
      .orderBy('o.created_at', 'DESC')
      .addOrderBy('o.id', 'DESC')
      .skip(skipOf(q))
      .take(q.page_size ?? 20);
    if (actor.role !== 'admin') qb.andWhere('o.user_id = :u', { u: actor.id });
    if (q.status) qb.andWhere('o.status = :s', { s: q.status });
    const [orders, total] = await qb.getManyAndCount();
    const loaded = await this.reader.load(orders);
    return pageOf(
      loaded.map((l) => toOrderResponse(l)),
      total,
      q,
    );
  }

  /**
   * Orders holding the seller's lines, newest first, each with only their lines and fulfillment;
   * `status` filters on the seller's fulfillment. (Used by GET /seller/orders.)
   */
  async listForSeller(seller: Actor, q: OrderListQuery): Promise<Page<OrderResponse>> {
    const fq = this.ds
      .getRepository(Fulfillment)
      .createQueryBuilder('f')
      .where('f.seller_id = :s', { s: seller.id });
    if (q.status) fq.andWhere('f.status = :st', { st: q.status });
    const [fulfillments, total] = await fq
      .orderBy('f.created_at', 'DESC')
      .addOrderBy('f.order_id', 'DESC')
      .skip(skipOf(q))
      .take(q.page_size ?? 20)
      .getManyAndCount();
    const ids = fulfillments.map((f) => f.orderId);
    const orders = ids.length
      ? await this.ds.getRepository(Order).findBy(ids.map((id) => ({ id })))
      : [];
    const byId = new Map(orders.map((o) => [o.id, o]));
    const loaded = await this.reader.load(ids.map((id) => byId.get(id)!).filter(Boolean));
    return pageOf(
      loaded.map((l) => toOrderResponse(l, seller.id)),
      total,
      q,
    );
  }

  /** True when the user has an order line of the product whose fulfillment was delivered. */
  async hasDeliveredPurchase(userId: string, productId: string): Promise<boolean> {
    const n = await this.ds
      .getRepository(OrderItem)
      .createQueryBuilder('i')
      .innerJoin(Order, 'o', 'o.id = i.order_id')
      .innerJoin(Fulfillment, 'f', 'f.order_id = i.order_id AND f.seller_id = i.seller_id')
      .where('o.user_id = :u AND i.product_id = :p AND f.status = :s', {
        u: userId,
        p: productId,
        s: 'delivered',
      })
      .getCount();
    return Number(n) > 0;
  }
}
