import { ApiProperty } from '@nestjs/swagger';

import { SellerSalesReport } from '../../analytics/dto/analytics.response';
import { ProductResponse } from '../../products/dto/product.response';

/** Low stock: own active products with at most this many units left. */
export const LOW_STOCK_THRESHOLD = 5;

export class SellerAnalytics extends SellerSalesReport {
  @ApiProperty({
    type: [ProductResponse],
    description: `Own active products with quantity ≤ ${LOW_STOCK_THRESHOLD}, scarcest first`,
  })
  low_stock: ProductResponse[];
}
