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
import { Authenticated, CurrentUser, Public } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { CreateReviewDto, ReviewListQuery, UpdateReviewDto } from './dto/review.dto';
import { ReviewPage, ReviewResponse } from './dto/review.response';
import { ReviewsService } from './reviews.service';

@ApiTags('reviews')
@Controller('reviews')
export class ReviewsController {
  constructor(private readonly reviews: ReviewsService) {}

  @Post()
  @Authenticated()
  @ApiOperation({
    summary: 'Review a product you received (one review per product)',
    description:
      'Needs a delivered order holding the product (else 403); a seller may not review own ' +
      'products (403); a second review of the same product is 409.',
  })
  @ApiCreatedResponse({ type: ReviewResponse })
  @ApiErrors(400, 403, 404, 409)
  create(@CurrentUser() user: Actor, @Body() dto: CreateReviewDto): Promise<ReviewResponse> {
    return this.reviews.create(user, dto);
  }

  @Get()
  @Public()
  @ApiOperation({ summary: "A page of a product's reviews, newest first, with its average rating" })
  @ApiOkResponse({ type: ReviewPage })
  @ApiErrors(400, 404)
  list(@Query() q: ReviewListQuery): Promise<ReviewPage> {
    return this.reviews.list(q);
  }

  @Put(':id')
  @Authenticated()
  @ApiOperation({ summary: 'Edit own review (another user’s review is 404)' })
  @ApiOkResponse({ type: ReviewResponse })
  @ApiErrors(400, 404)
  update(
    @CurrentUser() user: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateReviewDto,
  ): Promise<ReviewResponse> {
    return this.reviews.update(user, id, dto);
  }

  @Delete(':id')
  @Authenticated()
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete own review (admins: any review)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 404)
  remove(@CurrentUser() user: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.reviews.remove(user, id);
  }
}
