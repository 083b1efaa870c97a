import { Column, Entity, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn } from 'typeorm';

import { CreatedAt, moneyColumn, timestampColumn, UpdatedAt } from '../../database/column-types';
import type { OrderPaymentStatus } from './order-payment-status';

export const ORDER_STATUSES = [
  'pending',
  'confirmed',
  'processing',
  'shipped',
  'delivered',
  'cancelled',
  'refunded',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export type { OrderPaymentStatus } from './order-payment-status';
export { ORDER_PAYMENT_STATUSES } from './order-payment-status';

export const DELIVERY_METHODS = ['standard', 'express', 'same_day'] as const;
export type DeliveryMethod = (typeof DELIVERY_METHODS)[number];

@Entity('orders')
export class Order {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) userId: string;
  @Column({ type: 'varchar', length: 16 }) status: OrderStatus;
  @Column(moneyColumn()) itemsTotal: number;
  @Column({ type: 'varchar', length: 16 }) deliveryMethod: DeliveryMethod;
  @Column(moneyColumn()) deliveryCost: number;
  @Column(moneyColumn()) totalAmount: number;
  @Column({ type: 'text' }) deliveryAddress: string;
  @Column({ type: 'varchar', length: 32 }) phone: string;
  @Column({ type: 'text', nullable: true }) comment: string | null;
  @Column({ type: 'varchar', length: 32, unique: true }) trackingNumber: string;
  @Column({ type: 'varchar', length: 20, nullable: true }) paymentStatus: OrderPaymentStatus | null;
  @OneToMany(() => OrderItem, (i) => i.order) items?: OrderItem[];
  @OneToMany(() => Fulfillment, (f) => f.order) fulfillments?: Fulfillment[];
  @OneToMany(() => OrderStatusHistory, (h) => h.order) statusHistory?: OrderStatusHistory[];
  @CreatedAt() createdAt: Date;
  @UpdatedAt() updatedAt: Date;
}

@Entity('order_items')
export class OrderItem {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) orderId: string;
  @ManyToOne(() => Order, (o) => o.items, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'order_id' })
  order?: Order;
  @Column({ type: 'uuid' }) productId: string;
  @Column({ type: 'varchar', length: 200 }) productName: string;
  @Column({ type: 'uuid' }) sellerId: string;
  @Column({ type: 'integer' }) quantity: number;
  @Column(moneyColumn()) price: number;
  @Column(moneyColumn()) subtotal: number;
  /** Frozen at checkout: the commission rule's rate in basis points (1000 = 10 %). */
  @Column({ type: 'integer', default: 0 }) commissionRate: number;
  /** Frozen at checkout: the platform's commission on this line, tiyn. */
  @Column(moneyColumn({ default: 0 })) commission: number;
}

@Entity('fulfillments')
export class Fulfillment {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) orderId: string;
  @ManyToOne(() => Order, (o) => o.fulfillments, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'order_id' })
  order?: Order;
  @Column({ type: 'uuid' }) sellerId: string;
  @Column({ type: 'varchar', length: 16 }) status: OrderStatus;
  @Column({ type: 'varchar', length: 64, nullable: true }) trackingNumber: string | null;
  @Column(moneyColumn()) deliveryCost: number;
  @Column(moneyColumn()) itemsTotal: number;
  @CreatedAt() createdAt: Date;
  @UpdatedAt() updatedAt: Date;
}

@Entity('order_status_history')
export class OrderStatusHistory {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) orderId: string;
  @ManyToOne(() => Order, (o) => o.statusHistory, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'order_id' })
  order?: Order;
  @Column({ type: 'varchar', length: 16 }) status: OrderStatus;
  @Column({ type: 'uuid', nullable: true }) sellerId: string | null;
  @Column({ type: 'uuid', nullable: true }) changedBy: string | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) note: string | null;
  @Column(timestampColumn({ default: undefined })) at: Date;
}
