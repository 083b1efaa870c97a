import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import type { Actor } from '../../common/auth/actor';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { PageQuery } from '../../common/pagination/pagination';
import { StockMovementPage } from './dto/stock-movement.response';
import { ProductsService } from './products.service';

@ApiTags('seller')
@Controller('seller/products')
export class SellerStockController {
  constructor(private readonly products: ProductsService) {}

  @Get(':id/stock-movements')
  @Roles('seller', 'admin')
  @ApiOperation({
    summary: "A product's stock ledger, newest first (its seller or an admin)",
    description:
      'Every change of the quantity: initial, adjustment (seller edit), sale, cancellation. ' +
      "Another seller's product is 404.",
  })
  @ApiOkResponse({ type: StockMovementPage })
  @ApiErrors(400, 404)
  list(
    @CurrentUser() user: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: PageQuery,
  ): Promise<StockMovementPage> {
    return this.products.stockMovements(user, id, q);
  }
}
