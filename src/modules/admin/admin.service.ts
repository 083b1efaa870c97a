import { Injectable } from '@nestjs/common';

import type { Actor } from '../../common/auth/actor';
import { Page, pageOf, PageQuery, skipOf } from '../../common/pagination/pagination';
import { AnalyticsService } from '../analytics/analytics.service';
import { PlatformStats } from '../analytics/dto/analytics.response';
import { OutboxMailQuery } from '../email/dto/outbox-mail.dto';
import { OutboxMailResponse } from '../email/dto/outbox-mail.response';
import { MailOutboxService } from '../email/mail-outbox.service';
import { OrderListQuery } from '../orders/dto/order.dto';
import { OrderResponse } from '../orders/dto/order.response';
import { OrdersService } from '../orders/orders.service';
import { ProductResponse } from '../products/dto/product.response';
import { ProductsService } from '../products/products.service';
import { toUserResponse, UserResponse } from '../users/dto/user.response';
import { UsersService } from '../users/users.service';
import { AdminUserQuery, ChangeRoleDto } from './dto/admin.dto';
import { AdminDashboard } from './dto/admin-dashboard.response';

/** The admin panel: platform figures, user management, every order and product. */
@Injectable()
export class AdminService {
  constructor(
    private readonly users: UsersService,
    private readonly analytics: AnalyticsService,
    private readonly orders: OrdersService,
    private readonly products: ProductsService,
    private readonly outbox: MailOutboxService,
  ) {}

  stats(_actor: Actor): Promise<PlatformStats> {
    return this.analytics.stats();
  }

  async dashboard(actor: Actor): Promise<AdminDashboard> {
    const [stats, recent, top] = await Promise.all([
      this.analytics.stats(),
      this.orders.list(actor, { page: 1, page_size: 10 }),
      this.analytics.topProductsAllTime(5),
    ]);
    return { ...stats, recent_orders: recent.items, top_products: top };
  }

  async listUsers(_actor: Actor, q: AdminUserQuery): Promise<Page<UserResponse>> {
    const [rows, total] = await this.users.list({
      role: q.role,
      isActive: q.is_active,
      search: q.search,
      skip: skipOf(q),
      take: q.page_size ?? 20,
    });
    return pageOf(rows.map(toUserResponse), total, q);
  }

  async changeRole(actor: Actor, id: string, dto: ChangeRoleDto): Promise<UserResponse> {
    return toUserResponse(await this.users.changeRole(actor, id, dto.role));
  }

  async block(actor: Actor, id: string): Promise<UserResponse> {
    return toUserResponse(await this.users.setActive(actor, id, false));
  }

  async unblock(actor: Actor, id: string): Promise<UserResponse> {
    return toUserResponse(await this.users.setActive(actor, id, true));
  }

  /** Every order, newest first (the admin's view of GET /orders). */
  listOrders(actor: Actor, q: OrderListQuery): Promise<Page<OrderResponse>> {
    return this.orders.list(actor, q);
  }

  /** Every product, inactive included, newest first. */
  listProducts(actor: Actor, q: PageQuery): Promise<Page<ProductResponse>> {
    return this.products.listForAdmin(actor, q);
  }

  /** The mail outbox, newest first, optionally one status (`failed`: given up). */
  listMail(actor: Actor, q: OutboxMailQuery): Promise<Page<OutboxMailResponse>> {
    return this.outbox.list(actor, q);
  }

  /** A failed mail queued again. */
  retryMail(actor: Actor, id: string): Promise<OutboxMailResponse> {
    return this.outbox.retry(actor, id);
  }
}
