import { Global, Module } from '@nestjs/common';

import { CartSellerGate } from '../cart/seller-gate';
import { ProductsModule } from '../products/products.module';
import { ProductsService } from '../products/products.service';
import { SellerVisibility } from '../products/seller-visibility';
import { SellerRatings } from '../reviews/seller-ratings';
import { UsersModule } from '../users/users.module';
import { WishlistSellerGate } from '../wishlist/seller-gate';
import { AdminShopsController } from './admin-shops.controller';
import { SellerStanding } from './seller-standing';
import { ShopCatalog } from './shop-catalog';
import { ShopPayoutDetails } from './shop-payout-details';
import { ShopReviewService } from './shop-review.service';
import { PublicShopsController, SellerShopController } from './shops.controller';
import { ShopsRepository } from './shops.repository';
import { ShopsService } from './shops.service';

/** The ports other modules own that the shops module answers (see the module's comment). */
const ANSWERED_PORTS = [
  { provide: SellerVisibility, useExisting: SellerStanding },
  { provide: CartSellerGate, useExisting: SellerStanding },
  { provide: WishlistSellerGate, useExisting: SellerStanding },
  { provide: SellerRatings, useExisting: ShopsService },
];

/**
 * Shops: the seller's legal and payout identity, its review by the operator, the public shop
 * page. Other modules ask `SellerStanding` whether a seller may sell (and subscribe to
 * SHOP_STANDING_CHANGED).
 *
 * Products, cart, wishlist and reviews must not import shops (shops imports products for
 * `product_count`: importing back would be a cycle of folders and of Nest modules). Each of them
 * owns the question as a port (an abstract class in its own folder) and this module binds the
 * answers. It is `@Global()` so that those modules' injectors see the ports without importing
 * ShopsModule; Nest resolves the providers across modules lazily, and no provider chain loops
 * (SellerStanding and ShopsService need nothing of the consumers).
 */
@Global()
@Module({
  imports: [UsersModule, ProductsModule],
  controllers: [SellerShopController, PublicShopsController, AdminShopsController],
  providers: [
    ShopsRepository,
    SellerStanding,
    ShopsService,
    ShopReviewService,
    ShopPayoutDetails,
    { provide: ShopCatalog, useExisting: ProductsService },
    ...ANSWERED_PORTS,
  ],
  exports: [SellerStanding, ShopPayoutDetails, ...ANSWERED_PORTS.map((p) => p.provide)],
})
export class ShopsModule {}
