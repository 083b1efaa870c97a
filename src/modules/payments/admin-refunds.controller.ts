import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import type { Actor } from '../../common/auth/actor';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { ApiPageResponse, Page } from '../../common/pagination/pagination';
import { AdminRefundsService } from './admin-refunds.service';
import { AdminRefundQuery, RefundResponse, toRefundResponse } from './dto/refund.dto';

@ApiTags('admin refunds')
@Controller('admin/refunds')
@Roles('admin')
export class AdminRefundsController {
  constructor(private readonly refunds: AdminRefundsService) {}

  @Get()
  @ApiOperation({
    summary: 'Refunds, newest first (the manual queue: `status=pending&method=manual`)',
    description:
      'Every refund of part of a payment: returns, and single parcels of an order that goes on. ' +
      '`method=manual` are cash-on-delivery refunds paid out of band; `pending` ones are owed ' +
      'until marked paid.',
  })
  @ApiPageResponse(RefundResponse)
  @ApiErrors(400)
  async list(@Query() q: AdminRefundQuery): Promise<Page<RefundResponse>> {
    const page = await this.refunds.list(q);
    return { ...page, items: page.items.map(toRefundResponse) };
  }

  @Post(':id/mark-paid')
  @HttpCode(200)
  @ApiOperation({
    summary: 'A manual refund (cash on delivery) was paid out of band',
    description:
      'Any manual refund: a return’s (the return becomes `refunded`, its seller ledger entries ' +
      'are written and the buyer is emailed, as `PUT /returns/{id}/refund-paid`) or a parcel’s. ' +
      'The order’s payment_status becomes `partially_refunded`, or `refunded` when the refunds ' +
      'reach the payment. Idempotent: a refund already marked paid answers 200 with it and ' +
      'changes nothing. A provider refund, or an unknown one → 409 `REFUND_NOT_MANUAL` / 404.',
  })
  @ApiOkResponse({ type: RefundResponse })
  @ApiErrors(400, 404, 409)
  async markPaid(
    @CurrentUser() user: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<RefundResponse> {
    return toRefundResponse(await this.refunds.markPaid(user, id));
  }
}
