import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import type { Actor } from '../../common/auth/actor';
import { Authenticated, CurrentUser } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { CartService } from './cart.service';
import { AddCartItemDto, UpdateCartItemDto } from './dto/cart.dto';
import { CartResponse } from './dto/cart.response';

@ApiTags('cart')
@Controller('cart')
@Authenticated()
export class CartController {
  constructor(private readonly cart: CartService) {}

  @Get()
  @ApiOperation({ summary: 'The whole cart with current prices and totals' })
  @ApiOkResponse({ type: CartResponse })
  get(@CurrentUser() user: Actor): Promise<CartResponse> {
    return this.cart.get(user);
  }

  @Post('items')
  @ApiOperation({
    summary: 'Add a product (adds to its line if already in the cart); answers the whole cart',
    description:
      'More than in stock (line quantity after the add) → 409 OUT_OF_STOCK with `products`. Unknown or inactive product → 404. A seller adding their own product → 403 NOT_A_BUYER.',
  })
  @ApiCreatedResponse({ type: CartResponse })
  @ApiErrors(400, 403, 404, 409)
  add(@CurrentUser() user: Actor, @Body() dto: AddCartItemDto): Promise<CartResponse> {
    return this.cart.add(user, dto);
  }

  @Put('items/:product_id')
  @ApiOperation({
    summary: 'Set the quantity of a line; answers the whole cart',
    description:
      'More than in stock → 409 OUT_OF_STOCK; product no longer active → 409 PRODUCT_UNAVAILABLE; not in the cart → 404.',
  })
  @ApiOkResponse({ type: CartResponse })
  @ApiErrors(400, 404, 409)
  update(
    @CurrentUser() user: Actor,
    @Param('product_id', ParseUUIDPipe) productId: string,
    @Body() dto: UpdateCartItemDto,
  ): Promise<CartResponse> {
    return this.cart.update(user, productId, dto);
  }

  @Delete('items/:product_id')
  @ApiOperation({ summary: 'Remove a line; answers the whole cart' })
  @ApiOkResponse({ type: CartResponse })
  @ApiErrors(400, 404)
  remove(
    @CurrentUser() user: Actor,
    @Param('product_id', ParseUUIDPipe) productId: string,
  ): Promise<CartResponse> {
    return this.cart.remove(user, productId);
  }

  @Delete()
  @ApiOperation({ summary: 'Empty the cart; answers the (empty) cart' })
  @ApiOkResponse({ type: CartResponse })
  clear(@CurrentUser() user: Actor): Promise<CartResponse> {
    return this.cart.clear(user);
  }
}
