import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Res,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';

import type { Actor } from '../../common/auth/actor';
import { Authenticated, CurrentUser } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { AddWishlistItemDto } from './dto/wishlist.dto';
import { WishlistItemResponse, WishlistResponse } from './dto/wishlist.response';
import { WishlistService } from './wishlist.service';

@ApiTags('wishlist')
@Controller('wishlist')
@Authenticated()
export class WishlistController {
  constructor(private readonly wishlist: WishlistService) {}

  @Get()
  @ApiOperation({ summary: 'Own wishlist with product summaries, newest first' })
  @ApiOkResponse({ type: WishlistResponse })
  list(@CurrentUser() user: Actor): Promise<WishlistResponse> {
    return this.wishlist.list(user);
  }

  @Post('items')
  @ApiOperation({
    summary: 'Add a product to the wishlist (idempotent)',
    description:
      'New → 201; already in the wishlist → 200 with the same item. An unknown or inactive ' +
      'product → 404.',
  })
  @ApiCreatedResponse({ type: WishlistItemResponse, description: 'Added' })
  @ApiOkResponse({ type: WishlistItemResponse, description: 'Already in the wishlist' })
  @ApiErrors(400, 404)
  async add(
    @CurrentUser() user: Actor,
    @Body() dto: AddWishlistItemDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<WishlistItemResponse> {
    const { created, item } = await this.wishlist.add(user, dto.product_id);
    res.status(created ? 201 : 200);
    return item;
  }

  @Get('items/:product_id')
  @ApiOperation({ summary: 'Is this product in the wishlist? 200 with the item, else 404' })
  @ApiOkResponse({ type: WishlistItemResponse })
  @ApiErrors(400, 404)
  get(
    @CurrentUser() user: Actor,
    @Param('product_id', ParseUUIDPipe) productId: string,
  ): Promise<WishlistItemResponse> {
    return this.wishlist.get(user, productId);
  }

  @Delete('items/:product_id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a product from the wishlist (404 when it is not there)' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors(400, 404)
  remove(
    @CurrentUser() user: Actor,
    @Param('product_id', ParseUUIDPipe) productId: string,
  ): Promise<void> {
    return this.wishlist.remove(user, productId);
  }
}
