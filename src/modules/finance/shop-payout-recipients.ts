import { Injectable } from '@nestjs/common';

import type { Tx } from '../../database/unit-of-work';
import { ShopPayoutDetails } from '../shops/shop-payout-details';
import { UsersService } from '../users/users.service';
import { PayoutRecipient, PayoutRecipients } from './payout-recipients';

/**
 * `PayoutRecipients` answered by the shops module (the shop's name, status and bank details) and
 * the users module (the seller's email and first name): two statements per 500 sellers. Sellers
 * and admins (who may sell) are known; a seller without a shop is answered `approved: false`
 * with no bank details; ids that are not such accounts are absent (the caller answers 404).
 */
@Injectable()
export class ShopPayoutRecipients extends PayoutRecipients {
  constructor(
    private readonly shops: ShopPayoutDetails,
    private readonly users: UsersService,
  ) {
    super();
  }

  async recipientsOf(sellerIds: string[], tx?: Tx): Promise<PayoutRecipient[]> {
    if (!sellerIds.length) return [];
    const accounts = (await this.users.contactsOf(sellerIds, tx)).filter(
      (u) => u.role === 'seller' || u.role === 'admin',
    );
    const shops = new Map(
      (
        await this.shops.of(
          accounts.map((a) => a.id),
          tx,
        )
      ).map((s) => [s.sellerId, s]),
    );
    return accounts.map((u) => {
      const s = shops.get(u.id);
      return {
        sellerId: u.id,
        approved: s?.status === 'approved',
        shopName: s?.name ?? '',
        binIin: s?.binIin ?? null,
        iban: s?.iban ?? null,
        bik: s?.bik ?? null,
        kbe: s?.kbe ?? null,
        email: u.email,
        firstName: u.firstName,
      };
    });
  }
}
