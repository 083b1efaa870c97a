import { ApiProperty } from '@nestjs/swagger';

import { PRODUCT_CATEGORIES } from '../../products/product-shape';

export class SeriesPoint {
  @ApiProperty({ example: '2026-11-02', description: 'UTC start of the period (YYYY-MM-DD)' })
  period_start: string;
  @ApiProperty({ example: 125000.5, description: 'KZT' }) revenue: number;
  @ApiProperty({ example: 7 }) orders: number;
}

export class SalesSummary {
  @ApiProperty({ example: 1250000.5, description: 'KZT' }) total_revenue: number;
  @ApiProperty({ example: 42 }) orders_count: number;
  @ApiProperty({ example: 29761.92, description: 'KZT, total_revenue / orders_count' })
  average_order_value: number;
}

export class SalesReport extends SalesSummary {
  @ApiProperty({ type: [SeriesPoint], description: 'Every period of the range, empty ones as 0' })
  series: SeriesPoint[];
}

export class ProductSales {
  @ApiProperty({ format: 'uuid' }) product_id: string;
  @ApiProperty({ example: 'Чайник Kazakh Tea' }) name: string;
  @ApiProperty({ example: 12 }) units_sold: number;
  @ApiProperty({ example: 180000, description: 'KZT, the lines’ subtotals' }) revenue: number;
}

export class CategorySales {
  @ApiProperty({ enum: PRODUCT_CATEGORIES, example: 'home' }) category: string;
  @ApiProperty({ example: 30 }) units_sold: number;
  @ApiProperty({ example: 450000, description: 'KZT' }) revenue: number;
}

export class ProductsReport {
  @ApiProperty({ type: [ProductSales] }) top_products: ProductSales[];
  @ApiProperty({ type: [CategorySales] }) by_category: CategorySales[];
}

export class UsersByRole {
  @ApiProperty({ example: 120 }) customer: number;
  @ApiProperty({ example: 15 }) seller: number;
  @ApiProperty({ example: 2 }) admin: number;
}

export class NewUsersPoint {
  @ApiProperty({ example: '2026-11-02' }) period_start: string;
  @ApiProperty({ example: 3 }) count: number;
}

export class UsersReport {
  @ApiProperty({ example: 137, description: 'All users, all time' }) total_users: number;
  @ApiProperty({ type: UsersByRole }) users_by_role: UsersByRole;
  @ApiProperty({ type: [NewUsersPoint], description: 'Registrations per period of the range' })
  new_users: NewUsersPoint[];
  @ApiProperty({ example: 40, description: 'Distinct customers with a counted order in the range' })
  active_buyers: number;
}

export class UsersSummary {
  @ApiProperty({ example: 137 }) total_users: number;
  @ApiProperty({ type: UsersByRole }) users_by_role: UsersByRole;
  @ApiProperty({ example: 12, description: 'Registrations in the range' }) new_users: number;
  @ApiProperty({ example: 40 }) active_buyers: number;
}

export class AnalyticsDashboard {
  @ApiProperty({ type: SalesReport }) sales: SalesReport;
  @ApiProperty({ type: [ProductSales], description: 'Top 5 in the range' })
  top_products: ProductSales[];
  @ApiProperty({ type: UsersSummary }) users: UsersSummary;
}

export class OrdersByStatus {
  @ApiProperty() pending: number;
  @ApiProperty() confirmed: number;
  @ApiProperty() processing: number;
  @ApiProperty() shipped: number;
  @ApiProperty() delivered: number;
  @ApiProperty() cancelled: number;
  @ApiProperty() refunded: number;
}

export class PlatformStats {
  @ApiProperty({ example: 137 }) total_users: number;
  @ApiProperty({ example: 130 }) active_users: number;
  @ApiProperty({ example: 800 }) total_products: number;
  @ApiProperty({ example: 760 }) active_products: number;
  @ApiProperty({ example: 512 }) total_orders: number;
  @ApiProperty({ example: 15400000, description: 'KZT, all time, counted as in analytics' })
  total_revenue: number;
  @ApiProperty({ type: UsersByRole }) users_by_role: UsersByRole;
  @ApiProperty({ type: OrdersByStatus }) orders_by_status: OrdersByStatus;
}

/** A seller's own figures (their lines only; delivery is not theirs). */
export class SellerSalesReport extends SalesReport {
  @ApiProperty({ example: 64 }) units_sold: number;
  @ApiProperty({ type: [ProductSales] }) top_products: ProductSales[];
}
