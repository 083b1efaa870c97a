import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import type { Actor } from '../../common/auth/actor';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { ApiPageResponse, Page, PageQuery } from '../../common/pagination/pagination';
import { PlatformStats } from '../analytics/dto/analytics.response';
import { OutboxMailQuery } from '../email/dto/outbox-mail.dto';
import { OutboxMailResponse } from '../email/dto/outbox-mail.response';
import { OrderListQuery } from '../orders/dto/order.dto';
import { OrderResponse } from '../orders/dto/order.response';
import { ProductResponse } from '../products/dto/product.response';
import { UserResponse } from '../users/dto/user.response';
import { AdminService } from './admin.service';
import { AdminUserQuery, ChangeRoleDto } from './dto/admin.dto';
import { AdminDashboard } from './dto/admin-dashboard.response';

@ApiTags('admin')
@Controller('admin')
@Roles('admin')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get('dashboard')
  @ApiOperation({ summary: 'Platform stats plus the 10 newest orders and the 5 best sellers' })
  @ApiOkResponse({ type: AdminDashboard })
  dashboard(@CurrentUser() user: Actor): Promise<AdminDashboard> {
    return this.admin.dashboard(user);
  }

  @Get('stats')
  @ApiOperation({
    summary: 'All-time platform figures',
    description: 'total_revenue is counted as in analytics (confirmed..delivered fulfillments).',
  })
  @ApiOkResponse({ type: PlatformStats })
  stats(@CurrentUser() user: Actor): Promise<PlatformStats> {
    return this.admin.stats(user);
  }

  @Get('users')
  @ApiOperation({ summary: 'Users, newest first, filtered by role and is_active, searched' })
  @ApiPageResponse(UserResponse)
  @ApiErrors(400)
  users(@CurrentUser() user: Actor, @Query() q: AdminUserQuery): Promise<Page<UserResponse>> {
    return this.admin.listUsers(user, q);
  }

  @Put('users/:id/role')
  @ApiOperation({
    summary: "Change a user's role (not your own: 409)",
    description:
      'The user’s existing tokens stop working at once (401); they sign in again and the new ' +
      'token carries the new role.',
  })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors(400, 404, 409)
  changeRole(
    @CurrentUser() user: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ChangeRoleDto,
  ): Promise<UserResponse> {
    return this.admin.changeRole(user, id, dto);
  }

  @Put('users/:id/block')
  @ApiOperation({
    summary: 'Block a user (not yourself: 409); their tokens stop working at once',
    description: 'A blocked user gets 401 with any token and 403 at login.',
  })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors(400, 404, 409)
  block(@CurrentUser() user: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<UserResponse> {
    return this.admin.block(user, id);
  }

  @Put('users/:id/unblock')
  @ApiOperation({
    summary: 'Unblock a user',
    description: 'Tokens issued before the block stay invalid; the user signs in again.',
  })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors(400, 404)
  unblock(
    @CurrentUser() user: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<UserResponse> {
    return this.admin.unblock(user, id);
  }

  @Get('orders')
  @ApiOperation({ summary: 'Every order, newest first, optionally by status' })
  @ApiPageResponse(OrderResponse)
  @ApiErrors(400)
  orders(@CurrentUser() user: Actor, @Query() q: OrderListQuery): Promise<Page<OrderResponse>> {
    return this.admin.listOrders(user, q);
  }

  @Get('products')
  @ApiOperation({ summary: 'Every product, inactive included, newest first' })
  @ApiPageResponse(ProductResponse)
  @ApiErrors(400)
  products(@CurrentUser() user: Actor, @Query() q: PageQuery): Promise<Page<ProductResponse>> {
    return this.admin.listProducts(user, q);
  }

  @Get('mail')
  @ApiOperation({
    summary: 'The mail outbox, newest first; `status=failed`: mails given up after every retry',
    description:
      'Recipient, subject, kind, attempts and the last error; never the body. Sent mails are ' +
      'purged after OUTBOX_RETENTION.',
  })
  @ApiPageResponse(OutboxMailResponse)
  @ApiErrors(400)
  mail(@CurrentUser() user: Actor, @Query() q: OutboxMailQuery): Promise<Page<OutboxMailResponse>> {
    return this.admin.listMail(user, q);
  }

  @Post('mail/:id/retry')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send a failed mail again (a fresh set of attempts, due now)',
    description: 'Only a `failed` mail: any other status → 409 INVALID_TRANSITION.',
  })
  @ApiOkResponse({ type: OutboxMailResponse })
  @ApiErrors(400, 404, 409)
  retryMail(
    @CurrentUser() user: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<OutboxMailResponse> {
    return this.admin.retryMail(user, id);
  }
}
