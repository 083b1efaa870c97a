import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import type { Actor } from '../../common/auth/actor';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { ApiPageResponse, Page, PageQuery } from '../../common/pagination/pagination';
import { AnalyticsQuery } from '../analytics/dto/analytics.query';
import { OrderListQuery } from '../orders/dto/order.dto';
import { OrderResponse } from '../orders/dto/order.response';
import { ProductResponse } from '../products/dto/product.response';
import { SellerAnalytics } from './dto/seller.dto';
import { SellerService } from './seller.service';

@ApiTags('seller')
@Controller('seller')
@Roles('seller', 'admin')
export class SellerController {
  constructor(private readonly seller: SellerService) {}

  @Get('products')
  @ApiOperation({ summary: 'Own products, inactive included, newest first' })
  @ApiPageResponse(ProductResponse)
  @ApiErrors(400)
  products(@CurrentUser() user: Actor, @Query() q: PageQuery): Promise<Page<ProductResponse>> {
    return this.seller.listProducts(user, q);
  }

  @Get('orders')
  @ApiOperation({
    summary: 'Orders holding own items, each with only own lines and fulfillment',
    description: '`status` filters on the own fulfillment’s status.',
  })
  @ApiPageResponse(OrderResponse)
  @ApiErrors(400)
  orders(@CurrentUser() user: Actor, @Query() q: OrderListQuery): Promise<Page<OrderResponse>> {
    return this.seller.listOrders(user, q);
  }

  @Get('analytics')
  @ApiOperation({
    summary: 'Own sales over a range: revenue, orders, units, average order value, series',
    description:
      'Counts own lines whose fulfillment is confirmed, processing, shipped or delivered ' +
      '(their subtotals; delivery is not included), by the local day (in `tz`) the order was placed. ' +
      'Query as in /analytics (from, to, period, tz; default the last 30 days by day, Asia/Almaty).',
  })
  @ApiOkResponse({ type: SellerAnalytics })
  @ApiErrors(400)
  analytics(@CurrentUser() user: Actor, @Query() q: AnalyticsQuery): Promise<SellerAnalytics> {
    return this.seller.analyticsFor(user, q);
  }
}
