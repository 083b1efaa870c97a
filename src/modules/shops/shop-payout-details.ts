import { Injectable } from '@nestjs/common';

import type { Tx } from '../../database/unit-of-work';
import { ShopPayoutRow, ShopsRepository } from './shops.repository';

export type { ShopPayoutRow } from './shops.repository';

/**
 * The narrow read of shops that payouts need (exported to the finance module, which binds its
 * `PayoutRecipients` port to it): name, status and bank details of the sellers' shops.
 */
@Injectable()
export class ShopPayoutDetails {
  constructor(private readonly shops: ShopsRepository) {}

  /** The shops of these sellers, read in `tx` when given (a payout copies them at that moment). */
  of(sellerIds: string[], tx?: Tx): Promise<ShopPayoutRow[]> {
    return this.shops.payoutRowsOf(sellerIds, tx);
  }
}
