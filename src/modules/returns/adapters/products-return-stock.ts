import { Injectable } from '@nestjs/common';

import type { Tx } from '../../../database/unit-of-work';
import { ProductInventoryService } from '../../products/product-inventory.service';
import type { Restock } from '../ports/return-stock';
import { ReturnStock } from '../ports/return-stock';

/** ReturnStock bound to the products module: one `return` stock movement per line, in `tx`. */
@Injectable()
export class ProductsReturnStock extends ReturnStock {
  constructor(private readonly inventory: ProductInventoryService) {
    super();
  }

  async restock(tx: Tx, r: Restock): Promise<void> {
    // in product order, as every other stock writer locks them
    const lines = [...r.lines].sort((a, b) => a.productId.localeCompare(b.productId));
    for (const l of lines) {
      await this.inventory.restockReturn(tx, {
        productId: l.productId,
        quantity: l.quantity,
        orderId: r.orderId,
        actorId: r.actorId,
      });
    }
  }
}
