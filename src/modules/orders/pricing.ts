import type { ProductSnapshot } from '../products/product-shape';
import { PARCEL_COST_TIYN } from './delivery';
import type { DeliveryMethod } from './order.entity';

/** A cart line as pricing needs it (CartLine fits). */
export interface PricingLine {
  productId: string;
  quantity: number;
  product: Pick<ProductSnapshot, 'name' | 'sellerId' | 'price'>;
}

/**
 * One order line at the price of the moment. Per-line figures that are frozen at checkout (the
 * price today; the commission rate and commission next) are computed here, line by line, so
 * they are part of this pure function and its spec.
 */
export interface PricedLine {
  productId: string;
  productName: string;
  sellerId: string;
  quantity: number;
  /** tiyn */
  price: number;
  /** price × quantity, tiyn */
  subtotal: number;
}

/** One seller's parcel: their lines' total and the delivery cost of one parcel. */
export interface PricedParcel {
  sellerId: string;
  itemsTotal: number;
  deliveryCost: number;
}

export interface OrderPricing {
  /** In the order of the cart. */
  lines: PricedLine[];
  /** One per seller, in the order the seller first appears in the cart. */
  parcels: PricedParcel[];
  itemsTotal: number;
  deliveryCost: number;
  totalAmount: number;
}

function tiyn(n: number, what: string): number {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} is not a whole number of tiyn: ${n}`);
  return n;
}

/**
 * Prices a checkout, in integer tiyn: each line's subtotal, one parcel per seller (its items
 * total and the delivery method's parcel cost), and the order's totals. Pure: no clock, no ids.
 */
export function priceOrder(lines: readonly PricingLine[], method: DeliveryMethod): OrderPricing {
  const parcelCost = PARCEL_COST_TIYN[method];
  const bySeller = new Map<string, PricedParcel>();
  const priced = lines.map((l): PricedLine => {
    const price = tiyn(l.product.price, `the price of ${l.productId}`);
    const subtotal = tiyn(price * tiyn(l.quantity, `the quantity of ${l.productId}`), 'a subtotal');
    const parcel = bySeller.get(l.product.sellerId) ?? {
      sellerId: l.product.sellerId,
      itemsTotal: 0,
      deliveryCost: parcelCost,
    };
    parcel.itemsTotal += subtotal;
    bySeller.set(parcel.sellerId, parcel);
    return {
      productId: l.productId,
      productName: l.product.name,
      sellerId: l.product.sellerId,
      quantity: l.quantity,
      price,
      subtotal,
    };
  });
  const parcels = [...bySeller.values()];
  const itemsTotal = priced.reduce((a, l) => a + l.subtotal, 0);
  const deliveryCost = parcelCost * parcels.length;
  return {
    lines: priced,
    parcels,
    itemsTotal,
    deliveryCost,
    totalAmount: itemsTotal + deliveryCost,
  };
}
