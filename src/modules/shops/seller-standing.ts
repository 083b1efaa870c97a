import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';

import type { ShopStandingChangedEvent } from '../../common/events';
import { SHOP_STANDING_CHANGED } from '../../common/events';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import type { CartSellerGate } from '../cart/seller-gate';
import type { SellerFilter, SellerVisibility } from '../products/seller-visibility';
import type { WishlistSellerGate } from '../wishlist/seller-gate';
import { maySell } from './shop-workflow';
import type { ShopStandingRow } from './shops.repository';
import { ShopsRepository } from './shops.repository';

interface View {
  rows: ReadonlyMap<string, ShopStandingRow>;
  hidden: ReadonlySet<string>;
  selling: ReadonlySet<string>;
  token: string | null;
  at: number;
}

const EMPTY: View = { rows: new Map(), hidden: new Set(), selling: new Set(), token: null, at: 0 };

/**
 * Whether a seller may sell, served from memory (no query on the request path). The shops
 * service reloads it after every status or holiday change it commits, before answering. Another
 * process's change is noticed as the catalog and user caches notice it (the shops table's change
 * token: at once on SQLite; on PostgreSQL when its notification arrives, which also starts a
 * read at once so that the catalog, which asks nothing of the shops on its cached path, is
 * dropped too): a getter that finds the view stale answers from memory and reads again in the
 * background; `await ensureFresh()` first where the answer must include it. Every change it sees is announced with SHOP_STANDING_CHANGED
 * (after the commit, the new state already served).
 */
@Injectable()
export class SellerStanding
  implements OnModuleInit, SellerVisibility, CartSellerGate, WishlistSellerGate
{
  private readonly logger = new Logger('SellerStanding');
  private view: View = EMPTY;
  private loading: Promise<void> = Promise.resolve();
  /** A background read is queued or running (getters queue at most one). */
  private refreshing = false;
  readonly mode: 'auto' | 'manual';

  constructor(
    private readonly shops: ShopsRepository,
    private readonly events: EventEmitter2,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.mode = config.sellerApproval;
  }

  async onModuleInit(): Promise<void> {
    this.shops.onRemoteChange(() => void this.current());
    await this.reload();
  }

  /** May the seller's products be listed and sold (not suspended; manual: approved once)? */
  canSell(sellerId: string): boolean {
    return maySell(this.current().rows.get(sellerId) ?? null, this.mode);
  }

  /** The shop is on holiday: its products stay listed but take no new cart lines. */
  onHoliday(sellerId: string): boolean {
    return this.current().rows.get(sellerId)?.holiday ?? false;
  }

  /**
   * Sellers with a shop whose products must not be listed or sold: suspended ones, and with
   * `manual` those never approved. With `manual` a seller who has no shop at all cannot sell
   * either — listings should use `sellerFilter()`, which covers that case.
   */
  hiddenSellerIds(): ReadonlySet<string> {
    return this.current().hidden;
  }

  /** The listing filter: `auto` → every seller except the hidden; `manual` → only these. */
  sellerFilter(): SellerFilter {
    const view = this.current();
    return this.mode === 'auto'
      ? { kind: 'except', sellerIds: view.hidden }
      : { kind: 'only', sellerIds: view.selling };
  }

  /** Reads the shops again unless nothing can have changed since the last read. */
  async ensureFresh(): Promise<void> {
    if (this.refreshing) await this.loading;
    if (this.isStale()) await this.reload();
  }

  private isStale(): boolean {
    const token = this.shops.changeToken();
    const { token: seen, at } = this.view;
    return token === null || token !== seen || Date.now() - at >= this.shops.maxAgeMs;
  }

  /** The view in memory; when it may be stale, one background read is queued. */
  private current(): View {
    if (!this.refreshing && this.isStale()) {
      this.refreshing = true;
      void this.reload().finally(() => (this.refreshing = false));
    }
    return this.view;
  }

  /** Reads every shop's standing again (queued: reads never overtake each other). */
  reload(): Promise<void> {
    this.loading = this.loading.then(() =>
      this.load().catch((e: Error) => this.logger.error(`reload failed: ${e.message}`)),
    );
    return this.loading;
  }

  private async load(): Promise<void> {
    const token = this.shops.changeToken();
    const rows = await this.shops.standings();
    const before = this.view;
    const map = new Map(rows.map((r) => [r.sellerId, r]));
    const hidden = new Set<string>();
    const selling = new Set<string>();
    for (const r of rows) (maySell(r, this.mode) ? selling : hidden).add(r.sellerId);
    // a read made while a write was open may miss it: keep no token, so the next look reads again
    const settled = token !== null && this.shops.changeToken() === token;
    this.view = { rows: map, hidden, selling, token: settled ? token : null, at: Date.now() };
    if (before === EMPTY) return;
    const changed = [...new Set([...before.rows.keys(), ...map.keys()])].filter(
      (id) => !sameRow(before.rows.get(id), map.get(id)),
    );
    if (changed.length) {
      await this.events.emitAsync(SHOP_STANDING_CHANGED, {
        sellerIds: changed,
      } satisfies ShopStandingChangedEvent);
    }
  }
}

const sameRow = (a?: ShopStandingRow, b?: ShopStandingRow) =>
  a?.status === b?.status && a?.everApproved === b?.everApproved && a?.holiday === b?.holiday;
