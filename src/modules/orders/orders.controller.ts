import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import type { Actor } from '../../common/auth/actor';
import { Authenticated, CurrentUser, Roles } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import type { IdempotencyScope } from '../../common/idempotency/idempotency.service';
import { IdempotencyOf, Idempotent } from '../../common/idempotency/idempotent.decorator';
import { ApiPageResponse, Page } from '../../common/pagination/pagination';
import { ChangeOrderStatusDto, CreateOrderDto, OrderListQuery } from './dto/order.dto';
import { OrderResponse } from './dto/order.response';
import { OrderWorkflowService } from './order-workflow.service';
import { OrdersService } from './orders.service';

@ApiTags('orders')
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly workflow: OrderWorkflowService,
  ) {}

  @Post()
  @Authenticated()
  @Idempotent('orders.create', { claimInHandler: true })
  @ApiOperation({
    summary: 'Check out the whole cart as one order',
    description:
      'All or nothing: stock is taken, the order written with current prices (one fulfillment per seller, delivery cost per parcel: standard 1500, express 3000, same_day 5000 KZT), the cart emptied and a confirmation mail queued. Empty cart → 400 CART_EMPTY. A line above stock → 409 OUT_OF_STOCK, an inactive product → 409 PRODUCT_UNAVAILABLE; both carry `products: [{product_id, name, requested, available, is_active}]` and change nothing. With `CHECKOUT_REQUIRES_VERIFIED_EMAIL=true`, a buyer whose email is not verified → 403 EMAIL_NOT_VERIFIED.',
  })
  @ApiCreatedResponse({ type: OrderResponse })
  @ApiErrors(400, 403, 409)
  create(
    @CurrentUser() user: Actor,
    @Body() dto: CreateOrderDto,
    @IdempotencyOf() idempotency?: IdempotencyScope,
  ): Promise<OrderResponse> {
    return this.orders.create(user, dto, idempotency);
  }

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Own orders, newest first (admin: all orders)' })
  @ApiPageResponse(OrderResponse)
  @ApiErrors(400)
  list(@CurrentUser() user: Actor, @Query() q: OrderListQuery): Promise<Page<OrderResponse>> {
    return this.orders.list(user, q);
  }

  @Get(':id')
  @Authenticated()
  @ApiOperation({
    summary: 'One order',
    description:
      'Owner and admins see the whole order. A seller with lines in it sees only their lines, their fulfillment and its history; status and amounts are then those of their fulfillment. Anyone else → 404.',
  })
  @ApiOkResponse({ type: OrderResponse })
  @ApiErrors(400, 404)
  get(@CurrentUser() user: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<OrderResponse> {
    return this.orders.getForActor(user, id);
  }

  @Put(':id/cancel')
  @Authenticated()
  @ApiOperation({
    summary: 'Cancel own order',
    description:
      'Allowed while every fulfillment is pending or confirmed (else 409 ORDER_NOT_CANCELLABLE). Stock comes back exactly once; a completed payment is refunded.',
  })
  @ApiOkResponse({ type: OrderResponse })
  @ApiErrors(400, 404, 409)
  cancel(
    @CurrentUser() user: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<OrderResponse> {
    return this.workflow.cancel(user, id);
  }

  @Put(':id/status')
  @Roles('seller', 'admin')
  @ApiOperation({
    summary: 'Move a fulfillment along the workflow',
    description:
      'pending → confirmed → processing → shipped → delivered → refunded; cancelled from pending, confirmed or processing (its items go back to stock). A seller moves their own fulfillment; an admin moves every non-cancelled one, or the one of `seller_id`. A move the workflow forbids → 409 INVALID_TRANSITION. The customer is emailed.',
  })
  @ApiOkResponse({ type: OrderResponse })
  @ApiErrors(400, 404, 409)
  changeStatus(
    @CurrentUser() user: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ChangeOrderStatusDto,
  ): Promise<OrderResponse> {
    return this.workflow.changeStatus(user, id, dto);
  }
}
