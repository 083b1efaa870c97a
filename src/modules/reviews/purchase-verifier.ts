/**
 * The port the reviews rule asks: has this user received this product, or anything of this
 * seller, in a delivered fulfillment? Bound to the orders module's service
 * (`OrdersService.hasDeliveredPurchase`, `hasDeliveredFromSeller`).
 */
export abstract class PurchaseVerifier {
  abstract hasDeliveredPurchase(userId: string, productId: string): Promise<boolean>;
  abstract hasDeliveredFromSeller(userId: string, sellerId: string): Promise<boolean>;
}
