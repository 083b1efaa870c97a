import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { AdminShopsController } from './admin-shops.controller';
import { SellerStanding } from './seller-standing';
import { ProductCountNotWired, ShopCatalog } from './shop-catalog';
import { ShopPayoutDetails } from './shop-payout-details';
import { ShopReviewService } from './shop-review.service';
import { PublicShopsController, SellerShopController } from './shops.controller';
import { ShopsRepository } from './shops.repository';
import { ShopsService } from './shops.service';

/**
 * Shops: the seller's legal and payout identity, its review by the operator, the public shop
 * page. Other modules ask `SellerStanding` whether a seller may sell (and subscribe to
 * SHOP_STANDING_CHANGED).
 */
@Module({
  imports: [UsersModule],
  controllers: [SellerShopController, PublicShopsController, AdminShopsController],
  providers: [
    ShopsRepository,
    SellerStanding,
    ShopsService,
    ShopReviewService,
    ShopPayoutDetails,
    // the products module has no active-product count yet: wired at merge (see shop-catalog.ts)
    { provide: ShopCatalog, useClass: ProductCountNotWired },
  ],
  exports: [SellerStanding, ShopPayoutDetails],
})
export class ShopsModule {}
