/**
 * What `orders.payment_status` holds: the status of the order's latest payment. The payments
 * module's own status union must equal it (checked at compile time in payments/payment.entity.ts),
 * so orders never imports payments.
 */
export const ORDER_PAYMENT_STATUSES = [
  'pending',
  'processing',
  'completed',
  'failed',
  'refunded',
  'partially_refunded',
] as const;
export type OrderPaymentStatus = (typeof ORDER_PAYMENT_STATUSES)[number];
