import { InitialSchema1764300000000 } from './1764300000000-initial-schema';
import { ProductSearchTrigram1764350000001 } from './1764350000001-product-search-trigram';
import { ProductSearchFts1764400000000 } from './1764400000000-product-search-fts';
import { Shops1764500000000 } from './1764500000000-shops';
import { Finance1764600000000 } from './1764600000000-finance';
import { Returns1764700000000 } from './1764700000000-returns';
import { SellerReviews1764800000000 } from './1764800000000-seller-reviews';
import { OrderCommission1764900000000 } from './1764900000000-order-commission';
import { PaymentRefunds1765000000000 } from './1765000000000-payment-refunds';
import { ParcelRefunds1765100000001 } from './1765100000001-parcel-refunds';
import { Sessions1765200000001 } from './1765200000001-sessions';
import { RateLimits1765300000000 } from './1765300000000-rate-limits';
import { OutboxObservability1765500000001 } from './1765500000001-outbox-observability';
import { CacheNotify1765600000000 } from './1765600000000-cache-notify';
import { RefundsQueue1765600000001 } from './1765600000001-refunds-queue';
import { LedgerStatementOrder1765700000005 } from './1765700000005-ledger-statement-order';
import { BalanceCacheNotify1765700000006 } from './1765700000006-balance-cache-notify';
import { ProductCounts1765710000000 } from './1765710000000-product-counts';
import { ProductSearchKey1765720000000 } from './1765720000000-product-search-key';

/** Every migration, in order. A schema change is a new file here, never an edit of a landed one. */
export const MIGRATIONS = [
  InitialSchema1764300000000,
  ProductSearchTrigram1764350000001,
  ProductSearchFts1764400000000,
  Shops1764500000000,
  Finance1764600000000,
  Returns1764700000000,
  SellerReviews1764800000000,
  OrderCommission1764900000000,
  PaymentRefunds1765000000000,
  ParcelRefunds1765100000001,
  Sessions1765200000001,
  RateLimits1765300000000,
  OutboxObservability1765500000001,
  CacheNotify1765600000000,
  RefundsQueue1765600000001,
  LedgerStatementOrder1765700000005,
  BalanceCacheNotify1765700000006,
  ProductCounts1765710000000,
  ProductSearchKey1765720000000,
];
