import { Injectable } from '@nestjs/common';

import type { Tx } from '../../database/unit-of-work';
import { LedgerParcel, LineCommission, OrderMoneyRepository } from './order-money.repository';

export type { LedgerParcel, LineCommission } from './order-money.repository';

/**
 * What the money side asks of orders (exported to the finance module, which never reads the order
 * tables): a parcel's amounts and frozen commission, lines' commission, GMV. Reads take the
 * caller's transaction where they must see what it wrote.
 */
@Injectable()
export class OrderMoneyService {
  constructor(private readonly repo: OrderMoneyRepository) {}

  /** The order's parcels (only these ids when given), each with its order's payment status. */
  parcelsOf(tx: Tx, orderId: string, fulfillmentIds?: string[]): Promise<LedgerParcel[]> {
    return this.repo.parcels(tx, orderId, fulfillmentIds);
  }

  lineCommissions(tx: Tx, orderItemIds: string[]): Promise<LineCommission[]> {
    return this.repo.lineCommissions(tx, [...new Set(orderItemIds)]);
  }

  /** Tiyn: the value of the parcels of paid orders placed within [from, to). */
  gmv(from?: Date, to?: Date): Promise<number> {
    return this.repo.gmv(from, to);
  }
}
