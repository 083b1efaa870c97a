import { Body, Controller, Get, Param, ParseUUIDPipe, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import type { Actor } from '../../common/auth/actor';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { fieldsRefused } from '../../common/errors/validation-errors';
import { ApiPageResponse, Page } from '../../common/pagination/pagination';
import { AdminShopQuery, ReasonDto } from './dto/shop.dto';
import { ShopResponse } from './dto/shop.response';
import { ShopReviewService } from './shop-review.service';

/** The path's seller id; not a UUID → 400 naming `seller_id`. */
const SellerId = () =>
  Param(
    'seller_id',
    new ParseUUIDPipe({
      exceptionFactory: () =>
        fieldsRefused('BAD_REQUEST', [
          { field: 'seller_id', code: 'IS_UUID', message: 'seller_id must be a UUID' },
        ]),
    }),
  );

const MOVE =
  'A move the workflow does not allow from the current status (or one another admin made ' +
  'first) → 409 `INVALID_TRANSITION`, nothing changed. The seller is emailed.';

@ApiTags('admin')
@Controller('admin/sellers')
@Roles('admin')
export class AdminShopsController {
  constructor(private readonly review: ShopReviewService) {}

  @Get()
  @ApiOperation({ summary: 'Shops with every field, newest first; filter by status, search' })
  @ApiPageResponse(ShopResponse)
  @ApiErrors(400)
  list(@CurrentUser() user: Actor, @Query() q: AdminShopQuery): Promise<Page<ShopResponse>> {
    return this.review.list(user, q);
  }

  @Put(':seller_id/approve')
  @ApiOperation({
    summary: 'Approve a shop under review (pending_review → approved)',
    description: MOVE,
  })
  @ApiOkResponse({ type: ShopResponse })
  @ApiErrors(400, 404, 409)
  approve(@CurrentUser() user: Actor, @SellerId() id: string): Promise<ShopResponse> {
    return this.review.decide(user, id, 'approve');
  }

  @Put(':seller_id/reject')
  @ApiOperation({
    summary: 'Reject a shop under review, with a reason (pending_review → rejected)',
    description: MOVE,
  })
  @ApiOkResponse({ type: ShopResponse })
  @ApiErrors(400, 404, 409)
  reject(
    @CurrentUser() user: Actor,
    @SellerId() id: string,
    @Body() dto: ReasonDto,
  ): Promise<ShopResponse> {
    return this.review.decide(user, id, 'reject', dto.reason);
  }

  @Put(':seller_id/suspend')
  @ApiOperation({
    summary: 'Suspend an approved shop, with a reason: its products are hidden at once',
    description: MOVE,
  })
  @ApiOkResponse({ type: ShopResponse })
  @ApiErrors(400, 404, 409)
  suspend(
    @CurrentUser() user: Actor,
    @SellerId() id: string,
    @Body() dto: ReasonDto,
  ): Promise<ShopResponse> {
    return this.review.decide(user, id, 'suspend', dto.reason);
  }

  @Put(':seller_id/reinstate')
  @ApiOperation({ summary: 'Reinstate a suspended shop (suspended → approved)', description: MOVE })
  @ApiOkResponse({ type: ShopResponse })
  @ApiErrors(400, 404, 409)
  reinstate(@CurrentUser() user: Actor, @SellerId() id: string): Promise<ShopResponse> {
    return this.review.decide(user, id, 'reinstate');
  }
}
