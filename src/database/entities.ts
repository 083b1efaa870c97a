import { IdempotencyKey } from '../common/idempotency/idempotency-key.entity';
import { AccountToken, RefreshToken, Session } from '../modules/auth/auth.entities';
import { CartItem } from '../modules/cart/cart-item.entity';
import { OutboxMail } from '../modules/email/outbox-mail.entity';
import {
  CommissionRule,
  Payout,
  PayoutBatch,
  SellerBalance,
  SellerLedgerEntry,
} from '../modules/finance/finance.entities';
import { Fulfillment, Order, OrderItem, OrderStatusHistory } from '../modules/orders/order.entity';
import { Payment } from '../modules/payments/payment.entity';
import { PaymentRefund } from '../modules/payments/payment-refund.entity';
import { Product } from '../modules/products/product.entity';
import { StockMovement } from '../modules/products/stock-movement.entity';
import { ProductReturn, ReturnItem, ReturnStatusHistory } from '../modules/returns/return.entity';
import { Review } from '../modules/reviews/review.entity';
import { Shop, ShopStatusHistory } from '../modules/shops/shop.entity';
import { User } from '../modules/users/user.entity';
import { WishlistItem } from '../modules/wishlist/wishlist-item.entity';

export const ENTITIES = [
  User,
  Product,
  StockMovement,
  WishlistItem,
  CartItem,
  Order,
  OrderItem,
  Fulfillment,
  OrderStatusHistory,
  Payment,
  PaymentRefund,
  Review,
  IdempotencyKey,
  OutboxMail,
  CommissionRule,
  SellerLedgerEntry,
  SellerBalance,
  PayoutBatch,
  Payout,
  ProductReturn,
  ReturnItem,
  ReturnStatusHistory,
  Shop,
  ShopStatusHistory,
  Session,
  RefreshToken,
  AccountToken,
];
