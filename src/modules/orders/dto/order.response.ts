import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { toKzt } from '../../../common/money/money';
import type { Fulfillment, Order, OrderItem, OrderStatusHistory } from '../order.entity';
import { DELIVERY_METHODS, ORDER_PAYMENT_STATUSES, ORDER_STATUSES } from '../order.entity';

export class OrderItemResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) product_id: string;
  @ApiProperty({ example: 'Казахский чай «Пиала»' }) product_name: string;
  @ApiProperty({ format: 'uuid' }) seller_id: string;
  @ApiProperty({ example: 2 }) quantity: number;
  @ApiProperty({ example: 1990.5, description: 'Unit price at checkout, KZT' }) price: number;
  @ApiProperty({ example: 3981, description: 'price × quantity, KZT' }) subtotal: number;
  @ApiPropertyOptional({
    example: 10,
    description:
      'The commission rate frozen at checkout, percent (2 decimals). Shown to admins and the ' +
      "line's seller only, never to the buyer.",
  })
  commission_rate?: number;
  @ApiPropertyOptional({
    example: 398.1,
    description:
      "The platform's commission on this line frozen at checkout, KZT. Shown to admins and the " +
      "line's seller only, never to the buyer.",
  })
  commission?: number;
}

export class FulfillmentResponse {
  @ApiProperty({ format: 'uuid' }) seller_id: string;
  @ApiProperty({ enum: ORDER_STATUSES, example: 'pending' }) status: string;
  @ApiProperty({ nullable: true, type: String, example: 'KZP123456789KZ' }) tracking_number:
    string | null;
  @ApiProperty({ example: 1500, description: 'KZT' }) delivery_cost: number;
  @ApiProperty({ example: 3981, description: "This seller's lines, KZT" }) items_total: number;
}

export class StatusHistoryResponse {
  @ApiProperty({ enum: ORDER_STATUSES, example: 'confirmed' }) status: string;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The fulfillment (seller) that changed; null for the whole order',
  })
  seller_id: string | null;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'Who made the change (null: the system)',
  })
  changed_by: string | null;
  @ApiProperty({ example: '2026-11-28T12:00:00.000Z' }) at: string;
}

export class OrderResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) user_id: string;
  @ApiProperty({
    enum: ORDER_STATUSES,
    example: 'pending',
    description: 'Least advanced status of the non-cancelled fulfillments (cancelled when all are)',
  })
  status: string;
  @ApiProperty({ type: [OrderItemResponse] }) items: OrderItemResponse[];
  @ApiProperty({ example: 3981, description: 'KZT' }) items_total: number;
  @ApiProperty({ enum: DELIVERY_METHODS, example: 'standard' }) delivery_method: string;
  @ApiProperty({ example: 1500, description: 'Sum of the fulfillments’ delivery costs, KZT' })
  delivery_cost: number;
  @ApiProperty({ example: 5481, description: 'items_total + delivery_cost, KZT' })
  total_amount: number;
  @ApiProperty({ example: 'г. Алматы, пр. Абая 10, кв. 5' }) delivery_address: string;
  @ApiProperty({ example: '+77011234567' }) phone: string;
  @ApiProperty({ nullable: true, type: String, example: null }) comment: string | null;
  @ApiProperty({
    example: 'BB-7KQ2M9XWD4HT',
    description: "The order's own reference: unique, random",
  })
  tracking_number: string;
  @ApiProperty({
    enum: ORDER_PAYMENT_STATUSES,
    nullable: true,
    type: String,
    example: 'completed',
    description: 'Status of the latest payment, or null',
  })
  payment_status: string | null;
  @ApiProperty({ type: [FulfillmentResponse] }) fulfillments: FulfillmentResponse[];
  @ApiProperty({ type: [StatusHistoryResponse] }) status_history: StatusHistoryResponse[];
  @ApiProperty({ example: '2026-11-28T12:00:00.000Z' }) created_at: string;
  @ApiProperty({ example: '2026-11-28T12:00:00.000Z' }) updated_at: string;
}

/** An order with its children loaded (see OrderReader). */
export interface LoadedOrder {
  order: Order;
  items: OrderItem[];
  fulfillments: Fulfillment[];
  history: OrderStatusHistory[];
}

const iso = (d: Date | string) => new Date(d).toISOString();

/**
 * Maps a loaded order to the wire shape. With `sellerId`, the seller's view: only their lines,
 * their fulfillment and its history; status and amounts are those of their fulfillment.
 * `showCommission` adds each line's frozen commission (admins and the line's seller; never the buyer).
 */
export function toOrderResponse(
  l: LoadedOrder,
  sellerId?: string,
  showCommission = false,
): OrderResponse {
  const { order } = l;
  const items = sellerId ? l.items.filter((i) => i.sellerId === sellerId) : l.items;
  const fulfillments = sellerId
    ? l.fulfillments.filter((f) => f.sellerId === sellerId)
    : l.fulfillments;
  const history = sellerId
    ? l.history.filter((h) => h.sellerId === sellerId || h.sellerId === null)
    : l.history;
  const own = sellerId ? fulfillments[0] : undefined;
  const itemsTotal = own ? own.itemsTotal : order.itemsTotal;
  const deliveryCost = own ? own.deliveryCost : order.deliveryCost;
  return {
    id: order.id,
    user_id: order.userId,
    status: own ? own.status : order.status,
    items: items.map((i) => ({
      id: i.id,
      product_id: i.productId,
      product_name: i.productName,
      seller_id: i.sellerId,
      quantity: i.quantity,
      price: toKzt(i.price),
      subtotal: toKzt(i.subtotal),
      ...(showCommission
        ? { commission_rate: i.commissionRate / 100, commission: toKzt(i.commission) }
        : {}),
    })),
    items_total: toKzt(itemsTotal),
    delivery_method: order.deliveryMethod,
    delivery_cost: toKzt(deliveryCost),
    total_amount: toKzt(own ? itemsTotal + deliveryCost : order.totalAmount),
    delivery_address: order.deliveryAddress,
    phone: order.phone,
    comment: order.comment ?? null,
    tracking_number: order.trackingNumber,
    payment_status: order.paymentStatus ?? null,
    fulfillments: fulfillments.map((f) => ({
      seller_id: f.sellerId,
      status: f.status,
      tracking_number: f.trackingNumber ?? null,
      delivery_cost: toKzt(f.deliveryCost),
      items_total: toKzt(f.itemsTotal),
    })),
    status_history: history.map((h) => ({
      status: h.status,
      seller_id: h.sellerId ?? null,
      changed_by: h.changedBy ?? null,
      at: iso(h.at),
    })),
    created_at: iso(order.createdAt),
    updated_at: iso(order.updatedAt),
  };
}
