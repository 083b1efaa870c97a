// Statuses of the seller's things as coloured badges with their Russian names.
import type { Schemas } from '../api';
import { t } from '../i18n';
import { Badge } from '../ui';

type Tone = 'ok' | 'warn' | 'bad' | 'info';
export type ShopStatus = Schemas['ShopResponse']['status'];
export type OrderStatus = Schemas['OrderResponse']['status'];
export type ReturnStatus = Schemas['ReturnResponse']['status'];
export type PayoutStatus = Schemas['PayoutResponse']['status'];
export type LedgerType = Schemas['LedgerEntryResponse']['type'];
export type Category = Schemas['ProductResponse']['category'];

export const CATEGORIES: Category[] = [
  'electronics',
  'clothing',
  'food',
  'books',
  'toys',
  'sports',
  'home',
  'beauty',
  'other',
];
export const ORDER_STATUSES: OrderStatus[] = [
  'pending',
  'confirmed',
  'processing',
  'shipped',
  'delivered',
  'cancelled',
  'refunded',
];
export const RETURN_STATUSES: ReturnStatus[] = [
  'requested',
  'approved',
  'received',
  'refunded',
  'rejected',
  'escalated',
  'cancelled',
];
export const LEDGER_TYPES: LedgerType[] = [
  'sale',
  'commission',
  'refund',
  'commission_reversal',
  'payout',
  'payout_reversal',
  'adjustment',
];

const SHOP_TONE: Record<ShopStatus, Tone> = {
  draft: 'info',
  pending_review: 'warn',
  approved: 'ok',
  rejected: 'bad',
  suspended: 'bad',
};
const ORDER_TONE: Record<OrderStatus, Tone> = {
  pending: 'info',
  confirmed: 'warn',
  processing: 'warn',
  shipped: 'info',
  delivered: 'ok',
  cancelled: 'bad',
  refunded: 'bad',
};
const RETURN_TONE: Record<ReturnStatus, Tone> = {
  requested: 'warn',
  approved: 'info',
  rejected: 'bad',
  cancelled: 'info',
  escalated: 'bad',
  received: 'info',
  refunded: 'ok',
};
const PAYOUT_TONE: Record<PayoutStatus, Tone> = { pending: 'warn', paid: 'ok', failed: 'bad' };

export function ShopBadge(props: { status: ShopStatus }) {
  return <Badge tone={SHOP_TONE[props.status]}>{t(`seller.shopStatus.${props.status}`)}</Badge>;
}
export function OrderBadge(props: { status: OrderStatus }) {
  return <Badge tone={ORDER_TONE[props.status]}>{t(`seller.orderStatus.${props.status}`)}</Badge>;
}
export function ReturnBadge(props: { status: ReturnStatus }) {
  return <Badge tone={RETURN_TONE[props.status]}>{t(`seller.returnStatus.${props.status}`)}</Badge>;
}
export function PayoutBadge(props: { status: PayoutStatus }) {
  return <Badge tone={PAYOUT_TONE[props.status]}>{t(`seller.payoutStatus.${props.status}`)}</Badge>;
}

/** A short reference of an order for people: its own tracking reference. */
export function orderRef(order: { tracking_number: string }): string {
  return order.tracking_number;
}
