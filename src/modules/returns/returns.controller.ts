import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import type { Actor } from '../../common/auth/actor';
import { Authenticated, CurrentUser, Roles } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { ApiPageResponse, Page } from '../../common/pagination/pagination';
import {
  ApproveReturnDto,
  CreateReturnDto,
  RejectReturnDto,
  ReturnListQuery,
} from './dto/return.dto';
import { ReturnResponse } from './dto/return.response';
import { ReturnRefundService } from './return-refund.service';
import { ReturnsService } from './returns.service';

@ApiTags('returns')
@Controller('returns')
export class ReturnsController {
  constructor(
    private readonly returns: ReturnsService,
    private readonly refunds: ReturnRefundService,
  ) {}

  @Post()
  @Authenticated()
  @ApiOperation({
    summary: 'Return lines of one delivered fulfillment of an own order',
    description:
      "Within RETURN_WINDOW (14 days) of the fulfillment's delivery. Lines of two sellers' fulfillments → 400 (`errors[].field` names the line). Not delivered, the order's payment not captured yet (cash on delivery is collected once every parcel is delivered: the seller moves the parcel to `refunded` instead, and it is not collected), past the window, or `changed_mind` for food or beauty → 409 RETURN_NOT_ALLOWED (`rule`: not_delivered, not_paid, window_passed, category). More than bought minus what other returns hold → 409 RETURN_QUANTITY_EXCEEDED (`order_item_id, requested, returnable`). Another user's order → 404. The seller is emailed.",
  })
  @ApiCreatedResponse({ type: ReturnResponse })
  @ApiErrors(400, 404, 409)
  create(@CurrentUser() user: Actor, @Body() dto: CreateReturnDto): Promise<ReturnResponse> {
    return this.returns.create(user, dto);
  }

  @Get()
  @Authenticated()
  @ApiOperation({
    summary: 'Returns: own (as buyer or as the seller), all for admins; newest first',
  })
  @ApiPageResponse(ReturnResponse)
  @ApiErrors(400)
  list(@CurrentUser() user: Actor, @Query() q: ReturnListQuery): Promise<Page<ReturnResponse>> {
    return this.returns.list(user, q);
  }

  @Get(':id')
  @Authenticated()
  @ApiOperation({ summary: 'One return (its buyer, its seller, admins; anyone else → 404)' })
  @ApiOkResponse({ type: ReturnResponse })
  @ApiErrors(400, 404)
  get(@CurrentUser() user: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<ReturnResponse> {
    return this.returns.get(user, id);
  }

  @Put(':id/approve')
  @Roles('seller', 'admin')
  @ApiOperation({
    summary: 'Approve a return',
    description:
      'The seller of its fulfillment while requested; an admin while requested or escalated. Else 409 INVALID_TRANSITION. The buyer is emailed.',
  })
  @ApiOkResponse({ type: ReturnResponse })
  @ApiErrors(400, 404, 409)
  approve(
    @CurrentUser() user: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ApproveReturnDto,
  ): Promise<ReturnResponse> {
    return this.returns.approve(user, id, dto.note);
  }

  @Put(':id/reject')
  @Roles('seller', 'admin')
  @ApiOperation({
    summary: 'Reject a return, saying why',
    description:
      '`note` is required (400 naming it). Who and when: as approve. The buyer is emailed.',
  })
  @ApiOkResponse({ type: ReturnResponse })
  @ApiErrors(400, 404, 409)
  reject(
    @CurrentUser() user: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RejectReturnDto,
  ): Promise<ReturnResponse> {
    return this.returns.reject(user, id, dto.note);
  }

  @Put(':id/receive')
  @Roles('seller', 'admin')
  @ApiOperation({
    summary: 'The returned goods arrived: restock and refund',
    description:
      'The seller or an admin, while approved (else 409). The quantities go back to stock (a `return` stock movement), the refund amount is fixed, and the refund is made through the payment provider: → `refunded` (refund_status completed). A provider failure leaves it `received` with refund_status `failed`, retried by the recovery sweep; cash on delivery leaves it `received` with refund_status `manual`. Never paid twice, however many calls race (one wins, the others get 409).',
  })
  @ApiOkResponse({ type: ReturnResponse })
  @ApiErrors(400, 404, 409)
  receive(
    @CurrentUser() user: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<ReturnResponse> {
    return this.refunds.receive(user, id);
  }

  @Put(':id/cancel')
  @Authenticated()
  @ApiOperation({ summary: 'Withdraw own return while it is requested (else 409)' })
  @ApiOkResponse({ type: ReturnResponse })
  @ApiErrors(400, 403, 404, 409)
  cancel(
    @CurrentUser() user: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<ReturnResponse> {
    return this.returns.cancel(user, id);
  }

  @Put(':id/refund-paid')
  @Roles('admin')
  @ApiOperation({
    summary: 'A manual refund (cash on delivery) was paid out of band',
    description:
      'Admin, while received with refund_status `manual` (else 409): → `refunded`, refund_status completed; the seller ledger and the order payment status follow. The buyer is emailed.',
  })
  @ApiOkResponse({ type: ReturnResponse })
  @ApiErrors(400, 404, 409)
  refundPaid(
    @CurrentUser() user: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<ReturnResponse> {
    return this.refunds.markPaid(user, id);
  }
}
