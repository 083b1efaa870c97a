import type { Tx } from '../../database/unit-of-work';
import type { ProductCategory } from '../products/product-shape';

/** One order line to price: its seller, its product's category, its subtotal in tiyn. */
export interface CommissionQuote {
  sellerId: string;
  category: ProductCategory;
  subtotal: number;
}

/** What a line freezes at checkout: the rate in basis points and the commission in tiyn. */
export interface FrozenCommission {
  commissionRate: number;
  commission: number;
}

/**
 * The question checkout asks of the platform's commission (the orders module owns it, like
 * `reviews/purchase-verifier.ts`): the rate and the commission of each line, in the order given.
 * The finance module answers it (`CommissionService`, bound in `finance-wiring.module.ts`).
 *
 * Contract: runs inside the checkout transaction `tx`, with at most one statement whatever the
 * number of lines; writes nothing.
 */
export abstract class CommissionPolicy {
  abstract freeze(tx: Tx, lines: CommissionQuote[]): Promise<FrozenCommission[]>;
}
