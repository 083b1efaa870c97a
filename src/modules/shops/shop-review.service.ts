import { Injectable } from '@nestjs/common';

import type { Actor } from '../../common/auth/actor';
import { DomainError, notFound } from '../../common/errors/domain-error';
import { Page, pageOf, skipOf } from '../../common/pagination/pagination';
import { UnitOfWork } from '../../database/unit-of-work';
import { MailOutboxService } from '../email/mail-outbox.service';
import type { Mail } from '../email/mailer';
import { UsersService } from '../users/users.service';
import { AdminShopQuery } from './dto/shop.dto';
import { ShopResponse, toShopResponse } from './dto/shop.response';
import { SellerStanding } from './seller-standing';
import type { ShopMailFacts } from './shop-mails';
import {
  shopApprovedMail,
  shopReinstatedMail,
  shopRejectedMail,
  shopSuspendedMail,
} from './shop-mails';
import { writeShop } from './shop-move';
import type { ShopAction } from './shop-workflow';
import { moveFor } from './shop-workflow';
import type { ShopPatch } from './shops.repository';
import { ShopsRepository } from './shops.repository';

export type AdminDecision = Extract<ShopAction, 'approve' | 'reject' | 'suspend' | 'reinstate'>;

type MailOf = (to: string, firstName: string, shop: ShopMailFacts, reason: string) => Mail;
const MAILS: Record<AdminDecision, MailOf> = {
  approve: shopApprovedMail,
  reject: shopRejectedMail,
  suspend: shopSuspendedMail,
  reinstate: shopReinstatedMail,
};

/** The admin's queue of shops and the decisions on them (each mailed to the seller). */
@Injectable()
export class ShopReviewService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly shops: ShopsRepository,
    private readonly outbox: MailOutboxService,
    private readonly users: UsersService,
    private readonly standing: SellerStanding,
  ) {}

  /** GET /admin/sellers: shops with every field, filtered by status, searched, newest first. */
  async list(_actor: Actor, q: AdminShopQuery): Promise<Page<ShopResponse>> {
    const [rows, total] = await this.shops.list({
      status: q.status,
      search: q.search,
      skip: skipOf(q),
      take: q.page_size ?? 20,
    });
    return pageOf(rows.map(toShopResponse), total, q);
  }

  /**
   * PUT /admin/sellers/{seller_id}/approve|reject|suspend|reinstate. The move is a conditional
   * update from the status read (a racing decision that changed it first → 409, nothing written);
   * the history row and the seller's mail are written in the same transaction.
   */
  async decide(
    actor: Actor,
    sellerId: string,
    action: AdminDecision,
    reason?: string,
  ): Promise<ShopResponse> {
    const seller = await this.users.findById(sellerId);
    if (!seller) throw notFound('Seller');
    await this.uow.run(async (tx) => {
      const shop = await this.shops.ofSeller(sellerId, tx);
      if (!shop) throw notFound('Shop');
      const move = moveFor(shop.status, action);
      if (!move || move.by !== 'admin') {
        throw new DomainError('INVALID_TRANSITION', `A ${shop.status} shop cannot ${action}`, {
          from: shop.status,
          action,
        });
      }
      if (move.needsReason && !reason) {
        throw new DomainError('BAD_REQUEST', 'reason is required', {
          errors: [{ field: 'reason', code: 'REQUIRED', message: 'reason is required' }],
        });
      }
      const why = move.needsReason ? reason! : null;
      const patch: ShopPatch = { statusReason: why };
      if (action === 'approve') patch.approvedAt = new Date();
      await writeShop(this.shops, tx, shop, patch, { to: move.to, by: actor.id, reason: why });
      const facts = { shopName: shop.name ?? '', slug: shop.slug, binIin: shop.binIin };
      const mail = MAILS[action](seller.email, seller.firstName, facts, reason ?? '');
      await this.outbox.enqueue(tx, mail, `shop_${action}`);
    });
    this.outbox.kick();
    await this.standing.reload();
    return toShopResponse((await this.shops.ofSeller(sellerId))!);
  }
}
