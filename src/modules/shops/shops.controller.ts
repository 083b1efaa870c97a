import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import type { Actor } from '../../common/auth/actor';
import { CurrentUser, Public, Roles } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { HolidayDto, UpdateShopDto } from './dto/shop.dto';
import { PublicShopResponse, ShopResponse } from './dto/shop.response';
import { ShopsService } from './shops.service';

@ApiTags('shops')
@Controller('seller/shop')
@Roles('seller', 'admin')
export class SellerShopController {
  constructor(private readonly shops: ShopsService) {}

  @Get()
  @ApiOperation({
    summary: 'Own shop, with its legal and bank fields (a draft is created on the first call)',
  })
  @ApiOkResponse({ type: ShopResponse })
  mine(@CurrentUser() user: Actor): Promise<ShopResponse> {
    return this.shops.mine(user);
  }

  @Put()
  @ApiOperation({
    summary: 'Edit any subset of the own shop’s fields',
    description:
      'Each identifier is checked as Kazakhstan issues it (BIN/IIN check digit and kind for the ' +
      'legal form, IBAN mod 97, BIK, Kbe, KZ mobile phone); a bad field → 400 naming it in ' +
      '`errors`. A rejected shop goes back to `draft`. Changing `legal_form`, `bin_iin`, `iban`, ' +
      '`bik` or `kbe` of an `approved` shop puts it back to `pending_review` (payouts wait, sales ' +
      'go on). A slug of another shop → 409 `SLUG_TAKEN`.',
  })
  @ApiOkResponse({ type: ShopResponse })
  @ApiErrors(400, 409)
  update(@CurrentUser() user: Actor, @Body() dto: UpdateShopDto): Promise<ShopResponse> {
    return this.shops.update(user, dto);
  }

  @Post('submit')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Submit the shop for review (draft → pending_review); the admins are mailed',
    description:
      'A shop missing any of name, legal_form, bin_iin, iban, bik, kbe → 400 `SHOP_INCOMPLETE` ' +
      'naming each in `errors`; from another status than draft → 409 `INVALID_TRANSITION`.',
  })
  @ApiOkResponse({ type: ShopResponse })
  @ApiErrors(400, 409)
  submit(@CurrentUser() user: Actor): Promise<ShopResponse> {
    return this.shops.submit(user);
  }

  @Put('holiday')
  @ApiOperation({
    summary: 'Holiday mode on or off',
    description: 'On holiday the products stay listed but cannot be added to a cart.',
  })
  @ApiOkResponse({ type: ShopResponse })
  @ApiErrors(400)
  holiday(@CurrentUser() user: Actor, @Body() dto: HolidayDto): Promise<ShopResponse> {
    return this.shops.setHoliday(user, dto);
  }
}

@ApiTags('shops')
@Controller('sellers')
export class PublicShopsController {
  constructor(private readonly shops: ShopsService) {}

  @Get(':slug')
  @Public()
  @ApiOperation({
    summary: 'A shop’s public page (no legal or bank fields); 404 unless approved',
  })
  @ApiOkResponse({ type: PublicShopResponse })
  @ApiErrors(404)
  bySlug(@Param('slug') slug: string): Promise<PublicShopResponse> {
    return this.shops.publicBySlug(slug);
  }
}
