import { ApiProperty } from '@nestjs/swagger';

import { PlatformStats, ProductSales } from '../../analytics/dto/analytics.response';
import { OrderResponse } from '../../orders/dto/order.response';

export class AdminDashboard extends PlatformStats {
  @ApiProperty({ type: [OrderResponse], description: 'The 10 newest orders' })
  recent_orders: OrderResponse[];
  @ApiProperty({ type: [ProductSales], description: 'The 5 best sellers of all time, by units' })
  top_products: ProductSales[];
}
