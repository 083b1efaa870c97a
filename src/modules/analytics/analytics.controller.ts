import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import type { Actor } from '../../common/auth/actor';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { AnalyticsService } from './analytics.service';
import { AnalyticsQuery, ProductsAnalyticsQuery } from './dto/analytics.query';
import {
  AnalyticsDashboard,
  ProductsReport,
  SalesReport,
  UsersReport,
} from './dto/analytics.response';

@ApiTags('analytics')
@Controller('analytics')
@Roles('admin')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Get('sales')
  @ApiOperation({
    summary: 'Revenue, orders and average order value over a range, with a per-period series',
    description:
      'Revenue counts fulfillments in confirmed, processing, shipped or delivered: their lines’ ' +
      'subtotals plus their delivery cost, attributed to the local day (in `tz`) the order was placed.',
  })
  @ApiOkResponse({ type: SalesReport })
  @ApiErrors(400)
  sales(@CurrentUser() user: Actor, @Query() q: AnalyticsQuery): Promise<SalesReport> {
    return this.analytics.sales(user, q);
  }

  @Get('products')
  @ApiOperation({ summary: 'Best-selling products (by units) and sales per category' })
  @ApiOkResponse({ type: ProductsReport })
  @ApiErrors(400)
  products(
    @CurrentUser() user: Actor,
    @Query() q: ProductsAnalyticsQuery,
  ): Promise<ProductsReport> {
    return this.analytics.products(user, q);
  }

  @Get('users')
  @ApiOperation({ summary: 'Users by role, registrations per period and active buyers' })
  @ApiOkResponse({ type: UsersReport })
  @ApiErrors(400)
  users(@CurrentUser() user: Actor, @Query() q: AnalyticsQuery): Promise<UsersReport> {
    return this.analytics.users(user, q);
  }

  @Get('dashboard')
  @ApiOperation({ summary: 'Sales (with series), top 5 products and user figures of the range' })
  @ApiOkResponse({ type: AnalyticsDashboard })
  @ApiErrors(400)
  dashboard(@CurrentUser() user: Actor, @Query() q: AnalyticsQuery): Promise<AnalyticsDashboard> {
    return this.analytics.dashboard(user, q);
  }
}
