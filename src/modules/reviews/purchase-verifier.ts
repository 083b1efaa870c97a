/**
 * The port the reviews rule asks: has this user received this product in a delivered order?
 * Bound to the orders module's service (`OrdersService.hasDeliveredPurchase`).
 */
export abstract class PurchaseVerifier {
  abstract hasDeliveredPurchase(userId: string, productId: string): Promise<boolean>;
}
