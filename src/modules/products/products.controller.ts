import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import type { Actor } from '../../common/auth/actor';
import { CurrentUser, Public, Roles } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { ApiPageResponse, Page } from '../../common/pagination/pagination';
import { CatalogCached } from './catalog-cache/catalog-cached.decorator';
import { CreateProductDto, UpdateProductDto } from './dto/product.dto';
import { ProductResponse } from './dto/product.response';
import { ProductListQuery } from './dto/product-query.dto';
import { ProductsService } from './products.service';

@ApiTags('products')
@Controller('products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get()
  @Public()
  @CatalogCached('all')
  @ApiOperation({
    summary: 'Browse active products: search, filter, sort, paginate',
    description:
      'Filters combine with AND. Ties of every sort are broken by id, so pages never repeat or ' +
      'skip a product. min_price > max_price, an unknown sort or category, page_size > 100 → 400.',
  })
  @ApiPageResponse(ProductResponse, 'A page of active products')
  @ApiErrors(400)
  list(@Query() q: ProductListQuery): Promise<Page<ProductResponse>> {
    return this.products.list(q);
  }

  @Get(':id')
  @Public()
  @CatalogCached('public')
  @ApiOperation({
    summary: 'One product',
    description: 'An inactive product is 404, except to its seller and admins (send a token).',
  })
  @ApiOkResponse({ type: ProductResponse })
  @ApiErrors(400, 404)
  get(
    @CurrentUser() user: Actor | undefined,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<ProductResponse> {
    return this.products.get(user, id);
  }

  @Post()
  @Roles('seller', 'admin')
  @ApiOperation({ summary: 'Put a product on sale (the caller becomes its seller)' })
  @ApiCreatedResponse({ type: ProductResponse })
  @ApiErrors(400)
  create(@CurrentUser() user: Actor, @Body() dto: CreateProductDto): Promise<ProductResponse> {
    return this.products.create(user, dto);
  }

  @Put(':id')
  @Roles('seller', 'admin')
  @ApiOperation({
    summary: 'Edit a product (its seller or an admin; another seller gets 404)',
    description:
      'Any subset of the create fields plus is_active. A new quantity is recorded in the stock ' +
      'ledger as an adjustment; is_active false acts like DELETE.',
  })
  @ApiOkResponse({ type: ProductResponse })
  @ApiErrors(400, 404)
  update(
    @CurrentUser() user: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateProductDto,
  ): Promise<ProductResponse> {
    return this.products.update(user, id, dto);
  }

  @Delete(':id')
  @Roles('seller', 'admin')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Deactivate a product (its seller or an admin; another seller gets 404)',
    description:
      'The product stays for past orders but leaves the catalog, every cart and every wishlist.',
  })
  @ApiNoContentResponse({ description: 'Deactivated' })
  @ApiErrors(400, 404)
  remove(@CurrentUser() user: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.products.remove(user, id);
  }
}
